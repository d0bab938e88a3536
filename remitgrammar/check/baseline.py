"""Baselines: record today's findings, then report only the ones that are new.

A finding is identified by its code, record path and message (not its line, so that it
survives unrelated edits to a report) and by its report, two ways: the report's identity (the
sha256 of its text, which does not change when a corpus moves) and its file, relative to the
baseline file (which does not change when a report is edited in place). Either one matching is
enough. Version 1 files (absolute or working-directory paths, no identity) are still read.

A baseline is input like any other: only a regular file of at most MAX_BYTES is read (a FIFO or a
device is never opened), and a file of any other shape is a ConfigError, never a traceback. It is
written beside itself and renamed into place when complete, and only over a regular file.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path

from ..errors import ConfigError, visible

VERSION = 2
MAX_BYTES = 64 << 20  # some 300,000 findings; a bigger file is refused before it is read


def _relative(name: str, directory: Path) -> str:
    """A reported file's name relative to the baseline's directory ('-', standard input, as is)."""
    if name == "-":
        return name
    try:
        return Path(os.path.relpath(os.path.abspath(name), directory)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(os.path.abspath(name)).as_posix()


class Writer:
    """Writes a baseline file finding by finding (a corpus is never held whole), into a temporary
    file beside it that replaces it only when complete: an interrupted run leaves the old baseline.

    Raises:
        OSError: the file cannot be written.
    """

    def __init__(self, target: Path):
        self.target = Path(target)
        _replaceable(self.target)
        self.directory = Path(os.path.abspath(self.target.parent))
        handle, self.partial = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".partial",
                                                dir=self.target.parent)
        self.file = os.fdopen(handle, "w", encoding="utf-8")
        self.count = 0
        self.file.write(f'{{\n  "version": {VERSION},\n  "findings": [')

    def add(self, path: str, findings: list, identity: str | None = None) -> None:
        relative = _relative(path, self.directory)
        for finding in findings:
            entry = {"report": identity, "file": relative, "code": finding.code, "path": finding.path or "",
                     "message": finding.message}
            self.file.write(("\n" if not self.count else ",\n") + "    " + json.dumps(entry))
            self.count += 1

    def close(self) -> int:
        """Finish the file and put it in place; return how many findings it holds."""
        self.file.write("\n  ]\n}\n" if self.count else "]\n}\n")
        self.file.flush()
        os.fsync(self.file.fileno())  # a full disk may only say so here: before the old file is replaced
        self.file.close()
        os.chmod(self.partial, 0o666 & ~_umask())  # as a file written in place would be, not mkstemp's 0600
        os.replace(self.partial, self.target)
        return self.count

    def abandon(self) -> None:
        """Remove the unfinished file; the old baseline, if any, stays."""
        with contextlib.suppress(OSError):  # a full disk fails the flush of the close too
            self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.partial)


def _replaceable(target: Path) -> None:
    """Refuse a target that is not a regular file (a device, a FIFO, a directory): renaming over it
    would replace it (``/dev/full`` by a file), and writing into it is not keeping a baseline.

    Raises:
        ConfigError: the target exists and is not a regular file.
    """
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ConfigError(f"{visible(target)}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{visible(target)}: not a regular file; a baseline is written only as a regular file")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write(target: Path, results) -> int:
    """Write the findings of ``results`` ((path, findings[, identity]) each) as a baseline; return how many."""
    writer = Writer(target)
    try:
        for path, findings, *identity in results:
            writer.add(path, findings, *identity[:1])
        return writer.close()
    except BaseException:
        writer.abandon()
        raise


class Known:
    """The findings of a baseline file, and which of them a run has met."""

    def __init__(self, entries: list, directory: Path, version: int):
        self.directory, self.version = directory, version
        self.by_report: dict = {}  # fingerprint -> entry indices: a finding printed three times is three entries
        self.by_file: dict = {}
        for i, e in enumerate(entries):
            if e.get("report"):
                self.by_report.setdefault((e["report"], e["code"], e["path"], e["message"]), []).append(i)
            self.by_file.setdefault((self._file(e["file"]), e["code"], e["path"], e["message"]), []).append(i)
        self.total = len(entries)
        self.met: set[int] = set()

    def _file(self, name: str) -> str:
        if name == "-":
            return name
        base = self.directory if self.version >= 2 else Path.cwd()  # version 1 kept names as given
        return os.path.normpath(os.path.join(base, name))

    def known(self, path: str, finding, identity: str | None) -> bool:
        """Whether the baseline holds this finding, an entry not yet met (each entry is met once)."""
        key = (finding.code, finding.path or "", finding.message)
        candidates = (self.by_report.get((identity, *key), []) if identity else []) + \
            self.by_file.get((self._file(path) if path == "-" else os.path.abspath(path), *key), [])
        index = next((i for i in candidates if i not in self.met), None)
        if index is not None:
            self.met.add(index)
        return index is not None

    def fixed(self) -> int:
        """Entries of the baseline that this run has not met (so far: the run has fixed them)."""
        return self.total - len(self.met)


def load(source: Path) -> Known:
    """The findings of a baseline file.

    Raises:
        ConfigError: the file is missing, not a regular file, larger than MAX_BYTES, or not a baseline
            (not UTF-8, not JSON, nested too deeply, NaN or Infinity, entries of another shape).
    """
    name = visible(source)
    try:
        doc = json.loads(_read(Path(source)).decode("utf-8"), parse_constant=_not_json)
        version, entries = _shape(doc)
    except RecursionError:  # 100,000 "[": the parser's depth, not the file's size
        raise ConfigError(f"{name}: not a remitgrammar baseline (nested too deeply)") from None
    except OSError as exc:
        raise ConfigError(f"{name}: {visible(exc.strerror or exc)}") from exc
    except ValueError as exc:  # JSON, UTF-8 and shape errors alike
        raise ConfigError(f"{name}: not a remitgrammar baseline ({visible(str(exc)[:200])})") from exc
    return Known(entries, Path(os.path.abspath(Path(source).parent)), version)


def _read(source: Path) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES. Its type is looked at before it is opened, and
    again on what was opened (never blocking: a FIFO put in its place opens without waiting)."""
    _regular(os.stat(source))
    fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as file:
        _regular(os.fstat(file.fileno()))
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"more than {MAX_BYTES >> 20} MB")
    return data


