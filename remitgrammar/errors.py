"""Problems as data: findings with a code and a location, and the two exception types."""

from __future__ import annotations

import re

from dataclasses import dataclass, field


SHOWN = 200  # characters of a source line quoted under a finding
MAX_MESSAGE = 1000  # characters of a message (or expected/actual); a label stacked from 20,000 heading lines is longer
MAX_PER_CODE = 1000  # findings of one code listed per report: several times a real report's worst (127);
#                      20,000 copied rows would list 180,000
_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
# C0, DEL, C1, the Unicode line separators and bidirectional overrides, lone surrogates; "##[": a
# GitHub runner's command anywhere in a line
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]|#(?=#\[)")
# what a runner's Trim() takes off the start of a line (whitespace, and zero-width spaces to be safe)
_LEADING_COMMAND = re.compile(r"^((?:[^\S\n]|[\u200b-\u200d\u2060\ufeff])*):(?=:)", re.M)
QUOTE = "  | "  # the prefix of a quoted report line: the line can never start a CI runner's command


def _escape(match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8, read with surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}"


def visible(text, newline: str = "\\n") -> str:
    """Text that a terminal or a CI log prints and never obeys: control characters (C0, DEL, C1,
    line separators, bidirectional overrides) written as escapes (``\\x1b``, ``\\u202e``), a byte
    of a file name that is not UTF-8 as ``\\xff``, another lone surrogate as ``\\udXXX``, a newline
    as ``newline`` (``"\\n"`` keeps it), and ``##[`` (a GitHub runner's command anywhere in a
    line) as ``\\x23#[``."""
    text = str(text).replace("\n", newline)
    if text.isascii() and text.isprintable() and "##[" not in text:  # most text: nothing to escape, no regex
        return text
    return _CONTROL.sub(_escape, text)


def inert(text: str) -> str:
    """Lines of output with none that begins, after spaces, with ``::`` (a GitHub workflow command:
    the runner strips leading spaces); each such first colon is written ``\\x3a``. ``text`` is
    already ``visible``."""
    return _LEADING_COMMAND.sub(lambda m: m.group(1) + "\\x3a", text)


def _clipped(text):
    """Text cut to MAX_MESSAGE characters, saying how long it was."""
    if text is None or len(text) <= MAX_MESSAGE:
        return text
    return f"{text[:MAX_MESSAGE]}... ({len(text):,} characters in all)"


