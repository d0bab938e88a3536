"""Role ``info_box``: lines of two or more ``KEY: value`` pairs side by side into ``filing``.

``SELLER:  Lakeshore Home Funding Corp.      ADMINISTRATOR:  Paula Grady``: each
phrase holding a colon starts a pair, and the phrases after it, up to the next
such phrase, are its value. Keys map through the format's ``rows.info``
aliases to ``filing`` fields (``parties.seller``, ``record_date``) or to
``distribution_date``; an unknown key goes to ``extra``.
"""

from __future__ import annotations

from ...parse.lines import expand
from ...parse.values import Cell, split_phrases
from ..record import Builder


class InfoBox:
    """Maps information-box lines."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        for item in items:
            if hasattr(item, "type"):
                self.b.heading_lines([item])  # dates and telephone numbers here are text, not amounts
                for row in expand(item):
                    for key, value in pairs(row):
                        self._pair(rule, key, value)

    def _pair(self, rule: str, key: Cell, value: Cell | None) -> None:
        if value is None:
            return  # a caption with nothing after it: no value to keep
        target, _ = self.b.spec.table("rows.info").lookup(key.text)
        self.b.note_label("rows.info", key.text, target, key)
        if target is None:
            self.b.unmapped(rule, key, [value], "rows.info")
        elif target == "extra":
            self.b.add_extra(rule, key.text, [value], key.line)
        elif target == "distribution_date":
            self.b.put(("distribution_date",), value, kind="date")
        else:
            self.b.put(("filing",) + tuple(target.split(".")), value)


def pairs(row) -> list[tuple[Cell, Cell | None]]:
    """(key, value) pairs of one line; a value joins the phrases up to the next key."""
    out: list[list] = []
    for phrase in split_phrases(row.text, row.line, row.column):
        if ":" in phrase.text:
            key, _, rest = phrase.text.partition(":")
            out.append([Cell(key.strip(), phrase.line, phrase.column), []])
            rest_at = phrase.column + len(key) + 1
            if rest.strip():
                offset = len(rest) - len(rest.lstrip())
                out[-1][1].append(Cell(rest.strip(), phrase.line, rest_at + offset))
        elif out:
            out[-1][1].append(phrase)
    return [(key, Cell(" ".join(v.text for v in values), values[0].line, values[0].column) if values else None)
            for key, values in out]