def _regular(info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    if info.st_size > MAX_BYTES:
        raise ValueError(f"{info.st_size:,} bytes, more than {MAX_BYTES >> 20} MB")


def _not_json(constant: str):
    raise ValueError(f"{constant} is not a number a baseline holds")


def _shape(doc) -> tuple:
    """(version, entries) of a parsed baseline; ValueError when it is not one."""
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise ValueError("not an object with a list of findings")
    version = doc.get("version", 1)
    if type(version) is not int or version not in (1, VERSION):  # noqa: E721 - not bool, not 1e999
        raise ValueError("version is not 1 or 2")
    return version, [_entry(e, i) for i, e in enumerate(doc["findings"])]


def _entry(entry, index: int) -> dict:
    texts = ("file", "code", "message")
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in texts) \
            or not isinstance(entry.get("path", ""), (str, type(None))) \
            or not isinstance(entry.get("report"), (str, type(None))):
        raise ValueError(f"finding {index + 1} is not an object of texts (file, code, path, message)")
    return {"report": entry.get("report"), "file": entry["file"], "code": entry["code"],
            "path": entry.get("path") or "", "message": entry["message"]}


def only_new(results, known: Known):
    """The results with the findings of the baseline removed (as they come)."""
    for path, findings, *identity in results:
        report = identity[0] if identity else None
        yield (path, [f for f in findings if not known.known(path, f, report)], *identity)
