"""Turn printed cells into exact values, and split a line token into label and cells.

The grammar has already checked the shape of every line; this module only reads
the pieces of a line it was given. Numbers stay ``decimal.Decimal`` throughout.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import NamedTuple
from decimal import Decimal

NULL_TEXTS = frozenset({"N/A", "n/a", "NA"})
BLANK_TEXTS = frozenset({"-"})  # printed for nothing: the cell is blank, its key absent (SCHEMA.md)
BLANK = object()  # what ``convert`` gives for a blank cell
_DATE_CELL = re.compile(r"(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:\d{4}|\d{2})|\d{1,2}-[A-Z][a-z]{2}-\d{2,4}")
FLAG_TEXTS = {"YES": True, "NO": False, "Yes": True, "No": False}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


class Cell(NamedTuple):
    """One printed piece of a line: its text and where it starts.

    A NamedTuple rather than a dataclass: reports make hundreds of these each,
    and tuples are built several times faster.

    Attributes:
        text: the characters as printed.
        line: 1-based line number.
        column: 1-based column of the first character.
    """

    text: str
    line: int
    column: int

    @property
    def end(self) -> int:
        """Column just past the last character."""
        return self.column + len(self.text)


class ValueError_(ValueError):
    """A cell that cannot be read as the type its field asks for.

    Attributes:
        code: the finding it makes (RG204; RG106 for an amount of more than 30 digits).
    """

    def __init__(self, message: str, code: str = "RG204"):
        super().__init__(message)
        self.code = code


CACHED_TEXT = 256  # longer texts are computed, never cached (report lines run to about 200 characters)


def text_cache(function=None, *, entries: int = 4096):
    """``functools.lru_cache`` for functions whose first argument is a text of the report; a text longer
    than CACHED_TEXT is computed, not kept, so a cache holds at most ``entries`` x 256 characters (and
    what is made of them) whatever the input."""
    if function is None:
        return lambda f: text_cache(f, entries=entries)
    cached = functools.lru_cache(maxsize=entries)(function)

    @functools.wraps(function)
    def lookup(text: str, *args):
        return cached(text, *args) if len(text) <= CACHED_TEXT else function(text, *args)
    lookup.cache_info, lookup.cache_clear = cached.cache_info, cached.cache_clear
    return lookup


MAX_DIGITS = 30  # more than any amount a filing prints; longer is a finding (RG106), never a number
_NUMBER = re.compile(r"-?(?:\d[\d,]*(?:\.\d*)?|\.\d+)")


@text_cache
def parse_number(text: str) -> Decimal | None:
    """Read an amount as printed: ``5,019,904``, ``(4,179)``, ``-12.5``.

    Only digits, separators, a sign, parentheses and a decimal point: never an
    exponent, ``NaN`` or ``Infinity``, and at most 30 digits.

    Returns:
        The exact Decimal, or None when the text is not such a number.
    """
    body, negative = _body(text)
    if body is None or _too_many_digits(body):
        return None
    value = Decimal(body.replace(",", ""))
    return -value if negative else value


def _body(text: str) -> tuple[str | None, bool]:
    """The digits of a printed amount without its parentheses, and whether they made it negative."""
    body, negative = text, False
    if body.startswith("(") and body.endswith(")"):
        body, negative = body[1:-1], True
    return (body if _NUMBER.fullmatch(body) else None), negative


def _too_many_digits(body: str) -> bool:
    """More than MAX_DIGITS digits in an amount's body (it matched _NUMBER: digits, separators, point, sign)."""
    if len(body) <= MAX_DIGITS:  # the common case, without a pass over the characters
        return False
    return sum(ch.isdigit() for ch in body) > MAX_DIGITS


def too_long(text: str) -> bool:
    """An amount-shaped text with more digits than any filing prints."""
    body, _ = _body(text[:-1] if text.endswith("%") else text)
    return body is not None and _too_many_digits(body)


@text_cache
def is_cell(text: str) -> bool:
    """Tell whether a whitespace-free piece is a value cell (not a label word)."""
    if text in NULL_TEXTS or text in FLAG_TEXTS or text in BLANK_TEXTS:
        return True
    if _DATE_CELL.fullmatch(text):
        return True
    if text.endswith("%"):
        return parse_number(text[:-1]) is not None or too_long(text)
    if len(text) == 9 and text[:3].isdigit() and text.isalnum() and text[-1].isdigit():
        return True  # a CUSIP
    return parse_number(text) is not None or too_long(text)


def parse_date(text: str) -> str | None:
    """Read ``16-Jun-03``, ``06/16/2003`` or ``November 15, 2002`` as an ISO date."""
    try:
        if "-" in text:
            day, mon, year = text.split("-")
            month = _MONTHS[mon[:3].lower()]
        elif "/" in text:
            month_s, day, year = text.split("/")
            month = int(month_s)
        else:
            mon, day, year = text.replace(",", "").split()
            month = _MONTHS[mon[:3].lower()]
        year_i = int(year)
        if year_i < 100:  # two-digit years: these filings run from 1997 on
            year_i += 1900 if year_i >= 70 else 2000
        return _dt.date(year_i, month, int(day)).isoformat()
    except (ValueError, KeyError, OverflowError):  # OverflowError: a 50-digit year
        return None


