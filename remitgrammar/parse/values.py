"""Turn printed cells into exact values, and split a line token into label and cells.

The grammar has already checked the shape of every line; this module only reads
the pieces of a line it was given. Numbers stay ``decimal.Decimal`` throughout.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Any, NamedTuple
from decimal import Decimal

NULL_TEXTS = frozenset({"N/A", "n/a", "NA"})
BLANK_TEXTS = frozenset({"-"})  # printed for nothing: the cell is blank, its key absent (SCHEMA.md)
BLANK = object()  # what ``convert`` gives for a blank cell
_DATE_CELL = re.compile(r"(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:\d{4}|\d{2})|\d{1,2}-[A-Z][a-z]{2}-\d{2,4}", re.ASCII)
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

    if function.__code__.co_argcount == 1:  # the common case, called without packing arguments
        def lookup(text: str):
            return cached(text) if len(text) <= CACHED_TEXT else function(text)
    else:
        def lookup(text: str, *args):  # type: ignore[misc]
            return cached(text, *args) if len(text) <= CACHED_TEXT else function(text, *args)
    wrapper: Any = functools.wraps(function)(lookup)  # a function that also carries its cache's handles
    wrapper.cache_info, wrapper.cache_clear = cached.cache_info, cached.cache_clear
    return wrapper


MAX_DIGITS = 30  # more than any amount a filing prints; longer is a finding (RG106), never a number
# A well-formed amount: ASCII digits, commas only between groups of three, one point, one leading minus.
# re.ASCII: a bare \d would take the digits of every script ("2\u0667\u0668,036"), and Decimal reads them.
_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)", re.ASCII)
# What a reader takes for a number but is not a well-formed one: sign forms ("+5", "--5", "(-5)",
# U+2012), grouping not by three ("1,2,3", "27,8036", a cut "183,9"), several points, digits of other
# scripts, invisible characters inside, NaN and infinities, a grouped amount cut after its point
# ("4,618,268."; "2003." ends a sentence). Such a token is
# a value cell (never a label word, so its line is never a heading) that reads as no number: a
# finding (RG113), its field left out. grammars/shared.lark's MALFORMED_NUMBER is the same pattern.
SIGNS = "+\\-\u2010-\u2015\u2212\ufe63\uff0d"
INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
SIGN_CHARACTERS = frozenset("+-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")
INVISIBLE_CHARACTERS = frozenset(chr(c) for c in (0xad, *range(0x200b, 0x2010), *range(0x202a, 0x202f),
                                                 *range(0x2060, 0x2065), *range(0x2066, 0x206a), 0xfeff))
_NUMBERISH = rf"[{SIGNS}{INVISIBLE}]*\.?\d(?:[\d,.{INVISIBLE}]*\d)?[{INVISIBLE}]*"
_NUMBER_LIKE = re.compile(rf"\({_NUMBERISH}\)%?|{_NUMBERISH}%?|[+\-]?(?i:nan|inf|infinity)%?|[0-9,]*,[0-9]{{3}}\.")


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
        if body.startswith("-"):  # "(-278,036)": two signs, neither read over the other
            return None, negative
    elif body.startswith("(") or body.endswith(")"):  # a parenthesis of the prose around it
        return None, negative
    return (body if _NUMBER.fullmatch(body) else None), negative


def _too_many_digits(body: str) -> bool:
    """More than MAX_DIGITS digits in an amount's body (it matched _NUMBER: digits, separators, point, sign)."""
    if len(body) <= MAX_DIGITS:  # the common case, without a pass over the characters
        return False
    return sum(ch.isdigit() for ch in body) > MAX_DIGITS


@text_cache
def is_malformed(text: str) -> bool:
    """A number-like token that is not a well-formed number (see _NUMBER_LIKE): never read as one."""
    if not _NUMBER_LIKE.fullmatch(text) or too_long(text):
        return False
    body = text[:-1] if text.endswith("%") else text
    return parse_number(body) is None


def too_long(text: str) -> bool:
    """An amount-shaped text with more digits than any filing prints."""
    body, _ = _body(text[:-1] if text.endswith("%") else text)
    return body is not None and _too_many_digits(body)


