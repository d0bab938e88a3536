"""Locate the grammars and specs, in an installed wheel or in a source checkout, and read a file of
a formats directory the one safe way: inside its directory, a regular file, bounded in size."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ConfigError

# This module sits in remitgrammar/formats/; the data lives beside the package root.
_PACKAGE_DIR = Path(__file__).resolve().parent.parent

MAX_FILE_BYTES = 1024 * 1024  # a spec, alias file or grammar; the largest built-in one is 28 kB


def data_dir(name: str) -> Path:
    """Return the directory holding the built-in ``grammars`` or ``specs``.

    A wheel carries them inside the package; a source checkout keeps them at the
    top of the repository, beside the package.

    Args:
        name: ``"grammars"`` or ``"specs"``.

    Returns:
        The directory path.

    Raises:
        FileNotFoundError: when neither location holds it.
    """
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"remitgrammar data directory '{name}' not found")


class FormatFileError(ConfigError):
    """A file of a formats directory that cannot be used, with the finding code ``lint`` reports it
    under (RG210 not a spec, RG220 not read, RG221 YAML too large once expanded) and its line."""

    def __init__(self, path, code: str, reason: str, line: int | None = None):
        super().__init__(f"{path}: {code} {reason}")
        self.path, self.code, self.reason, self.line = path, code, reason, line


def is_inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every symlink on its way followed, is ``root`` or below it."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def read_inside(path: Path, root: Path | None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file of a formats directory, read only when it is a regular file no larger than
    ``limit`` that lies inside ``root`` (the directory it belongs to) once symlinks are followed.
    A refusal never quotes the file: it may be a secret a symlink points at.

    Raises:
        FormatFileError: RG220, naming the file and the reason.
    """
    if root is not None and not is_inside(path, root):
        raise FormatFileError(path, "RG220", f"it resolves outside its directory {root} (a symlink or a path "
                              "out of it): refused, not read")
    try:
        return read_regular(path, limit)
    except ConfigError as exc:
        raise FormatFileError(path, "RG220", str(exc).removeprefix(f"{path}: ")) from None


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. A FIFO or a device is refused before it
    is opened (and opened without blocking in case it was swapped in since), so reading never waits.

    Raises:
        ConfigError: ``{path}: reason``.
    """
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path}: not a regular file (a directory, FIFO or device): refused, not read")
        if info.st_size > limit:
            raise ConfigError(f"{path}: larger than {limit // 1024} kB: refused, not read")
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                raise ConfigError(f"{path}: not a regular file: refused, not read")
            data = _read_upto(handle, limit + 1)
        finally:
            os.close(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > limit:
        raise ConfigError(f"{path}: larger than {limit // 1024} kB: refused, not read")
    return data


def _read_upto(handle: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = os.read(handle, min(left, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def decoded(data: bytes, path: Path) -> str:
    """UTF-8 text of a file read with ``read_inside``.

    Raises:
        FormatFileError: RG220, not UTF-8 (the message gives the offset, not the bytes).
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatFileError(path, "RG220", f"not UTF-8 text (byte {exc.start}): refused") from None
