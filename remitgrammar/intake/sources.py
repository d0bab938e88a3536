"""Where reports come from: files, directories walked in sorted order, ``-`` for standard input, a list file.

What names the reports is input too: a list file is a regular file or standard input, read up to the
size limit, one path a line, bytes that are not UTF-8 kept as the file system's own (surrogateescape);
a directory is walked into its subdirectories with a stack of listings rather than Python's recursion,
without following links to directories (no depth or link loop can stop a run), and one that cannot be
walked (too deep for a path, unreadable) is an input of its own that becomes an RG120 finding.

A directory that `remitgrammar fetch` filled (it holds the store's manifest, ``.remitgrammar-store.json``)
is read by the store's layout and nothing else: ``<cik>/<accession>.txt.gz``, two levels and no deeper,
CIK and accession in EDGAR's digits, so a note or a stray file beside the filings is not taken for a
report (docs/fetch.md).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..errors import ConfigError, Finding
from .decode import MAX_BYTES

SUFFIXES = {".txt", ".htm", ".html", ".gz", ""}
STORE_MANIFEST = ".remitgrammar-store.json"  # marks a store of `fetch` (fetch/store.py writes it under this name)
_STORE_CIK = re.compile(r"\d{10}")
_STORE_FILE = re.compile(r"\d{10}-\d{2}-\d{6}\.txt\.gz")


@dataclass(frozen=True)
class Input:
    """One file to read: its path as shown, and its bytes when already read (standard input)."""

    name: str
    data: bytes | None = None
    problem: Finding | None = None  # a directory that could not be walked: reported, not read


def expand(paths: list | None, files_from: Path | None = None, max_bytes: int | None = None,
           skip: tuple = ()) -> list[Input]:
    """The inputs that paths name, in order: a directory gives its report files, its subdirectories
    included, in sorted order (suffixes .txt .htm .html .gz, or none; in a store of `fetch`, its
    filings), but for the directories of ``skip`` (where a command writes its own output: its pages
    are no reports); ``-`` gives standard input.

    Raises:
        ConfigError: a list file that cannot be read (not a regular file, too large, binary), or no path.
    """
    names = [str(p) for p in paths or ()]
    if files_from is not None:
        names += _listed(files_from, max_bytes or MAX_BYTES)
    if not names:
        raise ConfigError("no reports given: name files, directories, - for standard input, or --files-from")
    inputs = []
    for name in names:
        if name == "-":
            data = sys.stdin.buffer.read(max_bytes + 1) if max_bytes else sys.stdin.buffer.read()
            inputs.append(Input("<stdin>", data))
        elif _is_dir(name):
            inputs += _walk(name, frozenset(os.path.realpath(d) for d in skip))
        else:
            inputs.append(Input(name))
    return inputs


def _is_dir(name: str) -> bool:
    try:
        return os.path.isdir(name)
    except (ValueError, OSError):  # a NUL in a name: not a directory, and its reading will say why
        return False


def _listed(files_from: Path, max_bytes: int) -> list[str]:
    """The paths of a list file, one a line (``#`` comments and blank lines skipped)."""
    shown = str(files_from)
    try:
        if shown == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            data = _list_bytes(shown, max_bytes)
    except OSError as exc:
        raise ConfigError(f"--files-from {shown}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise ConfigError(f"--files-from {shown}: the list is larger than the limit of {max_bytes:,} bytes "
                          "(--max-mb)")
    if b"\x00" in data:
        raise ConfigError(f"--files-from {shown}: the list holds NUL bytes: it is not a list of paths, one a line")
    text = os.fsdecode(data) if os.name == "posix" else data.decode("utf-8", "surrogateescape")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _list_bytes(name: str, max_bytes: int) -> bytes:
    """A list file's bytes; what is not a regular file (a FIFO would block, /dev/zero never ends) is refused."""
    with open(name, "rb", buffering=0) if _regular(name) else _refuse_list(name) as handle:
        return handle.read(max_bytes + 1)


def _regular(name: str) -> bool:
    return stat.S_ISREG(os.stat(name).st_mode)


def _refuse_list(name: str):
    raise ConfigError(f"--files-from {name}: not a regular file (a FIFO, a device or a directory); "
                      "give a list file, or - to read the list from standard input")


def _walk(root: str, skip: frozenset = frozenset()) -> list[Input]:
    """The report files under a directory, depth first in sorted order, without recursion.

    Links to directories are not followed (as ``find`` does not): a link loop cannot repeat a walk.
    A directory that cannot be listed (a path too long for the system, no permission) is an Input
    carrying an RG120 finding, and the walk goes on.
    """
    found: list[Input] = []
    if skip and os.path.realpath(root) in skip:
        return found
    if _is_store(root):
        return _store(root, found)
    stack = [iter(_listing(root, found))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        kind = _kind(entry)
        if kind == "dir" and skip and os.path.realpath(entry.path) in skip:
            continue
        if kind == "dir" and _is_store(entry.path):
            _store(entry.path, found)
        elif kind == "dir":
            stack.append(iter(_listing(entry.path, found)))
        elif kind == "file" and not entry.name.startswith(".") and PurePath(entry.name).suffix.lower() in SUFFIXES:
            found.append(Input(entry.path))
    return found


def _is_store(directory: str) -> bool:
    """Whether a directory is a store of `fetch`: its manifest is a regular file (not a link)."""
    try:
        return stat.S_ISREG(os.lstat(os.path.join(directory, STORE_MANIFEST)).st_mode)
    except (OSError, ValueError):
        return False


def _store(root: str, found: list) -> list[Input]:
    """A store's filings, ``<cik>/<accession>.txt.gz`` in sorted order: real directories and regular files
    of those names only, two levels; the rest of the store is not reports."""
    for folder in _listing(root, found):
        if _STORE_CIK.fullmatch(folder.name) and _kind(folder) == "dir":
            found += [Input(entry.path) for entry in _listing(folder.path, found)
                      if _STORE_FILE.fullmatch(entry.name) and _regular_entry(entry)]
    return found


def _regular_entry(entry) -> bool:
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _listing(directory: str, found: list) -> list:
    """A directory's entries by name; one that cannot be listed is noted in ``found`` as a problem."""
    try:
        with os.scandir(directory) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        found.append(Input(directory, problem=_unwalkable(exc)))
        return []


def _kind(entry) -> str | None:
    """"dir" for a real directory, "file" for a file or a link that does not lead to a directory (a
    link loop is read, and its reading says why it fails), None for what cannot be told."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "dir"
        if entry.is_symlink():
            try:
                return None if entry.is_dir() else "file" if entry.is_file() or _looping(entry.path) else None
            except OSError:
                return "file"
        return "file" if entry.is_file(follow_symlinks=False) else None
    except OSError:
        return None


def _looping(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def _unwalkable(exc: OSError) -> Finding:
    return Finding("RG120", "error", f"the directory cannot be walked: {exc.strerror or exc}; "
                   "its reports were not read", hint="give a shorter path to it, or the reports in it")