@text_cache(entries=8192)  # a report prints the same amounts and zeros again and again; values are immutable
def convert(text: str, kind: str):
    """Convert one printed cell to the canonical value for a field of ``kind``.

    Args:
        text: the cell as printed.
        kind: the field type from specs/canonical.yaml (``amount``, ``count``,
            ``percent``, ``factor``, ``flag``, ``date``, ``text``, ``id``,
            ``amount_or_text``).

    Returns:
        Decimal, int, bool, str or None (for N/A).

    Raises:
        ValueError_: when the text cannot be read as that type.
    """
    if text in NULL_TEXTS:
        return None
    if text in BLANK_TEXTS:
        return BLANK
    if too_long(text):
        raise ValueError_(f"'{text[:40]}...' has more than {MAX_DIGITS} digits", code="RG106")
    if kind in ("amount", "factor") and not text.endswith("%"):  # the common case first
        number = parse_number(text)
        if number is None:
            raise ValueError_(f"'{text}' is not a number")
        return number
    if kind in ("text", "id"):
        return " ".join(text.split())
    if kind == "amount_or_text":
        number = parse_number(text)
        return number if number is not None else " ".join(text.split())
    if kind == "flag":
        if text.rstrip(".") in FLAG_TEXTS:
            return FLAG_TEXTS[text.rstrip(".")]
        raise ValueError_(f"'{text}' is not YES or NO")
    if kind == "date":
        iso = parse_date(text)
        if iso is None:
            raise ValueError_(f"'{text}' is not a date")
        return iso
    if kind == "percent":
        number = parse_number(text[:-1] if text.endswith("%") else text)
    elif text.endswith("%"):
        raise ValueError_(f"'{text}' is a percentage where a {kind} was expected")
    else:
        number = parse_number(text)
    if number is None:
        raise ValueError_(f"'{text}' is not a number")
    if kind == "count":
        if number != number.to_integral_value():
            raise ValueError_(f"'{text}' is not a whole count")
        return int(number)
    return number


_new_tuple = tuple.__new__


def _pieces(text: str, line: int, column: int) -> list[Cell]:
    """Split text into whitespace-free pieces, each with its column."""
    # str.split and find, then tuple.__new__: measured the fastest way here, and
    # this runs for every row of every report.
    pieces, position, find = [], 0, text.find
    for word in text.split():
        position = find(word, position)
        pieces.append(_new_tuple(Cell, (word, line, column + position)))
        position += len(word)
    return pieces


def _unglue(piece: Cell) -> list[Cell]:
    """Split a label word glued to a value: ``curt)3,137,288`` -> ``curt)``, ``3,137,288``."""
    cut = piece.text.rfind(")") + 1
    if 0 < cut < len(piece.text) and is_cell(piece.text[cut:]):
        return [Cell(piece.text[:cut], piece.line, piece.column),
                Cell(piece.text[cut:], piece.line, piece.column + cut)]
    return [piece]


def words(text: str, line: int, column: int = 1) -> list[Cell]:
    """The whitespace-free pieces of a line, each with its column."""
    return _pieces(text, line, column)


def phrases(pieces: list[Cell]) -> list[Cell]:
    """Join pieces one space apart into phrases; wider gaps separate phrases."""
    out: list[Cell] = []
    for piece in pieces:
        if out and piece.column - out[-1].end == 1:
            last = out[-1]
            out[-1] = Cell(last.text + " " + piece.text, last.line, last.column)
        else:
            out.append(piece)
    return out


def split_row(text: str, line: int, column: int = 1) -> tuple[list[Cell], list[Cell]]:
    """Split a line token into its label phrases and its value cells.

    The cells are the run of value pieces that ends the line; whatever comes
    before them is label, grouped into phrases (``Mortg Loans Outstanding``,
    ``Count``).

    Args:
        text: the token text (one line, possibly with trailing blank lines).
        line: the token's line.
        column: the token's column.

    Returns:
        (label phrases, cells), each a list of Cell.
    """
    labels, cells = _row_layout(text, column)
    return ([_new_tuple(Cell, (word, line, start)) for word, start in labels],
            [_new_tuple(Cell, (word, line, start)) for word, start in cells])


@text_cache(entries=512)  # rows of a table often print alike: split each layout once (a layout: up to ~15 KB)
def _row_layout(text: str, column: int) -> tuple[tuple, tuple]:
    """split_row's (text, column) pairs, before they are given a line."""
    pieces = _pieces(text, 0, column)
    if pieces and not is_cell(pieces[-1].text):
        pieces[-1:] = _unglue(pieces[-1])
    first_cell = len(pieces)
    while first_cell > 0 and is_cell(pieces[first_cell - 1].text):
        first_cell -= 1
    if first_cell > 0 and first_cell < len(pieces):
        glued = _unglue(pieces[first_cell - 1])
        if len(glued) == 2:
            pieces[first_cell - 1:first_cell] = glued  # the value now stands at first_cell
    return (tuple((p.text, p.column) for p in phrases(pieces[:first_cell])),
            tuple((p.text, p.column) for p in pieces[first_cell:]))


def split_phrases(text: str, line: int, column: int = 1) -> list[Cell]:
    """Split a line of words into phrases separated by two or more spaces."""
    return phrases(_pieces(text, line, column))
