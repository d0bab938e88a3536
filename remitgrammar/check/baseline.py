"""Baselines: record today's findings, then report only the ones that are new.

A finding is identified by its code, record path and message (not its line, so that it
survives unrelated edits to a report) and by its report, two ways: the report's identity (the
sha256 of its text, which does not change when a corpus moves) and its file, relative to the
baseline file (which does not change when a report is edited in place). Either one matching is
enough. Version 1 files (absolute or working-directory paths, no identity) are still read.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from ..errors import ConfigError

VERSION = 2


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
        self.file.close()
        os.chmod(self.partial, 0o666 & ~_umask())  # as a file written in place would be, not mkstemp's 0600
        os.replace(self.partial, self.target)
        return self.count

    def abandon(self) -> None:
        """Remove the unfinished file; the old baseline, if any, stays."""
        self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.partial)


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
        self.total, self.met = len(entries), set()

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
        ConfigError: the file is missing or not a baseline.
    """
    try:
        doc = json.loads(Path(source).read_text(encoding="utf-8"))
        entries = [{"report": e.get("report"), "file": str(e["file"]), "code": e["code"], "path": e["path"],
                    "message": e["message"]} for e in doc["findings"]]
        return Known(entries, Path(os.path.abspath(Path(source).parent)), int(doc.get("version", 1)))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{source}: not a remitgrammar baseline ({exc})") from exc


def only_new(results, known: Known):
    """The results with the findings of the baseline removed (as they come)."""
    for path, findings, *identity in results:
        report = identity[0] if identity else None
        yield (path, [f for f in findings if not known.known(path, f, report)], *identity)
