"""Role ``title_block``: a statement's own title lines (deal name, certificates) into ``filing``.

Reports filed as exhibits have no Form 8-K cover; their first lines name the
trust and the certificates. Parameter ``fields`` lists, line by line, the
``filing`` field each title line fills (``null`` skips a line); ``series``
takes the series (``Series 2003-7``, or the ``2003-7`` ending a trust's name)
from the first line that prints one.
"""

from __future__ import annotations

import re

from ...parse.lines import expand
from ...parse.values import Cell
from ..groups import phrase_cell
from ..record import Builder

_SERIES = re.compile(r"(?:Series|Trust) ([0-9]{4}-[0-9A-Z]{1,8})\b")


class TitleBlock:
    """Maps title lines to filing fields."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        lines = [phrase_cell(row) for item in items if hasattr(item, "type") for row in expand(item)]
        self.b.heading_lines([item for item in items if hasattr(item, "type")])
        for field, cell in zip(params.get("fields", []), lines):
            if field:
                self.b.put(("filing", field), cell, kind="text")
        if params.get("series"):
            for cell in lines:
                found = _SERIES.search(cell.text)
                if found:
                    self.b.put(("filing", "series"), Cell(found.group(1), cell.line, cell.column + found.start(1)),
                               kind="text")
                    break
