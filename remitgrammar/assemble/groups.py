"""Loan group (or servicer) names as record keys, and group columns from a line of group names."""

from __future__ import annotations

from ..parse.columns import Column
from ..parse.values import Cell, split_phrases

_NUMBERED = ("group", "grp", "loan group", "pool")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def group_key(name: str, spec) -> str:
    """The record key of a printed group name.

    ``GROUP 1`` / ``Grp 1`` / ``Group II`` -> ``1`` / ``1`` / ``2``; ``TOTAL`` -> ``total``; a name
    the format's ``rows.groups`` aliases give a key (``Fixed Group`` -> ``fixed``); else the
    printed name lower-cased with white space collapsed.
    """
    words = name.split()
    target, _ = spec.table("rows.groups").lookup(name)
    if target is not None:
        return str(target)
    if len(words) >= 2 and " ".join(words[:-1]).casefold() in _NUMBERED:
        last = words[-1].casefold()
        if last.isdigit():
            return str(int(last))
        if last in _ROMAN:
            return str(_ROMAN[last])
    if name.casefold() in ("total", "totals"):
        return "total"
    return " ".join(words).casefold()


def is_group_name(name: str, spec) -> bool:
    """True when a printed phrase names a loan group (numbered, TOTAL, or one of the spec's)."""
    words = name.split()
    if spec.table("rows.groups").lookup(name)[0] is not None or name.casefold() in ("total", "totals"):
        return True
    return len(words) >= 2 and " ".join(words[:-1]).casefold() in _NUMBERED and (
        words[-1].isdigit() or words[-1].casefold() in _ROMAN)


def group_columns(token, spec, skip: int = 0) -> list[Column]:
    """Group columns from a line of group names, leaving out its first ``skip`` phrases."""
    phrases = split_phrases(str(token), token.line, token.column)[skip:]
    return [Column(group_key(p.text, spec), p.column, p.end, p, [p]) for p in phrases]


def phrase_cell(token) -> Cell:
    """The first line of a token as one cell: its text as printed, from its first character."""
    line = str(token).split("\n", 1)[0].rstrip()
    text = line.lstrip()
    return Cell(text, token.line, token.column + len(line) - len(text))
