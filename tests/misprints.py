"""What the misprint tests of each family share: a sample with one printed figure changed in place, and
what `check` says of it through the command line."""

from __future__ import annotations

import json
from pathlib import Path

from remitgrammar.cli import app


def check_findings(runner, *args) -> list:
    """The findings of `remitgrammar check ARGS --output-format json`, every file's, in order."""
    result = runner.invoke(app, ["check", *map(str, args), "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    return [f for entry in json.loads(result.stdout)["files"] for f in entry["findings"]]


def misprinted(tmp_path: Path, sample: Path, line: int, column: int, old: str, new: str) -> Path:
    """The sample with the figure ``old`` at line:column (1-based) printed ``new`` (same width)."""
    lines = sample.read_text().split("\n")
    text = lines[line - 1]
    assert text[column - 1:column - 1 + len(old)] == old and len(old) == len(new)
    lines[line - 1] = text[:column - 1] + new + text[column - 1 + len(old):]
    path = tmp_path / sample.name
    path.write_text("\n".join(lines))
    return path


def declared(findings: list) -> set:
    """(record path, line) of each finding of an identity the format declares (RG330)."""
    return {(f.get("path"), f["line"]) for f in findings if f["code"] == "RG330"}
