"""Findings as SARIF 2.1.0, the log format code-scanning services read (GitHub's among them).

One run; one rule entry per code that occurs, described from the package (the rule registry for the
rules of `check`, codes.py for the others); each result located by file, line and column. Written as findings come, like
the other outputs: the results first, the tool and its rules (known only at the end) last.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from ..errors import visible
from ..version import VERSION
from .rulesdoc import describe

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


class SarifLog:
    """Writes one SARIF log to ``out``: ``add`` each file's findings, then ``close``."""

    def __init__(self, out):
        self.out, self.codes, self.results = out, {}, 0

    def add(self, path: str, findings: list) -> None:
        for finding in findings:
            self.codes.setdefault(finding.code, finding.severity)
            head = f'{{"version": "2.1.0", "$schema": "{SCHEMA}", "runs": [{{"results": [\n' if not self.results \
                else ",\n"
            self.out.write(head + json.dumps(_result(path, finding)))
            self.results += 1

    def close(self) -> None:
        if not self.results:
            self.out.write(f'{{"version": "2.1.0", "$schema": "{SCHEMA}", "runs": [{{"results": [')
        driver = {"name": "remitgrammar", "version": VERSION,
                  "rules": [_rule(code, self.codes[code]) for code in sorted(self.codes)]}
        self.out.write(f'\n], "tool": {json.dumps({"driver": driver})}}}]}}\n')


def _result(path: str, finding) -> dict:
    message = finding.message
    if finding.actual is not None:
        message += f" (expected {finding.expected}, actual {finding.actual})"
    message = visible(message, newline="\n")  # a viewer shows it; lone surrogates are not strict JSON
    location = {"artifactLocation": {"uri": uri(path)}}
    if finding.line:
        location["region"] = {"startLine": finding.line, **({"startColumn": finding.column} if finding.column else {})}
    result = {"ruleId": finding.code, "level": LEVELS[finding.severity], "message": {"text": message},
              "locations": [{"physicalLocation": location}]}
    if finding.path:  # where in the canonical record: a logical location
        result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": visible(finding.path),
                                                        "kind": "member"}]
    return result


def uri(path: str) -> str:
    """A relative URI for a path as given: its bytes percent-encoded (a name that is not UTF-8 on disk
    keeps its own bytes)."""
    return quote(path.replace("\\", "/").encode("utf-8", "surrogateescape"))


def _rule(code: str, severity: str) -> dict:
    """A rule entry, its text from the package (rulesdoc.describe: the rule registry and codes.py)."""
    known = describe(code)
    if known is None:  # no code of ours: say only what it is called
        return {"id": code, "shortDescription": {"text": code}, "defaultConfiguration": {"level": LEVELS[severity]}}
    return {"id": code, "name": known.title, "shortDescription": {"text": known.title},
            "fullDescription": {"text": known.description}, "help": {"text": known.fix},
            "defaultConfiguration": {"level": LEVELS[known.severity]}}
