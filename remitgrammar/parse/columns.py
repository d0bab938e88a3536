"""Columns of a table from its heading lines, and cells assigned to them by position.

Lark has no notion of columns; this module does what the grammar cannot: a
heading may stack over several lines ("Interest / Carry-forward / Amount"), a
row may leave cells blank, and a value belongs to the column it sits under.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .values import Cell, split_phrases


@dataclass
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

    def distance(self, cell: Cell) -> tuple:
        """How far a cell is from this column: the gap, then the centres' distance."""
        gap = max(self.start - cell.end, cell.column - self.end, 0)
        centre = abs((self.start + self.end) / 2 - (cell.column + cell.end) / 2)
        return gap, centre


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
    for cells in rows:
        if len(cells) != len(columns):
            continue
        for column, cell in zip(columns, cells):
            column.start = min(column.start, cell.column)
            column.end = max(column.end, cell.end)


def assign(cells: list[Cell], columns: list[Column]) -> list[tuple[Column, Cell]] | None:
    """Pair each cell with the column it sits under.

    Returns:
        (column, cell) pairs in order, or None when two cells claim one column, the
        order of cells does not follow the order of columns, or there are no columns
        (a heading line missing from the report).
    """
    if len(cells) == len(columns):
        return list(zip(columns, cells))
    if not columns:
        return None
    pairs = []
    last = -1
    for cell in cells:
        index = min(range(len(columns)), key=lambda i: columns[i].distance(cell))
        if index <= last:
            return None
        pairs.append((columns[index], cell))
        last = index
    return pairs


def snap(columns: list[Column], starts: list[int] | None) -> None:
    """Give the columns the spans a filer marked (EDGAR's ``<C>`` markers: where each column starts),
    when there is one marker a column; a cell then belongs to the span it starts in."""
    if not starts or len(starts) != len(columns):
        return
    ordered = sorted(columns, key=lambda c: c.start)
    for index, column in enumerate(ordered):
        column.start = starts[index]
        column.end = starts[index + 1] - 1 if index + 1 < len(starts) else max(column.end, starts[index] + 1)
