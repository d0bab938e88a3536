"""The parts of a report's page around its lines (page.py): the legend with coverage's counts, the
list of findings at the top, a finding's block with its caret, and the filter's controls.

Every text from a report or a finding goes through ``html.text`` or ``html.attr``.
"""

from __future__ import annotations

from collections import Counter

from .html import attr, text

# what each status says in words, on a mark's tip and in the legend
STATUS_WORDS = {
    "canonical": "canonical: a field of the record",
    "repeat": "repeat: printed again, agreeing with the record's value (counted as canonical)",
    "conflict": "conflict: printed again, disagreeing with the record's value (kept in extra, RG206)",
    "extra": "extra: read, but no canonical field; kept in the record's extra",
    "skipped": "skipped: on a line the parser could not fit (RG101); kept in extra, counted apart",
    "lost": "lost: the record holds nothing of this number (malformed, RG113, or read by no field)",
    "ignored": "ignored: in a section or line that reads no values (cover, page furniture); not counted",
}
STATUSES = tuple(STATUS_WORDS)


def _count(key: str, value) -> str:
    return f'<span class="count" data-count="{key}">{text(value)}</span>'


def _swatch(status: str) -> str:
    return f'<span class="sw s-{status}" aria-hidden="true">1.00</span>'


def legend(coverage: dict, marks, missed: int) -> str:
    """The legend: each status's look and coverage's counts (``remitgrammar coverage``'s), the
    conflicts counted from the marks."""
    conflicts = sum(1 for mark in marks if mark.get("status") == "conflict")
    get = coverage.get
    items = [
        f'<li data-status="canonical">{_swatch("canonical")} canonical: {_count("canonical", get("canonical", 0))}, '
        f'of which {_swatch("repeat")} {_count("repeats", get("repeats", 0))} repeats (printed again, agreeing)</li>',
        f'<li data-status="extra">{_swatch("extra")} extra: {_count("extra", get("extra", 0))}, of which '
        f'{_swatch("conflict")} {_count("conflicts", conflicts)} conflicts (printed again, disagreeing)</li>',
        f'<li data-status="skipped">{_swatch("skipped")} skipped: {_count("skipped", get("skipped", 0))} '
        "on lines the parser could not fit (RG101)</li>",
        f'<li data-status="lost">{_swatch("lost")} lost: {_count("lost", get("lost", 0))} that gave the record nothing</li>',
        f'<li data-status="ignored">{_swatch("ignored")} ignored: {_count("ignored", get("ignored", 0))} '
        "in cover, ignored sections and lines (not counted as printed)</li>",
        f'<li data-status="left_out">left out: {_count("left_out", get("left_out", 0))} '
        "past the bound of extra (RG122), neither read nor kept</li>",
    ]
    unplaced = (f'<p class="missed">{_count("unplaced_marks", missed)} marks could not be placed: their text is '
                "not what their line holds at their column.</p>") if missed else ""
    return (f'<section id="legend" class="legend" aria-label="legend"><h2>Printed numbers</h2>'
            f'<p>{_count("printed", get("printed", 0))} printed numbers, '
            f'{_count("canonical_pct", get("canonical_pct", 100.0))}% canonical.</p>'
            f'<ul>{"".join(items)}</ul>{unplaced}</section>')


def _where(finding) -> str:
    if finding.line is None:
        return "no line"
    return f"line {finding.line}, column {finding.column}" if finding.column else f"line {finding.line}"


def findings_list(findings: list, placed: dict, unplaced: list) -> str:
    """All findings at the top, those without a line first, then by line and column, each a link
    to its block."""
    entries = list(unplaced) + sorted((entry[:2] for notes in placed.values() for entry in notes),
                                      key=lambda e: (e[1].line, e[1].column or 0, e[0]))
    severities = Counter(finding.severity for finding in findings)
    summary = ", ".join(f"{count} {text(severity)}" for severity, count in sorted(severities.items()))
    items = [f'<li class="sev-{attr(f.severity)}" data-code="{attr(f.code)}"><a href="#F{n}">{text(_where(f))}</a> '
             f'<code>{text(f.code)}</code> <span class="sev">{text(f.severity)}</span>: {text(f.message)}</li>'
             for n, f in entries]
    listed = f'<ol class="flist">{"".join(items)}</ol>' if items else "<p>No findings.</p>"
    head = f"Findings ({len(findings)}{': ' + summary if summary else ''})"
    return f'<section id="findings" class="findings" aria-label="findings"><h2>{head}</h2>{listed}</section>'


def caret(source: str, column: int | None) -> str:
    """The source line echoed and a ``^`` under the column (tabs kept so that it lines up)."""
    if not column or column < 1:
        return text(source)
    lead = "".join("\t" if ch == "\t" else " " for ch in source[:column - 1])
    return f"{text(source)}\n{lead}{' ' * max(0, column - 1 - len(source))}^"


def finding_block(number: int, finding, line_text: str | None, column: int | None = None) -> str:
    """A finding's block: code, severity, where, message, the caret line (under ``column`` of
    ``line_text`` when given: a grid's), expected and actual, its path and hint."""
    source = line_text if line_text is not None else finding.source_line
    at = column if line_text is not None and column is not None else finding.column
    echoed = f'<pre class="caret">{caret(source, at)}</pre>' if source is not None else ""
    details = [(key, getattr(finding, key)) for key in ("expected", "actual", "path", "hint")]
    listed = "".join(f'<dt>{key}</dt><dd class="{key}">{text(value)}</dd>' for key, value in details if value)
    path = f' data-path="{attr(finding.path)}"' if finding.path else ""
    return (f'<div class="finding sev-{attr(finding.severity)}" id="F{number}" data-code="{attr(finding.code)}" '
            f'data-severity="{attr(finding.severity)}"{path} role="note">'
            f'<p class="fhead"><a class="fn" href="#F{number}">F{number}</a> <code class="code">{text(finding.code)}</code> '
            f'<span class="sev">{text(finding.severity)}</span> <span class="where">{text(_where(finding))}</span> '
            f'<span class="msg">{text(finding.message)}</span></p>{echoed}'
            f'{"<dl>" + listed + "</dl>" if listed else ""}</div>')


def unplaced_block(unplaced: list) -> str:
    """The findings whose line the page does not show (a whole report's, a line past the cut)."""
    if not unplaced:
        return ""
    blocks = "".join(finding_block(number, finding, None) for number, finding in unplaced)
    return (f'<section id="unplaced" class="unplaced" aria-label="findings without a line">'
            f'<h2>Findings without a line ({len(unplaced)})</h2>{blocks}</section>')


def _options(counts: Counter, words: dict | None = None) -> str:
    return "".join(f'<option value="{attr(key)}">{text(key)} ({counts[key]})</option>'
                   for key in (words or sorted(counts)) if counts.get(key))


def controls(marks, findings: list) -> str:
    """Search and filter, hidden until page.js shows them (with scripts off they would do nothing)."""
    statuses = Counter(str(mark.get("status")) for mark in marks)
    codes = Counter(str(finding.code) for finding in findings)
    return ('<div id="controls" class="controls" role="search" hidden>'
            '<label>path or text <input id="q" type="search" autocomplete="off" spellcheck="false"></label> '
            f'<label>status <select id="status"><option value="">any</option>{_options(statuses, STATUS_WORDS)}</select></label> '
            f'<label>finding code <select id="code"><option value="">any</option>{_options(codes)}</select></label> '
            '<label><input id="only" type="checkbox"> only matching lines</label> '
            '<output id="count" aria-live="polite"></output></div>')
