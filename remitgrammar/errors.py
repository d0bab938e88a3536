"""Problems as data: findings with a code and a location, and the two exception types."""

from __future__ import annotations

import re

from dataclasses import dataclass, field


SHOWN = 200  # characters of a source line quoted under a finding
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def visible(text) -> str:
    """Text with its control characters written as escapes (``\\x1b``), newlines as ``\\n``."""
    text = str(text).replace("\n", "\\n")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@dataclass
class Finding:
    """One problem found in a report, with where it points.

    Codes: RG1xx parse, RG2xx labels and specs, RG3xx arithmetic, RG4xx across
    filings (docs/findings.md lists them).
    """

    code: str
    severity: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    source_line: str | None = None
    expected: str | None = None
    actual: str | None = None
    hint: str | None = None

    def as_dict(self) -> dict:
        """The finding as SCHEMA.md shows it (empty keys left out)."""
        keys = ("code", "severity", "message", "path", "line", "column", "expected", "actual", "hint")
        return {k: getattr(self, k) for k in keys if getattr(self, k) is not None}

    def render(self, file_path: str) -> str:
        """``path:line:col: CODE severity message``, then the source line and a caret.

        Control characters of the input (an escape sequence in a label, a file name) are
        shown escaped: a terminal prints the text, it does not obey it.
        """
        where = file_path if self.line is None else f"{file_path}:{self.line}:{self.column or 1}"
        message = "\n    ".join(visible(part) for part in self.message.split("\n"))  # each line shown
        text = f"{visible(where)}: {self.code} {self.severity}: {message}"
        if self.expected is not None:
            text += f"\n    expected: {visible(self.expected)}"
        if self.actual is not None:
            text += f"\n    actual:   {visible(self.actual)}"
        if self.source_line is not None and self.column:
            shown = visible(self.source_line.rstrip("\r\n").expandtabs(1)[:SHOWN])
            text += f"\n    {shown}\n    {' ' * min(self.column - 1, SHOWN)}^"
        if self.hint:
            text += f"\n    hint: {visible(self.hint)}"
        return text


class RemitError(Exception):
    """Input that cannot be turned into a whole record (empty, binary, unknown format, unparsable).

    Attributes:
        finding: the first problem, with its code and location.
        path: the file it concerns (or ``<text>``).
        findings: every problem found (a report with several bad lines has several).
        result: the partial parse result when the lines that did fit made one, else None.
    """

    def __init__(self, finding: Finding, path: str = "<text>", findings: list | None = None, result=None):
        super().__init__(finding.message)
        self.finding = finding
        self.path = path
        self.findings = findings or [finding]
        self.result = result
        self.debug: str | None = None  # the traceback of an internal error, shown with --debug

    def render(self) -> str:
        """Every problem in ``path:line:col: CODE message`` form."""
        return "\n".join(f.render(self.path) for f in self.findings)


class ConfigError(Exception):
    """A problem in the tool's own configuration: a spec, a grammar, a format name."""


@dataclass
class Findings:
    """Collects findings during one run, so that one run reports all of them."""

    items: list = field(default_factory=list)

    def add(self, code: str, severity: str, message: str, cell=None, **extra) -> None:
        """Record a finding; ``cell`` (anything with line/column) gives its location."""
        if cell is not None:
            extra.setdefault("line", cell.line)
            extra.setdefault("column", cell.column)
        self.items.append(Finding(code, severity, message, **extra))
