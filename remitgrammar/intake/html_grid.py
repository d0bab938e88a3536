"""Intake: an HTML statement laid out in tables, rendered to lines of text in which every cell keeps its
column, with the place in the source of every character shown.

One table row is one line (a cell holding ``<BR>``s makes the row as many lines, a heading stacked as
in a text report, each cell's last line on the row's last); a table's columns stand where the widest
of their cells puts them, numbers (and whatever else a column of numbers holds) to the right, words to
the left, a heading spanning columns centred over them; a column empty in every row (a filer's spacer
cells) is dropped; a cell of only ``$`` and a ``$`` before an amount are dropped, a cell of only ``%``
or ``)`` joins the cell before it;
tables that follow one another with as many columns are one grid (a filer's table per visual line);
a page break (``<HR>``, a ``page-break-before`` style) is an empty line, and so is the space
around a table and after a paragraph. The text formats then read
the lines as they read a text statement.

Each cell's text and width are taken once, when its row is tidied, and each cell's columns found once
per table; a line's offsets are gathered in a list and made an array once; past the bound on the text,
a line is only measured (a table padded out of all proportion costs no text). The one pattern here
(``_NUMBER``) is bounded and is tried on a cell's text only.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .html_scan import Blocks, Cell, scan

GAP = 3  # spaces between columns: more than the single space inside a label or a heading
MAX_COLUMNS = 256  # cells past these join the last column: a statement has a few dozen at most
_NUMBER = re.compile(r"[(\-]?\$?[0-9][0-9,]{0,30}(?:\.[0-9]{1,12})?%?\)?%?|[0-9]{0,3}\.[0-9]{1,12}%?")
_JOIN_BACK = frozenset({"%", ")", ")%"})
NO_PLACE = -1
OFFSET_TYPE = "i"  # four bytes a character: edgar.py renders no document of 2 GB or more
BUDGET_MARGIN = 100_000  # characters of rendered text beyond the source's own length


@dataclass
class Rendered:
    """An HTML document as lines of text.

    Attributes:
        lines: the rendered lines.
        places: for each line, the source offset of each of its characters (NO_PLACE: padding).
        blocks: what the document held (tables, rows, cells), to say so.
        cut: characters not rendered past the bound (a table padded out of all proportion).
    """

    lines: list = field(default_factory=list)
    places: list = field(default_factory=list)
    blocks: Blocks | None = None
    size: int = 0
    budget: int = 0
    cut: int = 0

    def add(self, text: str, places: array) -> None:
        if self.cut or self.size + len(text) > self.budget:
            self.cut += len(text) + 1
            return
        self.size += len(text) + 1
        self.lines.append(text)
        self.places.append(places)

    def skip(self, length: int) -> bool:
        """Whether a line of ``length`` characters is past the bound (then it is counted in ``cut``):
        asked before the line is made, so that a table padded out of all proportion costs no text."""
        if self.cut or self.size + length > self.budget:
            self.cut += length + 1
            return True
        return False

    def describe(self) -> str:
        b = self.blocks
        if b is None or not b.tables:
            return "an HTML document with no table"
        return f"an HTML document of {b.tables} table(s), {b.rows} row(s), {b.cells} cell(s)"


def render(source: str) -> Rendered:
    """The lines of text an HTML document shows, and where each character of them is in ``source``.

    The text is at most as long as the source and a margin (``budget``): a real statement's is a third
    to two thirds of it; only padding can make it longer, and a few cells padded to every row of a
    long table must not make a file of megabytes a text of gigabytes (``cut`` counts what was left).
    """
    blocks = scan(source)
    out = Rendered(blocks=blocks, budget=len(source) + BUDGET_MARGIN)
    for item in _merged(blocks.items):
        if item[0] == "line":
            out.add(*_joined(item[1]))
        elif item[0] == "page":
            out.add("", _offsets())
        else:  # a table stands apart from what is around it, as a text report's tables do
            _blank(out)
            _grid(item[1], out)
            _blank(out)
    while out.lines and not out.lines[-1]:  # the space after the last table or paragraph is no line
        out.lines.pop()
        out.places.pop()
    return out


def _blank(out: Rendered) -> None:
    if out.lines and out.lines[-1]:
        out.add("", _offsets())


def _offsets() -> array:
    return array(OFFSET_TYPE)


def _merged(items: list) -> list:
    """Tables that follow one another with as many columns, as one table (rows added in place: a
    filer's table per line is thousands of tables)."""
    merged: list = []
    width = -1
    for item in items:
        previous = merged[-1] if merged else None
        if item[0] == "table":
            mine = _width(item[1])
            if previous is not None and previous[0] == "table" and mine == width:
                previous[1].extend(item[1])
                continue
            width = mine
        merged.append(item)
    return merged


def _width(rows: list) -> int:
    return max((sum(cell.span for cell in row) for row in rows), default=0)


def _tidied(row: list) -> list:
    """A row's cells, each [cell, its text], ``$`` dropped and a lone ``%`` or ``)`` joined to the cell
    before it."""
    cells: list = []
    for cell in row:
        lines = cell.lines
        one = len(lines) == 1 and len(lines[0]) == 1  # most cells: one word
        text = lines[0][0][0] if one else _text(cell)
        if text == "$":
            cell, text = Cell(span=cell.span, header=cell.header), ""
        elif text in _JOIN_BACK and cells and cells[-1][0].lines[-1]:
            last = cells[-1][0].lines[-1]
            word, offsets = last[-1]
            last[-1] = (word + text, [*offsets, *cell.lines[0][0][1]])
            cells[-1][1] += text  # its last line's last word is its text's last
            cell, text = Cell(span=cell.span, header=cell.header), ""
        elif (not one or text[0] == "$") and _drop_dollar(cell):
            text = _text(cell)
        cells.append([cell, text])
    return cells


def _text(cell: Cell) -> str:
    lines = cell.lines
    if len(lines) == 1 and len(lines[0]) == 1:  # most cells: one word
        return lines[0][0][0]
    return " ".join([word for line in lines for word, _ in line])


def _drop_dollar(cell: Cell) -> bool:
    """Drop a ``$`` before an amount, a word or a word's first character; whether one was."""
    dropped = False
    for line in cell.lines:
        if len(line) > 1 and line[0][0] == "$" and _NUMBER.fullmatch(line[1][0]):
            del line[0]
            dropped = True
        elif line and line[0][0].startswith("$") and _NUMBER.fullmatch(line[0][0][1:]):
            line[0] = (line[0][0][1:], line[0][1][1:])
            dropped = True
    return dropped


def _placed(rows: list) -> list:
    """Each row as (first column, columns spanned, cell, its text, its width), spans cut at MAX_COLUMNS;
    text and width taken once, when the row's cells are tidied."""
    placed = []
    for row in rows:
        at, cells = 0, []
        for cell, text in _tidied(row):
            start = at if at < MAX_COLUMNS else MAX_COLUMNS - 1
            lines = cell.lines
            width = len(text) if len(lines) == 1 else max(
                [sum(len(word) for word, _ in line) + len(line) - 1 for line in lines if line], default=0)
            span = cell.span if cell.span <= MAX_COLUMNS - start else MAX_COLUMNS - start  # both at least 1
            cells.append((start, span, cell, text, width))
            at += cell.span
        placed.append(cells)
    return placed


def _grid(rows: list, out: Rendered) -> None:
    placed = _placed(rows)
    used = _used_columns(placed)
    # each cell by the first and past-last of the used columns it spans (indexes into ``used``)
    spots = [[(bisect_left(used, start), bisect_left(used, start + span), cell, width)
              for start, span, cell, _, width in cells] for cells in placed]
    widths = [0] * len(used)
    for cells in spots:
        for low, high, _, width in cells:
            if high - low == 1 and width > widths[low]:
                widths[low] = width
    _widen_for_spans(spots, widths)
    starts, at = [], 0
    for width in widths:
        starts.append(at)
        at += width + GAP
    right = _numeric_columns(placed, used)
    for cells in spots:
        height = max((len(cell.lines) for _, _, cell, _ in cells), default=1)
        _row(_aligned(cells, used, widths, starts, right), height, out)


def _used_columns(placed: list) -> list:
    """The columns some cell of one column, or a spanning cell alone over them, gives text."""
    filled = {start for cells in placed for start, span, _, text, _ in cells if span == 1 and text}
    for cells in placed:
        for start, span, _, text, _ in cells:
            if span > 1 and text and not any(c in filled for c in range(start, start + span)):
                filled.add(start)
    return sorted(filled)


def _widen_for_spans(spots: list, widths: list) -> None:
    for cells in spots:
        for low, high, _, width in cells:
            if high - low > 1:
                room = sum(widths[low:high]) + GAP * (high - low - 1)
                widths[high - 1] += max(0, width - room)


def _numeric_columns(placed: list, used: list) -> set:
    """The columns most of whose cells are numbers: everything in them stands to the right."""
    counts: dict = {}
    for cells in placed:
        for start, span, cell, text, _ in cells:
            if span == 1 and text and not cell.header and text not in _NOTHING:  # "-", "N/A" side with either
                numbers, total = counts.get(start, (0, 0))
                counts[start] = (numbers + bool(_NUMBER.fullmatch(text)), total + 1)
    first = used[0] if used else 0
    return {c for c, (numbers, total) in counts.items() if numbers and numbers * 2 >= total and c != first}


_NOTHING = frozenset({"-", "--", "N/A", "n/a", "NA"})  # what a filer prints for nothing, in any column
_LEFT, _CENTRE, _RIGHT = 0, 1, 2


def _aligned(spots: list, used: list, widths: list, starts: list, right: set) -> list:
    """A row's cells that show in some used column: (cell, where its room starts, room, alignment)."""
    aligned = []
    for low, high, cell, _ in spots:
        if low == high:
            continue
        first = starts[low]
        room = starts[high - 1] + widths[high - 1] - first
        if high - low > 1 and low:  # a heading over columns, not in the first: centred
            aligned.append((cell, first, room, _CENTRE))
        else:
            aligned.append((cell, first, room, _RIGHT if high - low == 1 and used[low] in right else _LEFT))
    return aligned


def _row(cells: list, height: int, out: Rendered) -> None:
    """A table row as one line (or as many as its tallest cell has); past the bound, lines only counted."""
    for index in range(height):
        chars: list = []
        places: list = []
        length, made = 0, not out.cut
        for cell, first, room, alignment in cells:
            lines = cell.lines
            line = index if cell.top else index - height + len(lines)  # headings stack upwards
            if line < 0 or line >= len(lines) or not lines[line]:
                continue
            words = lines[line]
            text, offsets = words[0] if len(words) == 1 else _words_joined(words)
            at = first
            if alignment == _CENTRE:
                at += max(0, (room - len(text)) // 2)
            elif alignment == _RIGHT:
                at += room - len(text)
            at = max(at, length + GAP if length else 0)  # never over the cell before it
            if made:
                chars.append(" " * (at - length))
                chars.append(text)
                places.extend([NO_PLACE] * (at - length))
                places.extend(offsets)
            length = at + len(text)
        if not out.skip(length):
            out.add("".join(chars), array(OFFSET_TYPE, places))


def _words_joined(words: list) -> tuple:
    """Words as one line of text, and its characters' offsets (a sequence, not yet an array)."""
    if len(words) == 1:
        return words[0]
    places: list = []
    for number, (_, offsets) in enumerate(words):
        if number:
            places.append(NO_PLACE)
        places.extend(offsets)
    return " ".join([word for word, _ in words]), places


def _joined(words: list) -> tuple:
    """Words as one line of text, and each of its characters' offsets."""
    text, places = _words_joined(words)
    return text, array(OFFSET_TYPE, places)


class SourcePlaces:
    """Offsets in a document's text turned into (line, column) of the file."""

    def __init__(self, source: str, numbers: list | None = None):
        self.starts = [0]
        at = source.find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = source.find("\n", at + 1)
        self.numbers = numbers  # the file's number of each line of source (a submission's document)

    def where(self, offset: int) -> tuple:
        index = bisect_right(self.starts, offset) - 1
        line = self.numbers[index] if self.numbers is not None and index < len(self.numbers) else index + 1
        return line, offset - self.starts[index] + 1


class Placement:
    """Where each character of a text rendered from HTML stands in the file: for each line of the
    text, its characters' offsets in the source of the document it was rendered from (NO_PLACE for
    padding) and that document's ``SourcePlaces``. Four or eight bytes a character: the file's
    lines and columns are worked out only for the places asked for."""

    def __init__(self):
        self.lines: dict = {}

    def __bool__(self) -> bool:
        return bool(self.lines)

    def add(self, line: int, offsets: array, where: SourcePlaces) -> None:
        self.lines[line] = (offsets, where)

    def at(self, line, column) -> tuple | None:
        """The file's (line, column) of the text's line and column (1-based): the character shown
        there, else the nearest shown after it, else before it; None for a line not rendered."""
        entry = self.lines.get(line) if line and column else None
        if entry is None:
            return None
        offsets, where = entry
        at = min(column, len(offsets)) - 1
        found = next((o for o in offsets[at:] if o != NO_PLACE), None)
        if found is None:
            found = next((o for o in reversed(offsets[:at]) if o != NO_PLACE), None)
        return None if found is None else where.where(found)

    def runs(self, limit: int) -> list:
        """The text's characters as runs, [line, column, file line, file column, length], each a
        piece of a cell's text that stands in one piece in the file (lines up to ``limit``)."""
        runs: list = []
        for number in sorted(self.lines)[:limit]:
            offsets, where = self.lines[number]
            last, previous = None, NO_PLACE
            for column, offset in enumerate(offsets, 1):
                if offset == NO_PLACE:
                    last = None
                elif last is not None and offset == previous + 1:
                    last[4] += 1
                else:
                    last = [number, column, *where.where(offset), 1]
                    runs.append(last)
                previous = offset
        return runs
