"""Loan group (or servicer) names as record keys, and group columns from a line of group names."""

from __future__ import annotations

from ..parse.columns import Column
from ..parse.values import Cell, split_phrases

_NUMBERED = ("group", "grp", "loan group", "pool")
_TOTALS = ("total", "totals", "total pool", "all groups", "total all groups")


def _named(words: list) -> bool:
    """A named loan group: one or two words and "group" ("FIXED GROUP", "Adjustable Rate Group")."""
    return 2 <= len(words) <= 3 and words[-1].casefold() == "group" and words[0].casefold() not in _NOT_GROUPS


_NOT_GROUPS = ("loan", "per", "by", "each", "the", "of", "status/group", "status")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def group_key(name: str, spec) -> str:
    """The record key of a printed group name.

    ``GROUP 1`` / ``Grp 1`` / ``Group II`` -> ``1`` / ``1`` / ``2``; ``TOTAL``, ``TOTAL POOL`` -> ``total``;
    a name the format's ``rows.groups`` aliases give a key; a named group ``FIXED GROUP`` /
    ``ARM Group`` -> ``fixed`` / ``arm`` (SCHEMA.md's own example); else the printed name
    lower-cased with white space collapsed.
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
    if name.casefold() in _TOTALS:
        return "total"
    if _named(words):  # "FIXED GROUP", "Adj Group", "ARM Group" -> fixed, adj, arm
        return " ".join(words[:-1]).casefold()
    return " ".join(words).casefold()


def is_group_name(name: str, spec) -> bool:
    """True when a printed phrase names a loan group (numbered, TOTAL, or one of the spec's)."""
    words = name.split()
    if spec.table("rows.groups").lookup(name)[0] is not None or name.casefold() in _TOTALS or _named(words):
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
