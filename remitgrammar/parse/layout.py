"""A table's columns found from where its values stand, and its heading lines laid over them.

Headings are printed left-aligned, centred or right-aligned, stacked over two or three lines,
sometimes one space apart ("ORIGINAL BEGINNING" over "FACE BALANCE"), sometimes spanning a
pair of columns ("30-59 Days" over "Count  Balance"). Values are where the columns really are:
the cells of a table's rows, overlapping from row to row, make its columns; every heading word
then goes to the column it stands over, and a heading phrase that stands over several columns
names them all (a span) when the lines under it name each one apart, else its words are
divided among them.
"""

from __future__ import annotations

from .columns import Column
from .values import Cell, phrases


NEAR = 3  # columns at most this far apart that no row fills both of are one ragged column


SLACK = 2  # characters a spanning heading may fall short of the columns it spans, on either side


WIDE = 24  # characters: a wider cell (a corrupted or padded value) does not shape the columns


def value_spans(rows: list) -> list[list[int]]:
    """[first column, end] of each column: the cells of all rows, merged where they overlap, and
    where two runs of cells stand close and no row prints in both (values printed ragged). A cell
    wider than any value (``WIDE``) is left out, so that it cannot join two columns into one; it
    is placed afterwards (``straddles`` tells when it stands over two)."""
    merged: list[list] = []
    for index, cells in enumerate(rows):
        for cell in cells:
            if cell.end - cell.column <= WIDE:
                merged.append([cell.column, cell.end, {index}])
    merged.sort(key=lambda m: (m[0], m[1]))
    out: list[list] = []
    for start, end, used in merged:
        last = out[-1] if out else None
        if last and (start < last[1] or (start - last[1] <= NEAR and not (used & last[2]))):
            last[1], last[2] = max(last[1], end), last[2] | used
        else:
            out.append([start, end, set(used)])
    return [[start, end] for start, end, _ in out]


def lay_out(heading_lines: list[list[Cell]], rows: list, label_end: int = 0) -> list[Column]:
    """The columns of a table.

    Args:
        heading_lines: the words of each heading line, top to bottom (``_words``).
        rows: the value cells of each row.
        label_end: the column just past the row labels; words before it head the labels.

    Returns:
        One Column per run of overlapping values, left to right, each named by the heading words
        over it (``name``; ``span``: a heading over it and its neighbours), ``anchor`` the first
        heading phrase over it (or its first value, when nothing is printed over it).
    """
    spans = value_spans(rows)
    columns = [Column("", start, end, None, []) for start, end in spans]
    for column in columns:
        column.span_parts = []
    for index, words in enumerate(heading_lines):
        lower = heading_lines[index + 1:]
        for phrase in phrases(words):
            _place(phrase, _words_of(phrase, words), columns, lower, label_end)
    for column in columns:
        column.name = " ".join(p.text for p in column.parts)
        column.span = " ".join(p.text for p in column.span_parts)
        if column.anchor is None:
            column.anchor = column.parts[0] if column.parts else (column.span_parts[0] if column.span_parts else
                                                                  Cell("", 0, column.start))
    return columns


def _words_of(phrase: Cell, words: list[Cell]) -> list[Cell]:
    return [w for w in words if phrase.column <= w.column and w.end <= phrase.end]


def _place(phrase: Cell, words: list[Cell], columns: list[Column], lower: list, label_end: int) -> None:
    """Put a heading phrase over the column it stands over; over several, as their span (when the
    lines under it name them apart) or word by word (headings printed one space apart)."""
    covered = _overlapped(phrase, columns)
    near = _overlapped(Cell(phrase.text, phrase.line, phrase.column - SLACK, ), columns, phrase.end + SLACK)
    if len(near) > 1 and _split_below(phrase, lower):  # a heading centred over a pair (or more)
        for column in near:
            column.span_parts.append(phrase)
        return
    if len(covered) <= 1:
        owner = covered[0] if covered else _nearest(phrase, columns, label_end)
        if owner is not None:
            owner.parts.append(phrase)
        return
    for word in words:
        owner = next(iter(_overlapped(word, columns)), None) or _nearest(word, columns, label_end)
        if owner is not None:
            owner.parts.append(word)


def _overlapped(piece: Cell, columns: list[Column], end: int | None = None) -> list[Column]:
    stop = piece.end if end is None else end
    return [c for c in columns if min(stop, c.end) > max(piece.column, c.start)]


def _nearest(piece: Cell, columns: list[Column], label_end: int) -> Column | None:
    """The column nearest a heading that stands over none (None: it heads the row labels)."""
    if not columns or (piece.end <= columns[0].start and piece.column < label_end):
        return None
    middle = piece.column + piece.end
    return min(columns, key=lambda c: (max(c.start - piece.end, piece.column - c.end, 0),
                                       abs(c.start + c.end - middle)))


def _split_below(phrase: Cell, lower: list) -> bool:
    """Whether a line under a phrase prints two or more phrases within its width (give or take
    SLACK: a heading centred over a pair may reach neither edge)."""
    for words in lower:
        inside = [p for p in phrases(words) if p.column < phrase.end + SLACK and phrase.column - SLACK < p.end]
        if len(inside) >= 2:
            return True
    return False


def straddles(cell: Cell, columns: list[Column]) -> bool:
    """Whether a value stands over two columns or more: it belongs to neither (a finding)."""
    return len(_overlapped(cell, columns)) > 1
