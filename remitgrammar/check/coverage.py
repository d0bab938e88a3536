"""Account for every printed number of a report: a canonical field, ``extra``, or lost.

A printed number is a value cell (digits, as ``split_row`` reads a line) on a
line of a section whose role maps data (class tables, key values, status
matrices, information boxes), or of a part of the tree no role claims. Lines a
role read as titles or column headings, and cells it read as part of a label
(``Grp 1``), name things and are not counted, but for a value a role read off
such a line (a distribution number in a title block): that one is canonical. Numbers in sections whose role
reads no values (a cover page, an ``ignored`` section: ``Role.reads_values``) and
on lines the grammar ignores (page numbers, running heads) are **ignored**, shown
apart; numbers on lines the parser skipped (RG101) are **skipped**: kept in
``extra``, but counted apart from it, as a line that did not fit is not a read
one. A token that looks like a number but is not a well-formed one (RG113) is
**lost** wherever it stands: it is kept in ``extra`` as printed, but no number
was read. A number that prints again a value the record already holds, and
agrees with it (RG207), counts as canonical and as a repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Tree

from ..intake.characters import Shifts
from ..parse.grammar import short_name
from ..parse.lines import expand
from ..parse.values import is_malformed, split_row
from ..formats.roles import ROLES, counted_roles

UNCOUNTED_ROLES = frozenset(ROLES) - counted_roles()


@dataclass
class Coverage:
    """The accounting of one report's printed numbers.

    Attributes:
        canonical: numbers that became canonical fields.
        extra: numbers kept in ``extra``.
        lost: (line, column, text) of numbers that gave the record nothing.
        skipped: numbers on lines the parser skipped (kept in ``extra``, counted apart).
        ignored: numbers in sections of roles that read no values and on ignored lines (not printed values).
        left_out: numbers past the bound of ``extra`` (RG122): neither read nor kept.
        repeats: of the canonical ones, numbers printing again a value the record holds (RG207).
    """

    canonical: int = 0
    repeats: int = 0
    extra: int = 0
    lost: list = field(default_factory=list)
    skipped: int = 0
    ignored: int = 0
    left_out: int = 0

    @property
    def printed(self) -> int:
        return self.canonical + self.extra + self.skipped + len(self.lost) + self.left_out

    @property
    def canonical_pct(self) -> float:
        return 100.0 * self.canonical / self.printed if self.printed else 100.0

    def as_dict(self) -> dict:
        return {"printed": self.printed, "canonical": self.canonical, "repeats": self.repeats, "extra": self.extra,
                "lost": len(self.lost), "canonical_pct": round(self.canonical_pct, 1),
                "skipped": self.skipped, "ignored": self.ignored, "left_out": self.left_out,
                "lost_cells": [{"line": line, "column": column, "text": text} for line, column, text in self.lost]}


@dataclass(frozen=True)
class Mark:
    """What became of one printed number, where the file prints it (``view`` marks it so).

    Attributes:
        line, column: the file's line and 1-based column of its first character.
        text: the number as printed.
        status: ``canonical``, ``repeat`` (a canonical field printed again, agreeing), ``conflict``
            (printed again, disagreeing: RG206, kept in ``extra``), ``extra``, ``skipped`` (on a line
            the parser skipped), ``lost``, ``ignored``.
        path: the field's path (canonical, repeat, conflict).
    """

    line: int
    column: int
    text: str
    status: str
    path: str | None = None


def coverage(result) -> Coverage:
    """The accounting of a ParseResult (pipeline.parse_result)."""
    return account(result)[0]


def account(result) -> tuple[Coverage, list]:
    """The accounting of a ParseResult and the marks of its numbers, in file order: coverage's counts
    are the marks' (``repeat`` counted as canonical too, ``conflict`` as extra), but for the skipped
    figures, counted from ``extra`` as the record keeps them (their marks are found again on their lines)."""
    spec, accounting = result.spec, result.accounting
    line_map = getattr(result, "line_map", None)
    # provenance names the file's lines and columns; the tree and the accounting, the parsed text's
    shifts = getattr(result, "shifts", None) or Shifts()
    in_file = _Places(line_map, shifts, getattr(result, "places", None))
    placed = _Placed({(where["line"], where["column"]): rendered for rendered, where in result.provenance.items()},
                     in_file)
    out = Coverage(left_out=getattr(accounting, "left_out", 0))
    marks = []
    for token, role in _tokens_with_roles(result.tree, spec, None):
        for row in expand(token):
            labels, cells = split_row(row.text, row.line, row.column)
            if row.line in accounting.label_lines:  # a title or heading names things, but for a value read off it
                if role not in UNCOUNTED_ROLES:  # (a cover page's name and address hold digits, and are no numbers)
                    marks += [_in_file(Mark(0, 0, c.text, "canonical", placed[(c.line, c.column)]), c, in_file)
                              for c in labels[1:] + cells if (c.line, c.column) in placed and _figure(c.text)]
                continue
            # words after a row's first phrase that a role read as cells (a CUSIP before a class type)
            read = [p for p in labels[1:] if (p.line, p.column) in placed or (p.line, p.column) in accounting.extra_cells]
            for cell in read + cells:
                mark = _mark(cell, role, placed, accounting)
                if mark is not None:
                    marks.append(_in_file(mark, cell, in_file))
    marks += _extra_marks(result)
    for token in getattr(result, "ignored", ()):
        for row in expand(token):
            marks += [_in_file(Mark(0, 0, cell.text, "ignored"), cell, in_file)
                      for cell in split_row(row.text, row.line, row.column)[1] if _figure(cell.text)]
    marks.sort(key=lambda m: (m.line, m.column))
    _count(out, marks, result.record["extra"])
    return out, marks


def _mark(cell, role, placed: "_Placed", accounting) -> Mark | None:
    """What became of one cell of the tree (its line and column still the text's), or None when it
    is no printed number: a word, a part of a label, a malformed number kept in extra (marked from there)."""
    if not _figure(cell.text) and not is_malformed(cell.text):  # "NaN" counts
        return None
    where = (cell.line, cell.column)
    if role in UNCOUNTED_ROLES:
        return Mark(0, 0, cell.text, "ignored")
    if where in accounting.label_cells:
        return None
    if is_malformed(cell.text):  # no number was read; those kept in extra are marked from there
        return None if where in accounting.extra_cells else Mark(0, 0, cell.text, "lost")
    if where in placed:
        return Mark(0, 0, cell.text, "canonical", placed[where])
    repeated = getattr(accounting, "repeat_paths", {}).get(where)
    if where in accounting.repeat_cells:
        return Mark(0, 0, cell.text, "repeat", repeated)
    if where in accounting.extra_cells:
        return Mark(0, 0, cell.text, "conflict", repeated) if repeated else Mark(0, 0, cell.text, "extra")
    return Mark(0, 0, cell.text, "lost")


def _in_file(mark: Mark, cell, in_file: "_Places") -> Mark:
    line, column = in_file(cell.line, cell.column)
    return Mark(line, column, cell.text, mark.status, mark.path)


class _Places:
    """A text's (line, column) as the file's: through the line map and the columns invisible
    characters moved, or, for a text rendered from HTML tables, each character's own place."""

    def __init__(self, line_map, shifts, places):
        self.line_map, self.shifts, self.places = line_map, shifts, places

    def __call__(self, line: int, column: int) -> tuple:
        column = self.shifts.file_column(line, column)
        placed = self.places.at(line, column) if self.places else None
        if placed is not None:
            return placed
        return (self.line_map[line - 1] if self.line_map else line), column


class _Placed:
    """Provenance's paths by the file's (line, column), looked up by the text's."""

    def __init__(self, by_file: dict, in_file: _Places):
        self.by_file, self.in_file = by_file, in_file

    def __contains__(self, where) -> bool:
        return self.in_file(*where) in self.by_file

    def __getitem__(self, where):
        return self.by_file[self.in_file(*where)]


def _extra_marks(result) -> list:
    """The malformed numbers ``extra`` keeps (lost), and the figures of the lines the parser skipped,
    found again on the file's line (its entry keeps their texts, not their columns)."""
    marks = []
    for entry in result.record["extra"]:  # lines are the file's here
        malformed = entry.get("malformed", ())
        marks += [Mark(entry["line"], m["column"], m["text"], "lost") for m in malformed]
        if entry["section"] == "skipped" and 0 < entry["line"] <= len(result.lines) and not getattr(result, "places", None):
            # (a line rendered from HTML is not the file's: its figures are counted, not marked)
            bad = {m["column"] for m in malformed}
            cells = split_row(result.lines[entry["line"] - 1], entry["line"], 1)[1]
            marks += [Mark(c.line, c.column, c.text, "skipped") for c in cells
                      if _figure(c.text) and not is_malformed(c.text) and c.column not in bad]
    return marks


def _count(out: Coverage, marks: list, extra: list) -> None:
    """Coverage's counts from the marks (skipped figures from ``extra``, as the record keeps them)."""
    for mark in marks:
        if mark.status in ("canonical", "repeat"):
            out.canonical += 1
            out.repeats += mark.status == "repeat"
        elif mark.status in ("extra", "conflict"):
            out.extra += 1
        elif mark.status == "ignored":
            out.ignored += 1
        elif mark.status == "lost":
            out.lost.append((mark.line, mark.column, mark.text))
    for entry in extra:
        if entry["section"] == "skipped":
            out.skipped += _figures(entry["values"]) - len(entry.get("malformed", ()))


def _figure(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _figures(cells) -> int:
    return sum(1 for cell in cells if _figure(str(getattr(cell, "text", cell))))


def _tokens_with_roles(tree: Tree, spec, role):
    """(token, role of its nearest ancestor that has one) for every token of the tree."""
    stack = [(tree, role)]
    while stack:
        node, current = stack.pop()
        section = spec.section(short_name(str(node.data)))
        if section is not None:
            current = section[0]
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, current))
            else:
                yield child, current
