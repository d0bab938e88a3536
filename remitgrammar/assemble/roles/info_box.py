"""Role ``info_box``: boxes of ``KEY:  value`` pairs into ``filing`` (and ``pool``, for figures).

``SELLER:  Lakeshore Home Funding Corp.      ADMINISTRATOR:  Paula Grady``: each phrase holding
a colon starts a pair, and the phrases after it, up to the next such phrase, are its value. A
box is one token of consecutive lines, so its keys stand in columns: a line without a key
(a value printed under its key, a name that wraps, a street address) belongs to the key whose
column it stands in. Parameter ``continuation`` (formats/roles.py) says what such a line does
to a value already printed: ``append`` it (a name that wraps), keep it in ``extra`` (an address
under a name), or ``auto``: append where the value is empty or ends in a word that continues
("and", "of", "&", a comma), keep it apart otherwise (a date or a number never takes more).
Keys map through ``rows.info`` to ``filing`` fields or ``distribution_date``, then through
``rows.pool`` to deal-level figures ("One-Month LIBOR:  3.64125%"); an unknown key goes to
``extra``.
"""

from __future__ import annotations

from ...parse.lines import expand
from ...parse.values import Cell, split_phrases
from ..record import Builder

_CONTINUES = ("and", "of", "&", "the", "for", "as", "-", "to", "through", "thru")  # a value that ends so goes on


class InfoBox:
    """Maps information boxes."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        self.params = params
        for item in items:
            if hasattr(item, "type"):
                self.b.heading_lines([item])  # dates and telephone numbers here are text, not amounts
                for key, value, more in pairs(expand(item)):
                    self._pair(rule, key, value, more)

    def _pair(self, rule: str, key: Cell, value: Cell | None, more: list) -> None:
        target, scope = self._target(key)
        value, rest = self._joined(value, more, target)
        for line in rest:  # lines under the value that do not continue it: kept, as printed
            self.b.add_extra(rule, f"{key.text} (continued)", [line], line.line)
        if value is None:
            return  # a caption with nothing after it: no value to keep
        if target is None:
            self.b.unmapped(rule, key, [value], "rows.info")
        elif target == "extra":
            self.b.add_extra(rule, key.text, [value], key.line)
        elif target == "distribution_date":
            self.b.put(("distribution_date",), value, kind="date")
        elif scope == "rows.info":
            self.b.put(("filing",) + tuple(target.split(".")), value)
        else:
            self.b.put(("pool",) + tuple(target.split(".")), value)

    def _target(self, key: Cell) -> tuple:
        for scope in ("rows.info", "rows.pool"):
            target, _ = self.b.spec.table(scope).lookup(key.text)
            if target is not None:
                self.b.note_label(scope, key.text, target, key)
                return target, scope
        self.b.note_label("rows.info", key.text, None, key)
        return None, None

    def _joined(self, value: Cell | None, more: list, target) -> tuple:
        """The value with the lines under it that continue it, and the lines that do not."""
        mode = self.params["continuation"]
        rest = []
        for line in more:
            if value is None:
                value = line
            elif mode == "append" or (mode == "auto" and _continues(value.text) and self._is_text(target)):
                value = Cell(f"{value.text} {line.text}", value.line, value.column)
            else:
                rest.append(line)
        return value, rest

    def _is_text(self, target) -> bool:
        if target in (None, "extra", "distribution_date"):
            return target is None
        try:
            return self.b.spec.field_type("filing", target) == "text"
        except Exception:  # noqa: BLE001 - a pool figure: never joined with more text
            return False


def _continues(text: str) -> bool:
    words = text.split()
    return bool(words) and (words[-1].casefold() in _CONTINUES or text.rstrip().endswith(","))


def pairs(rows) -> list[tuple[Cell, Cell | None, list]]:
    """(key, value, lines under it) of a box: a value joins the phrases after its key up to the
    next key; a phrase on a line without a key belongs to the key whose column it stands in."""
    keys: list[list] = []  # [key cell, value phrases, continuation cells]
    for row in rows:
        line_keys = []
        for phrase in split_phrases(row.text, row.line, row.column):
            if ":" in phrase.text and not phrase.text.startswith(":"):
                key, _, rest = phrase.text.partition(":")
                entry = [Cell(key.strip(), phrase.line, phrase.column), [], []]
                rest_at = phrase.column + len(key) + 1
                if rest.strip():
                    offset = len(rest) - len(rest.lstrip())
                    entry[1].append(Cell(rest.strip(), phrase.line, rest_at + offset))
                keys.append(entry)
                line_keys.append(entry)
            elif keys:
                owner = _column_owner(keys, phrase)
                if line_keys and (not line_keys[-1][1] or owner[0].column <= line_keys[-1][0].column):
                    line_keys[-1][1].append(phrase)  # the value, or more of it, after its key
                else:  # under a key of a line above, right of this line's last value: an address
                    (owner[2] if owner[1] else owner[1]).append(phrase)
    return [(key, _join(values), more) for key, values, more in keys]


SLACK = 3  # a line under a key may start this far left of the key (aligned with nothing exactly)


def _column_owner(keys: list, phrase: Cell) -> list:
    """The key whose column a keyless phrase stands in: the last key at or left of it."""
    left = [k for k in keys if k[0].column <= phrase.column + SLACK]
    if not left:
        return keys[-1]
    column = max(k[0].column for k in left)
    return [k for k in left if k[0].column == column][-1]


def _join(values: list) -> Cell | None:
    if not values:
        return None
    return Cell(" ".join(v.text for v in values), values[0].line, values[0].column)