@dataclass
class Finding:
    """One problem found in a report, with where it points.

    Codes: RG1xx parse, RG2xx labels and specs, RG3xx arithmetic, RG4xx across
    filings (docs/findings.md lists them). ``rests_on``: the codes of the findings this one is built on
    (a likely misprint, RG399 or RG407, names the figure behind them), so that it goes where they are all
    ignored; kept in JSON output.
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
    rests_on: tuple | None = None

    def __post_init__(self):
        self.message = _clipped(self.message)
        self.expected, self.actual = _clipped(self.expected), _clipped(self.actual)

    def as_dict(self) -> dict:
        """The finding as SCHEMA.md shows it (empty keys left out)."""
        keys = ("code", "severity", "message", "path", "line", "column", "expected", "actual", "hint", "rests_on")
        shown = {k: getattr(self, k) for k in keys if getattr(self, k) is not None}
        if "rests_on" in shown:
            shown["rests_on"] = list(shown["rests_on"])
        return shown

    def render(self, file_path: str) -> str:
        """``path:line:col: CODE severity message``, then the source line and a caret.

        Nothing of the input is obeyed: control characters (an escape sequence in a label, a file
        name) are shown escaped, the report line is quoted under ``QUOTE``, and no line begins with
        ``::`` nor holds ``##[`` (see ``visible`` and ``inert``).
        """
        where = file_path if self.line is None else f"{file_path}:{self.line}:{self.column or 1}"
        message = "\n    ".join(visible(part) for part in self.message.split("\n"))  # each line shown
        text = f"{visible(where)}: {self.code} {self.severity}: {message}"
        if self.expected is not None:
            text += f"\n    expected: {visible(self.expected)}"
        if self.actual is not None:
            text += f"\n    actual:   {visible(self.actual)}"
        if self.source_line is not None and self.column:
            text += _quoted(self.source_line, self.column)
        if self.hint:
            text += f"\n    hint: {visible(self.hint)}"
        return inert(text)


def _quoted(source_line: str, column: int) -> str:
    """The source line under a finding and a caret under its column; of a line longer than SHOWN (an
    HTML file's, a whole table on one line), the SHOWN characters around the column, cut ends marked."""
    line = source_line.rstrip("\r\n").expandtabs(1)
    start = 0 if column <= SHOWN - 20 else min(column - 1 - SHOWN // 2, max(0, len(line) - SHOWN))
    start = max(start, 0)
    piece = line[start:start + SHOWN]
    lead = "..." if start else ""
    tail = "..." if start + SHOWN < len(line) and start else ""
    caret = len(lead) + min(column - 1 - start, SHOWN)
    return f"\n{QUOTE}{lead}{visible(piece)}{tail}\n{QUOTE}{' ' * caret}^"


class RemitError(Exception):
    """Input that cannot be turned into a whole record (empty, binary, unknown format, unparsable).

    Attributes:
        finding: the first problem, with its code and location.
        path: the file it concerns (or ``<text>``).
        findings: every problem found (a report with several bad lines has several).
        record: the record of the lines that did parse (numbers as Decimal), when some did; else None.
        result: the pipeline's own partial parse result (internal: the public API raises with None).
    """

    def __init__(self, finding: Finding, path: str = "<text>", findings: list | None = None, result=None):
        super().__init__(finding.message)
        self.finding = finding
        self.path = path
        self.findings = findings or [finding]
        self.result = result
        self.record = getattr(result, "record", None)
        self.debug: str | None = None  # the traceback of an internal error, shown with --debug
        self.identity: tuple = ()  # the keys of the filing it is (pipeline.identity_of), when it was read

    def public(self, provenance: bool = False) -> "RemitError":
        """The error as the public API raises it: the partial record (and its provenance, asked for)
        as plain data, no parse tree or format spec behind it."""
        error = RemitError(self.finding, self.path, self.findings)
        if self.result is not None:
            record = self.result.record
            error.record = {**record, "provenance": self.result.provenance} if provenance else record
        error.debug = self.debug
        return error

    def render(self) -> str:
        """Every problem in ``path:line:col: CODE message`` form."""
        return "\n".join(f.render(self.path) for f in self.findings)


def limit_findings(findings: list, per_code: int = MAX_PER_CODE) -> list:
    """The first ``per_code`` findings of each code, in order, and for each code with more one
    finding that counts the rest, at their worst severity and with the lines they span.

    The count is exact, so ``--fail-on`` sees the same outcome; only the listing is cut.
    """
    collected = Findings(per_code=per_code)
    for finding in findings:
        collected.keep(finding)
    return collected.listed()


class ConfigError(Exception):
    """A problem in the tool's own configuration: a spec, a grammar, a format name."""


@dataclass
class Findings:
    """Collects findings during one run, so that one run reports all of them.

    Past ``per_code`` findings of one code, a finding is only counted (code, severity,
    line): ``listed()`` sums those up in one finding per code.
    """

    items: list = field(default_factory=list)
    overflow: dict = field(default_factory=dict)  # code -> [count, worst severity, first line, last line] not listed
    per_code: int = MAX_PER_CODE
    counts: dict = field(default_factory=dict)

    def full(self, code: str) -> bool:
        """Whether findings of ``code`` are only counted now (so a caller can skip writing the message)."""
        return self.counts.get(code, 0) >= self.per_code

    def add(self, code: str, severity: str, message: str, cell=None, **extra) -> None:
        """Record a finding; ``cell`` (anything with line/column) gives its location."""
        if cell is not None:
            extra.setdefault("line", cell.line)
            extra.setdefault("column", cell.column)
        if self.full(code):
            self.count(code, severity, extra.get("line"))
        else:
            self.keep(Finding(code, severity, message, **extra))

    def count(self, code: str, severity: str, line: int | None) -> None:
        """A finding past the listing limit: only counted."""
        self.counts[code] = self.counts.get(code, 0) + 1
        counted = self.overflow.get(code)
        if counted is None:  # summed as they come: 20,000 copied rows leave one entry, not 180,000
            self.overflow[code] = [1, severity, line, line]
            return
        counted[0] += 1
        if severity != counted[1] and _SEVERITY_RANK.get(severity, 2) > _SEVERITY_RANK[counted[1]]:
            counted[1] = severity
        if line:
            if not counted[2] or line < counted[2]:
                counted[2] = line
            if not counted[3] or line > counted[3]:
                counted[3] = line

    def keep(self, finding: Finding) -> None:
        """Record a finding already made."""
        if self.full(finding.code):
            self.count(finding.code, finding.severity, finding.line)
        else:
            self.counts[finding.code] = self.counts.get(finding.code, 0) + 1
            self.items.append(finding)

    def listed(self) -> list:
        """The findings kept, then one finding per code that counts those past the limit."""
        return self.items + [_summary(code, count, severity, low, high, self.per_code)
                             for code, (count, severity, low, high) in self.overflow.items()]


def _summary(code: str, count: int, severity: str, low, high, per_code: int) -> Finding:
    span = f" on lines {low}-{high}" if low else ""
    return Finding(code, severity, f"{count:,} more {code} findings{span} are not listed: a report lists "
                   f"the first {per_code} of each code", line=low or None,
                   hint="fix the ones listed and run again; the rest are often copies of them")
