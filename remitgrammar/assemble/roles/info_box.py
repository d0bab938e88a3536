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
from ..record import Builder, Key
from ...records import render_path

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

    def _pair(self, rule: str, key: Cell, pieces: list, more: list) -> None:
        target, scope, class_name = self._target(key)
        pieces, rest = self._joined(pieces, more, target)
        for line in rest:  # lines under the value that do not continue it: kept, as printed
            self.b.add_extra(rule, f"{key.text} (continued)", [line], line.line)
        if not pieces:
            return  # a caption with nothing after it: no value to keep
        if target is None:
            self.b.unmapped(rule, key, pieces, "rows.info")
        elif target == "extra":
            self.b.add_extra(rule, key.text, pieces, key.line)
        elif target == "distribution_date":
            self.b.put(("distribution_date",), _join(pieces), kind="date")
        else:
            field = tuple(target.split("."))
            if class_name is not None:  # "Class A-5 Margin:  0.19000%"
                field = (field[0], Key(class_name)) + field[1:]
            self._put(("filing" if scope == "rows.info" else "pool",) + field, pieces)

    def _put(self, path: tuple, pieces: list) -> None:
        """A value printed in one piece, or joined from several (a name that wraps): then its
        provenance is the first piece, with the line it ends on."""
        if len(pieces) == 1:
            self.b.put(path, pieces[0])
            return
        if self.b.kind(path) != "text":  # a figure is one piece: what follows it is kept as printed
            self.b.put(path, pieces[0])
            for piece in pieces[1:]:
                self.b.add_extra(path[0], f"{render_path(path)} (more)", [piece], piece.line)
            return
        end = max(p.line for p in pieces)
        self.b.put(path, pieces[0], value=_join(pieces).text, end_line=end if end > pieces[0].line else None)

    def _target(self, key: Cell) -> tuple:
        """(field, scope, class captured by a ``{class}`` alias) of a key."""
        for scope in ("rows.info", "rows.pool"):
            target, class_name = self.b.spec.table(scope).lookup(key.text)
            if target is not None:
                self.b.note_label(scope, key.text, target, key)
                return target, scope, class_name
        self.b.note_label("rows.info", key.text, None, key)
        return None, None, None

    def _joined(self, pieces: list, more: list, target) -> tuple:
        """The pieces of the value with the lines under it that continue it, and the lines that do not."""
        mode = self.params["continuation"]
        pieces, rest = list(pieces), []
        for line in more:
            if not pieces:
                pieces.append(line)
            elif mode == "append" or (mode == "auto" and _continues(pieces[-1].text) and self._is_text(target)):
                pieces.append(line)
            else:
                rest.append(line)
        return pieces, rest

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


def pairs(rows) -> list[tuple[Cell, list, list]]:
    """(key, value pieces, lines under it) of a box: a value is the phrases after its key up to the
    next key; a phrase on a line without a key belongs to the key whose column it stands in. A key
    too long for its column wraps: "CERTIFICATE  Keystone Guaranty" over "  INSURER:  Corporation"
    is the key CERTIFICATE INSURER with the value Keystone Guaranty Corporation."""
    keys: list[list] = []  # [key cell, value phrases, continuation cells]
    lines = [split_phrases(row.text, row.line, row.column) for row in rows]
    carried: tuple | None = None  # the first part of a wrapped key, and of its value
    for index, phrases in enumerate(lines):
        if carried is None and _opens_wrapped_key(phrases, lines[index + 1] if index + 1 < len(lines) else [], keys):
            carried = (phrases[0], [p for p in phrases[1:] if p.column < _second_key(lines[index + 1])])
            phrases = [p for p in phrases[1:] if p not in carried[1]]
        line_keys: list = []
        for phrase in phrases:
            if ":" in phrase.text and not phrase.text.startswith(":"):
                entry = _key_entry(phrase)
                if carried is not None and not line_keys:
                    entry[0] = Cell(f"{carried[0].text} {entry[0].text}", carried[0].line, carried[0].column)
                    entry[1][:0] = carried[1]
                    carried = None
                keys.append(entry)
                line_keys.append(entry)
            elif keys:
                owner = _column_owner(keys, phrase)
                if line_keys and owner[0].column <= line_keys[-1][0].column:
                    line_keys[-1][1].append(phrase)  # the value, or more of it, after its key
                else:  # under a key of a line above, right of this line's last key: an address
                    (owner[2] if owner[1] else owner[1]).append(phrase)
    return [(key, values, more) for key, values, more in keys]


def _key_entry(phrase: Cell) -> list:
    """[key, value phrases, continuation] of a phrase holding a colon: "RECORD DATE:  31-May-01"."""
    key, _, rest = phrase.text.partition(":")
    values: list[Cell] = []
    if rest.strip():
        offset = len(rest) - len(rest.lstrip())
        values.append(Cell(rest.strip(), phrase.line, phrase.column + len(key) + 1 + offset))
    return [Cell(key.strip(), phrase.line, phrase.column), values, []]


def _opens_wrapped_key(phrases: list, below: list, keys: list) -> bool:
    """A line without a key, its first phrase one word in a column where keys stand, over a line
    whose first phrase is a key indented a little deeper: the first line of a wrapped key."""
    if not phrases or not below or any(":" in p.text for p in phrases) or " " in phrases[0].text:
        return False
    first, under = phrases[0], below[0]
    return (":" in under.text and 0 < under.column - first.column <= SLACK
            and any(k[0].column == first.column for k in keys))


def _second_key(phrases: list) -> int:
    """Where the second key of a line starts (a value left of it belongs to the first)."""
    starts = [p.column for p in phrases if ":" in p.text]
    return starts[1] if len(starts) > 1 else 10 ** 6


SLACK = 3  # a line under a key may start this far left of the key (aligned with nothing exactly)


def _column_owner(keys: list, phrase: Cell) -> list:
    """The key whose column a keyless phrase stands in: the last key at or left of it."""
    left = [k for k in keys if k[0].column <= phrase.column + SLACK]
    if not left:
        return keys[-1]
    column = max(k[0].column for k in left)
    return [k for k in left if k[0].column == column][-1]


def _join(values: list) -> Cell:
    """The pieces of a value as one cell where the first stands; both callers hold at least one."""
    return Cell(" ".join(v.text for v in values), values[0].line, values[0].column)
