"""Where reports come from: files, directories walked in sorted order, ``-`` for standard input, a list file."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError

SUFFIXES = {".txt", ".htm", ".html", ".gz", ""}


@dataclass(frozen=True)
class Input:
    """One file to read: its path as shown, and its bytes when already read (standard input)."""

    name: str
    data: bytes | None = None


def expand(paths: list, files_from: Path | None = None, max_bytes: int | None = None) -> list[Input]:
    """The inputs that paths name, in order: a directory gives its report files, walked recursively in
    sorted order (suffixes .txt .htm .html .gz, or none); ``-`` gives standard input.

    Raises:
        ConfigError: a list file that cannot be read, or no path at all.
    """
    names = [str(p) for p in paths or ()]
    if files_from is not None:
        names += _listed(files_from)
    if not names:
        raise ConfigError("no reports given: name files, directories, - for standard input, or --files-from")
    inputs = []
    for name in names:
        if name == "-":
            data = sys.stdin.buffer.read(max_bytes + 1) if max_bytes else sys.stdin.buffer.read()
            inputs.append(Input("<stdin>", data))
        elif Path(name).is_dir():
            inputs += [Input(str(p)) for p in _walk(Path(name))]
        else:
            inputs.append(Input(name))
    return inputs


def _listed(files_from: Path) -> list[str]:
    try:
        source = sys.stdin if str(files_from) == "-" else open(files_from, encoding="utf-8")
        with source:
            return [line.strip() for line in source if line.strip() and not line.startswith("#")]
    except OSError as exc:
        raise ConfigError(f"--files-from {files_from}: {exc.strerror}") from None


def _walk(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
            found.append(path)
    return found
