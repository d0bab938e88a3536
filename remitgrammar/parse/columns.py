"""Columns of a table from its heading lines, and cells assigned to them by position.

Lark has no notion of columns; this module does what the grammar cannot: a
heading may stack over several lines ("Interest / Carry-forward / Amount"), a
row may leave cells blank, and a value belongs to the column it sits under.
"""

from __future__ import annotations

import functools
import re

from dataclasses import dataclass, field

from .values import Cell, split_phrases


@dataclass(eq=False)  # a column is itself: two columns with equal text and span are still two
class Column:
    """One column: its heading text and the character span it covers.

    Attributes:
        name: the heading's phrases from top to bottom, joined by spaces.
        start: first column (1-based) of the heading or of any value under it.
        end: column just past the last character.
        anchor: the heading phrase (for findings).
    """

    name: str
    start: int
    end: int
    anchor: Cell
    parts: list = field(default_factory=list)
    span: str = ""  # a heading printed over this column and its neighbours ("30-59 Days" over Count, Balance)
    span_parts: list = field(default_factory=list)


def heading_columns(tokens) -> list[Column]:
    """Columns from heading line tokens; phrases that overlap stack into one column."""
    columns: list[Column] = []
    for token in tokens:
        for phrase in split_phrases(str(token), token.line, token.column):
            overlapping = [c for c in columns if phrase.column < c.end and c.start < phrase.end]
            if not overlapping:
                columns.append(Column(phrase.text, phrase.column, phrase.end, phrase, [phrase]))
                continue
            target = overlapping[0]
            for other in overlapping[1:]:
                target.parts.extend(other.parts)
                columns.remove(other)
            target.parts.append(phrase)
            target.start = min(target.start, phrase.column)
            target.end = max(target.end, phrase.end)
    for column in columns:  # named once at the end: a heading stacked thousands of lines deep stays linear
        column.name = " ".join(p.text for p in sorted(column.parts, key=lambda p: p.line))
    return sorted(columns, key=lambda c: c.start)


def widen(columns: list[Column], rows: list[list[Cell]]) -> None:
    """Stretch each column over the values of the rows that fill every column.

    Headings are left-aligned or centred while numbers are right-aligned; the
    full rows show where a column's values really sit.
    """
    full = [cells for cells in rows if len(cells) == len(columns)]
    # column by column: one min and one max each; with no full row there is nothing to stretch by
    for column, cells in zip(columns, zip(*full, strict=True), strict=False):
        column.start = min(column.start, min(cell.column for cell in cells))
        column.end = max(column.end, max(cell.column + len(cell.text) for cell in cells))


def spans(columns: list[Column]) -> tuple:
    """The columns' positions as ``assign`` compares them: compute once for a table's rows."""
    return tuple((c.start, c.end, c.start + c.end) for c in columns)


def assign(cells: list[Cell], columns: list[Column], positions: tuple | None = None
           ) -> list[tuple[Column, Cell]] | None:
    """Pair each cell with the column it sits under (``positions``: ``spans(columns)``, when at hand).

    Returns:
        (column, cell) pairs in order, or None when two cells claim one column, the
        order of cells does not follow the order of columns, or there are no columns
        (a heading line missing from the report).
    """
    if len(cells) == len(columns):
        return list(zip(columns, cells, strict=True))
    if not columns:
        return None
    indices = _placement(positions or spans(columns), tuple([(cell.column, cell.column + len(cell.text))
                                                             for cell in cells]))
    return None if indices is None else [(columns[i], cell) for i, cell in zip(indices, cells, strict=True)]


@functools.lru_cache(maxsize=4096)  # a table's rows repeat the same positions: place them once
def _placement(spans: tuple, cells: tuple) -> tuple | None:
    """For each cell (first column, end) the index of its column, or None when the order breaks."""
    indices, last = [], -1
    for first, end in cells:
        index = _nearest(spans, first, end)
        if index <= last:
            return None
        indices.append(index)
        last = index
    return tuple(indices)


def _nearest(spans: tuple, first: int, end: int) -> int:
    """The index of the column nearest a cell: the smallest gap between them, then the nearest centres."""
    best, best_key, middle = 0, None, first + end
    for index, (start, stop, centre) in enumerate(spans):
        key = (max(start - end, first - stop, 0), abs(centre - middle))  # centres doubled: same order
        if best_key is None or key < best_key:
            best, best_key = index, key
    return best


def snap(columns: list[Column], starts: list[int] | None) -> None:
    """Give the columns the spans a filer marked (EDGAR's ``<C>`` markers: where each column starts),
    when there is one marker a column; a cell then belongs to the span it starts in."""
    if not starts or len(starts) != len(columns):
        return
    ordered = sorted(columns, key=lambda c: c.start)
    for index, column in enumerate(ordered):
        column.start = starts[index]
        column.end = starts[index + 1] - 1 if index + 1 < len(starts) else max(column.end, starts[index] + 1)


_DECORATION = re.compile(r"[-=_*~.]{2,}|\(\d+\)(?:=[-+=()\d]*)?")


MAX_HEADING_LINES = 12  # a table's headings take a few lines; laying out more costs time with the square


def heading_words(tokens) -> list[list[Cell]]:
    """The words of each heading line, top to bottom, with their columns; rules drawn into a
    heading ("_____ 1 PAYMENT ______") and formula marks under it ("(1)", "(4)=(2)+(3)") are left out.
    Only the MAX_HEADING_LINES nearest the rows name columns: 5,000 heading lines took 100 s."""
    from .lines import expand
    from .values import words

    out = []
    for token in tokens:
        for row in expand(token):
            kept = [w for w in words(row.text, row.line, row.column) if not _DECORATION.fullmatch(w.text)]
            if kept:
                out.append(kept)
    return out[-MAX_HEADING_LINES:]


def column_of(cell: Cell, columns: list[Column]) -> Column | None:
    """The column a cell stands in: the one it overlaps most (the nearest when it overlaps none)."""
    # The key (most overlap, then least distance; the first of equals) compared as two integers, not
    # as a tuple made per column: this runs for every cell of every table.
    best, best_overlap, best_gap = None, -1, 0
    text, start = cell.text, cell.column
    end = start + len(text)
    for column in columns:
        c_start, c_end = column.start, column.end
        overlap = (end if end < c_end else c_end) - (start if start > c_start else c_start)
        if overlap > 0:
            if overlap > best_overlap:
                best, best_overlap = column, overlap
            continue
        if best_overlap > 0:
            continue
        gap = c_start - end if c_start - end > start - c_end else start - c_end
        gap = gap if gap > 0 else 0
        if best_overlap < 0 or gap < best_gap:
            best, best_overlap, best_gap = column, 0, gap
    return best


def column_title(column: Column) -> str:
    """A column's heading as a reader sees it: its span (if any) over its name."""
    return " ".join(part for part in (column.span, column.name) if part)


def lookup_column(table, column: Column):
    """The field an alias table gives a column: by its whole title, by its own name, by its span."""
    for text in dict.fromkeys((column_title(column), column.name, column.span)):
        if text:
            target, _ = table.lookup(text)
            if target is not None:
                return target
    return None