# A well-formed ASCII amount, in parentheses or not, a percentage or not: the cells of nearly every
# row, told by one match before the cached rules below (whose every such text reads as a cell).
_PLAIN_CELL = re.compile(r"(?:-?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
                         r"|\((?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)\))%?", re.ASCII)


def is_cell(text: str) -> bool:
    """Tell whether a whitespace-free piece is a value cell (not a label word)."""
    return _PLAIN_CELL.fullmatch(text) is not None or _is_cell(text)


@text_cache
def _is_cell(text: str) -> bool:
    """is_cell's full rules: N/A, flags and blanks, dates, CUSIPs, numbers well formed or not."""
    if text in NULL_TEXTS or text in FLAG_TEXTS or text in BLANK_TEXTS:
        return True
    if _DATE_CELL.fullmatch(text):
        return True
    if text.endswith("%"):
        return parse_number(text[:-1]) is not None or too_long(text) or is_malformed(text)
    if len(text) == 9 and text[:3].isdigit() and text.isalnum() and text[-1].isdigit():
        return True  # a CUSIP
    return parse_number(text) is not None or too_long(text) or is_malformed(text)


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
    amount = kind in ("amount", "factor") and not text.endswith("%")
    if amount:  # the common case first: a number read is never too long (parse_number refuses those)
        number = parse_number(text)
        if number is not None:
            return number
    if too_long(text):
        raise ValueError_(f"'{text[:40]}...' has more than {MAX_DIGITS} digits", code="RG106")
    if amount:
        raise _not_a_number(text)
    if is_malformed(text):  # whatever the field's type: a malformed number is never a value, nor a text
        raise _not_a_number(text)
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
        raise _not_a_number(text)
    if kind == "count":
        if number != number.to_integral_value():
            raise ValueError_(f"'{text}' is not a whole count")
        return int(number)
    return number


def _not_a_number(text: str) -> ValueError_:
    """RG113 for a number-like token that is not a well-formed number; RG204 for any other text."""
    if is_malformed(text):
        return ValueError_(f"'{shown(text)}' looks like a number but is not a well-formed one "
                           f"({malformation(text)}): it is not read", code="RG113")
    return ValueError_(f"'{text}' is not a number")


def shown(text: str) -> str:
    """A token with its invisible and control characters written as escapes (``\\u200b``)."""
    return "".join(f"\\u{ord(ch):04x}" if ch in INVISIBLE_CHARACTERS or not ch.isprintable() else ch
                   for ch in text)


def malformation(text: str) -> str:
    """What makes a number-like token malformed, in a few words."""
    if any(ch in text for ch in INVISIBLE_CHARACTERS):
        return "an invisible character inside it"
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in text):
        return "digits of another script"
    if text.strip("+-()%").lower() in ("nan", "inf", "infinity"):
        return "not a number at all"
    body = text.strip("()%")
    if body[:1] in SIGN_CHARACTERS:
        return "a sign in a form the report's numbers do not take"
    if body.count(".") > 1:
        return "several decimal points"
    return "its digits are not grouped by three"


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
    cut = piece.text.find(")") + 1
    while 0 < cut < len(piece.text):  # the label's own ")" is the first that leaves a value after it
        if is_cell(piece.text[cut:]):
            return [Cell(piece.text[:cut], piece.line, piece.column),
                    Cell(piece.text[cut:], piece.line, piece.column + cut)]
        cut = piece.text.find(")", cut) + 1
    return [piece]


def words(text: str, line: int, column: int = 1) -> list[Cell]:
    """The whitespace-free pieces of a line, each with its column."""
    return _pieces(text, line, column)


def phrases(pieces: list[Cell]) -> list[Cell]:
    """Join pieces one space apart into phrases; wider gaps separate phrases."""
    out: list[Cell] = []
    end = 0  # just past the last phrase, kept rather than read from it: this runs for every row
    for piece in pieces:
        text, column = piece.text, piece.column
        if out and column - end == 1:
            last = out[-1]
            out[-1] = _new_tuple(Cell, (last.text + " " + text, last.line, last.column))
        else:
            out.append(piece)
        end = column + len(text)
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
