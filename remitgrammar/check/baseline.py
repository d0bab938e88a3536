"""Baselines: record today's findings, then report only the ones that are new.

A finding is identified by its file (as named on the command line), code, record
path and message, not by line, so that it survives unrelated edits to a report.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError

VERSION = 1


def fingerprint(path: str, finding) -> tuple:
    """What identifies a finding across runs."""
    return (path, finding.code, finding.path or "", finding.message)


def write(target: Path, results: list) -> int:
    """Write the findings of ``results`` as a baseline; return how many."""
    entries = [dict(zip(("file", "code", "path", "message"), fingerprint(p, f)))
               for p, findings in results for f in findings]
    target.write_text(json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n", encoding="utf-8")
    return len(entries)


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


def only_new(results: list, known: set) -> list:
    """The results with the findings of the baseline removed."""
    return [(p, [f for f in findings if fingerprint(p, f) not in known]) for p, findings in results]
