"""Baselines: record today's findings, then report only the ones that are new.

A finding is identified by its file (as named on the command line), code, record
path and message, not by line, so that it survives unrelated edits to a report.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from ..errors import ConfigError

VERSION = 1


def fingerprint(path: str, finding) -> tuple:
    """What identifies a finding across runs."""
    return (path, finding.code, finding.path or "", finding.message)


class Writer:
    """Writes a baseline file finding by finding (a corpus is never held whole), into a temporary
    file beside it that replaces it only when complete: an interrupted run leaves the old baseline.

    Raises:
        OSError: the file cannot be written.
    """

    def __init__(self, target: Path):
        self.target = Path(target)
        handle, self.partial = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".partial",
                                                dir=self.target.parent)
        self.file = os.fdopen(handle, "w", encoding="utf-8")
        self.count = 0
        self.file.write(f'{{\n  "version": {VERSION},\n  "findings": [')

    def add(self, path: str, findings: list) -> None:
        for finding in findings:
            entry = dict(zip(("file", "code", "path", "message"), fingerprint(path, finding)))
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
    """Write the findings of ``results`` as a baseline; return how many."""
    writer = Writer(target)
    try:
        for path, findings in results:
            writer.add(path, findings)
        return writer.close()
    except BaseException:
        writer.abandon()
        raise


def load(source: Path) -> set:
    """The fingerprints of a baseline file.

    Raises:
        ConfigError: the file is missing or not a baseline.
    """
    try:
        doc = json.loads(source.read_text(encoding="utf-8"))
        return {(e["file"], e["code"], e["path"], e["message"]) for e in doc["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{source}: not a remitgrammar baseline ({exc})") from exc


def only_new(results, known: set):
    """The results with the findings of the baseline removed (as they come)."""
    return ((p, [f for f in findings if fingerprint(p, f) not in known]) for p, findings in results)
