"""Role ``title_block``: a statement's own title lines (deal name, certificates) into ``filing``.

Reports filed as exhibits have no Form 8-K cover; their first lines name the trust and the
certificates, among lines that vary from deal to deal (an exhibit caption, the depositor, a
sub-title). Parameters (formats/roles.py): ``find`` maps a ``filing`` field to words, any of
which (in any case) marks the line that fills it; a trust's name broken over two lines
("TOLLAND RIDGE HOME EQUITY" over "LOAN TRUST 1998-C") is joined. ``fields`` lists, line by
line, the field each title line fills (``null`` skips a line), for a format whose title lines
never vary. ``series`` takes the series (``Series 2003-7``, ``SERIES 1998-C``, or the ``2003-7``
ending a trust's name) from the first line that prints one.
"""

from __future__ import annotations

import re

from ...parse.lines import expand
from ...parse.values import Cell, split_row
from ..groups import phrase_cell
from ..record import Builder

_PAGE = re.compile(r"(?i)[ \t]+page[ \t]+\d+(?:[ \t]+of[ \t]+\d+)?[ \t]*$")  # the page number beside a title
_SERIES = re.compile(r"(?:Series|Trust) ([0-9]{4}-[0-9A-Z]{1,8})\b", re.IGNORECASE)


class TitleBlock:
    """Maps title lines to filing fields."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        tokens = [item for item in items if hasattr(item, "type")]
        rows = [row for token in tokens for row in expand(token)]
        lines = [phrase_cell(row) for row in rows]
        lines = [Cell(_PAGE.sub("", cell.text).rstrip(), cell.line, cell.column) for cell in lines]
        self.b.heading_lines(tokens)
        for row in rows:  # a title line that ends in a value: no title field takes it, it is kept
            labels, cells = split_row(_PAGE.sub("", row.text), row.line, row.column)
            if cells and labels:
                label = Cell(" ".join(p.text for p in labels), labels[0].line, labels[0].column)
                self.b.unmapped(rule, label, cells, "the title block (a line of values among the title lines)")
        for field, cell in zip(params["fields"], lines, strict=False):  # a title may print fewer lines, or more
            if field:
                self.b.put(("filing", field), cell, kind="text")
        finds = {field: [str(w).casefold() for w in words] for field, words in params["find"].items()}
        claimed = {index for index, cell in enumerate(lines)
                   if any(w in cell.text.casefold() for words in finds.values() for w in words)}
        for field, words in finds.items():
            self._find(field, words, lines, rows, claimed)
        if params.get("series"):
            for cell in lines:
                found = _SERIES.search(cell.text)
                if found:
                    self.b.put(("filing", "series"), Cell(found.group(1).upper(), cell.line, cell.column + found.start(1)),
                               kind="text")
                    break

    def _find(self, field: str, words: list, lines: list, rows: list, claimed: set) -> None:
        """The first line holding one of the words fills the field; a line right above it that
        no field claims begins the same name ("TOLLAND RIDGE HOME EQUITY" over "LOAN TRUST 1998-C")."""
        for index, cell in enumerate(lines):
            text = cell.text.casefold()
            hit = next((w for w in words if w in text), None)
            if hit is None:
                continue
            before = text[:text.index(hit)].split()
            if (index and len(before) < 2 and index - 1 not in claimed
                    and rows[index - 1].line == rows[index].line - 1):
                above = lines[index - 1]
                self.b.put(("filing", field), above, kind="text", value=f"{above.text} {cell.text}",
                           end_line=cell.line)
            else:
                self.b.put(("filing", field), cell, kind="text")
            return
