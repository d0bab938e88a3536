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

from itertools import combinations, pairwise
from math import comb

from .columns import Column
from .values import Cell, phrases


NEAR = 3  # columns at most this far apart that no row fills both of are one ragged column


SLACK = 2  # characters a spanning heading may fall short of the columns it spans, on either side


WIDE = 24  # characters: a wider cell (a corrupted or padded value) does not shape the columns


MAX_DIVISIONS = 500  # ways to divide a phrase's words among the columns under it tried at most


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
    overlapping: list[list] = []
    for start, end, used in merged:
        last = overlapping[-1] if overlapping else None
        if last and start < last[1]:
            last[1] = max(last[1], end)
            last[2] |= used  # in place: a new set each time was quadratic in the rows (20,000 rows: 14 s)
        else:
            overlapping.append([start, end, set(used)])
    # Only whole columns are compared for raggedness: a row that prints in one column and not
    # the next (a Total row without a class type) must not join them.
    out: list[list] = []
    for start, end, used in overlapping:
        last = out[-1] if out else None
        if last and start - last[1] <= NEAR and not (used & last[2]):
            last[1] = max(last[1], end)
            last[2] |= used
        else:
            out.append([start, end, used])
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
    columns = [Column("", start, end, Cell("", 0, start), []) for start, end in spans]  # anchor chosen below
    for column in columns:
        column.span_parts = []
    for index, words in enumerate(heading_lines):
        lower = heading_lines[index + 1:]
        pairs = _repeated_spans(phrases(words), phrases(lower[0]) if lower else [], label_end)
        for phrase, under in pairs:
            for column in {id(c): c for p in under for c in _under(p, columns)}.values():
                column.span_parts.append(phrase)
        for phrase in phrases(words) if not pairs else ():
            _place(phrase, _words_of(phrase, words), columns, lower, label_end)
    for column in columns:
        column.name = " ".join(p.text for p in column.parts)
        column.span = " ".join(p.text for p in column.span_parts)
        column.anchor = column.parts[0] if column.parts else (column.span_parts[0] if column.span_parts else
                                                              Cell("", 0, column.start))
    return columns


def _under(piece: Cell, columns: list[Column]) -> list[Column]:
    """The columns a heading stands over, else the nearest one (none: it heads the row labels)."""
    covered = _overlapped(piece, columns)
    if covered:
        return covered
    nearest = _nearest(piece, columns, 0)
    return [] if nearest is None else [nearest]


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


def _repeated_spans(upper: list[Cell], lower: list[Cell], label_end: int) -> list[tuple[Cell, list[Cell]]]:
    """Headings each spanning the same group of headings under them ("30-59 Days   60-89 Days"
    over "Count  Balance  Count  Balance"), however short or off-centre: the lower line's phrases
    divided among the upper ones midway between them; a division only when every group is the
    same two or more texts (the last may go on with columns of its own: "Count  Balance  % Bal"
    under TOTAL). Empty when the lines are not so."""
    upper = [p for p in upper if p.column >= label_end]
    lower = [p for p in lower if p.column >= label_end]
    if len(upper) < 2 or len(lower) < 2 * len(upper):
        return []
    cuts = [(a.end + b.column) / 2 for a, b in pairwise(upper)]
    groups: list[list[Cell]] = [[] for _ in upper]
    for phrase in lower:
        groups[sum(1 for cut in cuts if (phrase.column + phrase.end) / 2 > cut)].append(phrase)
    first = [p.text.casefold() for p in groups[0]]
    groups[-1] = groups[-1][:len(first)]
    if len(first) < 2 or any([p.text.casefold() for p in group] != first for group in groups):
        return []
    return list(zip(upper, groups, strict=True))  # one group per upper phrase


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
    start, end, found = cell.column, cell.column + len(cell.text), 0
    for c in columns:  # counted without a list: this runs for every cell of every table
        if min(end, c.end) > max(start, c.start):
            found += 1
            if found > 1:
                return True
    return False


def redivide(columns: list[Column], known) -> None:
    """Read a heading phrase taken for a span over several columns as headings one space apart
    ("Pass-Through Beginning Certificate" over "Rate" and "Balance") when dividing its words among
    those columns, left to right, names more of them: ``known(title)`` says whether a title
    names a field. The division that names the most wins; the span stays when none names more."""
    shared: dict = {}
    for column in columns:
        for phrase in column.span_parts:
            shared.setdefault(phrase, []).append(column)
    for phrase, under in shared.items():
        words = phrase.text.split()
        if len(under) < 2 or len(words) < len(under) or comb(len(words) - 1, len(under) - 1) > MAX_DIVISIONS:
            continue
        best, best_score = None, sum(bool(known(_title(c, phrase, phrase.text))) for c in under)
        for cuts in combinations(range(1, len(words)), len(under) - 1):
            groups = [" ".join(words[a:b]) for a, b in zip((0, *cuts), (*cuts, len(words)), strict=True)]
            score = sum(bool(known(_title(c, phrase, g))) for c, g in zip(under, groups, strict=True))
            if score > best_score:
                best, best_score = groups, score
        for column, group in zip(under, best or (), strict=False):  # no better division: nothing to do
            column.span_parts.remove(phrase)
            column.parts.insert(0, Cell(group, phrase.line, phrase.column))
            column.name = " ".join(p.text for p in column.parts)
            column.span = " ".join(p.text for p in column.span_parts)


def _title(column: Column, phrase: Cell, text: str) -> str:
    """A column's title with one of its span phrases read as ``text`` over its own name."""
    spans = [p.text for p in column.span_parts if p is not phrase]
    return " ".join(spans + [text] + ([column.name] if column.name else []))
