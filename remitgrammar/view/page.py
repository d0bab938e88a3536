"""One report's page: the report as printed, line by line with the file's numbers, every printed
number marked by what became of it (view/model.py's marks), every finding under its line, a legend
with coverage's counts, and a filter run by page.js.

The page is made from plain data alone (``report_view``'s dict and the report's findings), so it can
be written anywhere a ``Result`` arrives. Every text from the report goes through ``html.text`` or
``html.attr``; the page is one ``html.document``, whose policy allows only its own style and script.
The markup is built with lists and joins, no regular expression: a 1,000-line report with 5,000
marks is a fifth of a second of Python; the script does nothing until a control is used, and lines
off screen are laid out only when scrolled to (page.css), so that such a page opens at once.
"""

from __future__ import annotations

import functools
from pathlib import Path

from .grid import Grid
from .html import attr, document, text
from .page_parts import STATUS_WORDS, controls, findings_list, finding_block, legend, unplaced_block


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """A file shipped beside this module (page.css, page.js)."""
    return Path(__file__).with_name(name).read_text(encoding="utf-8")


def report_page(name: str, view: dict | None, findings: list, *, title: str = "", back_href: str | None = None) -> str:
    """The whole HTML page of one report: ``view`` is ``report_view``'s dict, ``findings`` its
    Finding objects, ``title`` a line under its name, ``back_href`` the page it links back to. A
    report that gave no view (it did not parse) is a page of its findings alone."""
    view = view or {}
    lines = view.get("lines") or []
    numbered = {number: index for index, (number, _text, _inside) in enumerate(lines)}
    runs = view.get("runs")
    grid = Grid(runs) if runs else None
    placed, unplaced = _findings_by_line(findings, numbered, grid)
    marks = _marks_by_line(view.get("marks") or ())
    body_lines, missed = _lines_html(lines, marks, placed, grid)
    heading = f"{name} \u2014 {title}" if title else name
    body = [_header(name, title, back_href),
            legend(view.get("coverage") or {}, view.get("marks") or (), missed),
            findings_list(findings, placed, unplaced),
            unplaced_block(unplaced),
            controls(view.get("marks") or (), findings),
            f'<main id="report" class="report {_width_class(lines)}">', *body_lines, "</main>",
            _cut_note(view.get("cut") or 0)]
    return document(heading, "\n".join(part for part in body if part), _asset("page.css"), _asset("page.js"))


WIDTHS = ((130, "w130"), (160, "w160"), (200, "w200"), (250, "w250"))  # page.css sizes the printed type by these


def _width_class(lines: list) -> str:
    """The class naming the longest line's width (tabs at 8), by which a printed page sizes its type."""
    longest = max((len(line.expandtabs(8)) for _number, line, _inside in lines), default=0)
    return next((name for most, name in WIDTHS if longest <= most), "wmax")


def _header(name: str, title: str, back_href: str | None) -> str:
    back = f'<p class="back"><a id="back" href="{attr(back_href)}">\u2190 back to the deal</a></p>' if back_href else ""
    subtitle = f'<p class="subtitle">{text(title)}</p>' if title else ""
    return f'<header>{back}<h1 id="name">{text(name)}</h1>{subtitle}</header>'


def _cut_note(cut: int) -> str:
    if cut <= 0:
        return ""
    return f'<p class="cut" id="cut">{cut:,} more lines of the report are not shown: the page stops at its bound.</p>'


def _findings_by_line(findings: list, numbered: dict, grid: "Grid | None") -> tuple[dict, list]:
    """Findings (numbered from 1 in the order given) by the line they stand under, with the column of
    their caret, and those whose line the page does not show."""
    placed: dict = {}
    unplaced = []
    for number, finding in enumerate(findings, 1):
        line, column = grid.shown(finding.line, finding.column) if grid else (finding.line, finding.column)
        if line in numbered:
            placed.setdefault(line, []).append((number, finding, column))
        else:
            unplaced.append((number, finding))
    for entries in placed.values():
        entries.sort(key=lambda entry: (entry[2] or 0, entry[0]))
    return placed, unplaced


def _marks_by_line(marks) -> dict:
    by_line: dict = {}
    for mark in marks:
        by_line.setdefault(mark.get("line"), []).append(mark)
    for entries in by_line.values():
        entries.sort(key=lambda mark: mark.get("column") or 0)
    return by_line


def _lines_html(lines: list, marks: dict, placed: dict, grid: Grid | None) -> tuple[list, int]:
    """Each line as a block (number, text with its marks, its findings), and how many marks could
    not be placed (their text is not what the line holds at their column). A grid rendered from
    HTML shows, beside each line's number, the file's line and column of its first character."""
    out = []
    missed = 0
    for number, line_text, inside in lines:
        body, misses = _marked(line_text, marks.get(number, ()))
        missed += misses
        notes = placed.get(number, ())
        classes = ("l" if inside else "l out") + (" fx" if notes else "")
        source = grid.source(number) if grid else ""
        where = (f'<span class="src" title="its first character\'s line and column in the file">{text(source)}</span>'
                 if source else "")
        out.append(f'<div class="{classes}" id="L{number}" data-line="{number}">'
                   f'<a class="n" href="#L{number}" aria-label="line {number}">{number}</a>{where}'
                   f'<span class="t">{body}</span>'
                   + "".join(finding_block(n, finding, line_text, column) for n, finding, column in notes) + "</div>")
    return out, missed


def _marked(line_text: str, marks) -> tuple[str, int]:
    """The line's markup with each mark wrapped where it stands; a mark whose text is not the
    line's at its column (or that overlaps the one before) is left out rather than guessed."""
    parts = []
    at = 0
    missed = 0
    for mark in marks:
        printed = str(mark.get("text") or "")
        start = (mark.get("column") or 0) - 1
        end = start + len(printed)
        if not printed or start < at or line_text[start:end] != printed:
            missed += 1
            continue
        parts.append(text(line_text[at:start]))
        parts.append(_mark_html(mark, printed))
        at = end
    parts.append(text(line_text[at:]))
    return "".join(parts), missed


def _mark_html(mark: dict, printed: str) -> str:
    status = str(mark.get("status") or "")
    extra = ""
    if mark.get("path"):
        extra = f' data-path="{attr(mark["path"])}"'
    elif mark.get("label") or mark.get("section"):
        extra = f' data-label="{attr(_label(mark))}"'
    return (f'<mark class="v s-{attr(status)}" data-status="{attr(status)}"{extra} tabindex="0" '
            f'title="{attr(tip(mark))}">{text(printed)}</mark>')


def _label(mark: dict) -> str:
    return " / ".join(str(mark[key]) for key in ("section", "label") if mark.get(key))


def _value(mark: dict) -> str:
    value = mark.get("value")
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def tip(mark: dict) -> str:
    """What a mark says on hover and focus, on one line: what became of the number in words, then
    its field (path, exact value, unit, meaning) or, for ``extra``, its section and label."""
    status = str(mark.get("status") or "")
    parts = [STATUS_WORDS.get(status, status)]
    if mark.get("path"):
        value, unit = _value(mark), mark.get("unit")
        held = "the record holds" if status == "conflict" else "="
        field = f"{mark['path']} {held} {value}" if value else str(mark["path"])
        parts.append(f"{field} {unit}" if unit and value else field)
        if mark.get("meaning"):
            parts.append(str(mark["meaning"]))
    elif mark.get("section") or mark.get("label"):
        parts.append(f"section {mark.get('section') or '?'}, label {mark.get('label') or '?'}")
    return " \u2014 ".join(parts)
