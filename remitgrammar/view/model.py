"""What a report's page shows, as plain data made where the report was parsed: its lines as the
file numbers them, and a mark for every printed number saying what became of it (check/coverage.py's
accounting, so that the page's counts are coverage's), with the field's exact value and meaning.

The runner sends this back from its workers (``keep={"view", ...}``); the page (page.py) is made
from it alone, so that nothing of a parse (its tree, its spec) crosses between processes.
"""

from __future__ import annotations

from ..check.coverage import account
from .grid import Grid
from ..formats.specs import canonical, field_info
from ..records import field_names, parse_rendered, value_at

MAX_SHOWN_LINES = 200_000  # a page past this many lines is no page to read; its report is cut (and says so)


def report_view(parsed) -> dict:
    """The view of a ParseResult (pipeline.parse_result): ``lines`` ([number, text, in report]),
    ``marks`` (line, column, text, status; path, value, meaning, unit for a field; section and label
    for ``extra``), ``coverage`` (coverage's counts) and ``cut`` (lines not shown past the bound).
    A statement rendered from HTML tables shows its grid: ``lines`` are the grid's, marks stand on it
    (with ``file_line`` and ``file_column``, where provenance points), and ``runs`` say where each
    piece of the grid is in the file."""
    counts, marks = account(parsed)
    fields: dict = {}
    extra = _extra_by_line(parsed.record.get("extra") or ())
    shown = [_mark(m, parsed, fields, extra) for m in marks]
    if getattr(parsed, "rendered", None):  # an HTML statement: its rendered grid, each run's place in the file
        runs = parsed.places.runs(MAX_SHOWN_LINES)
        return {"lines": [[n, text, True] for n, text in enumerate(parsed.rendered[:MAX_SHOWN_LINES], 1)],
                "marks": _on_grid(shown, runs), "runs": runs, "coverage": counts.as_dict(),
                "cut": max(0, len(parsed.rendered) - MAX_SHOWN_LINES)}
    return {"lines": _lines(parsed), "marks": shown,
            "coverage": counts.as_dict(), "cut": max(0, _span(parsed)[1] - _span(parsed)[0] + 1 - MAX_SHOWN_LINES)}


def _on_grid(marks: list, runs: list) -> list:
    """Marks placed by the file's line and column, moved onto the grid where their text is shown."""
    grid = Grid(runs)
    for mark in marks:
        line, column = grid.shown(mark["line"], mark["column"], exact=True)
        if line is not None:
            mark["file_line"], mark["file_column"] = mark["line"], mark["column"]
            mark["line"], mark["column"] = line, column
    return marks


def _span(parsed) -> tuple[int, int]:
    """The file's first and last line of the report (an EDGAR submission: its statement's)."""
    line_map = parsed.line_map
    if line_map:
        return min(line_map), max(line_map)
    return 1, len(parsed.lines)


def _lines(parsed) -> list:
    first, last = _span(parsed)
    last = min(last, first + MAX_SHOWN_LINES - 1)
    inside = set(parsed.line_map) if parsed.line_map else None
    return [[n, parsed.lines[n - 1] if n <= len(parsed.lines) else "", inside is None or n in inside]
            for n in range(first, last + 1)]


def _extra_by_line(entries) -> dict:
    by_line: dict = {}
    for entry in entries:
        by_line.setdefault(entry.get("line"), []).append(entry)
    return by_line


def _mark(mark, parsed, fields: dict, extra: dict) -> dict:
    out = {"line": mark.line, "column": mark.column, "text": mark.text, "status": mark.status}
    if mark.path:
        out["path"] = mark.path
        value = value_at(parsed.record, parse_rendered(mark.path))
        if value is not None:
            out["value"] = value if isinstance(value, bool) else str(value)
        out.update(_field(mark.path, parsed.spec, fields))
    elif mark.status in ("extra", "skipped"):
        entry = next((e for e in extra.get(mark.line, ()) if mark.text in e.get("values", ())), None)
        if entry is not None:
            out["section"], out["label"] = entry.get("section", ""), entry.get("label", "")
    return out


def _field(path: str, spec, known: dict) -> dict:
    """The meaning and unit of a path's field (the format's additions first, then canonical.yaml)."""
    section, name = field_names(parse_rendered(path))
    if (section, name) not in known:
        info = field_info(spec, section, name) if name else canonical().get(section) or {}
        known[(section, name)] = {k: str(info[k]) for k in ("meaning", "unit", "type") if info.get(k)}
    return known[(section, name)]
