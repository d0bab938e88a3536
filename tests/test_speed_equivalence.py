"""The fast paths of the per-cell work read every piece as the plain rules they stand in front of do.

Warm throughput (issue 24) took the common case out of the general rules: a plain amount is a
cell by one regex, a converted amount skips the digit count, a cell's column is found without a
key per column. Each test here runs the fast path and the rule it shortcuts over every piece of
a small alphabet (or many random tables) and asks for the same answer.
"""

from __future__ import annotations

import itertools
import random

import pytest

from remitgrammar.parse import values
from remitgrammar.parse.columns import Column, column_of
from remitgrammar.parse.layout import _overlapped, straddles
from remitgrammar.parse.values import Cell, ValueError_, convert, is_cell, parse_number, too_long

# Digits, the separators and signs a printed amount carries, and a letter: every shape of cell,
# malformed number and label word these characters can make up to five long.
ALPHABET = "09,.()-%x"


def _pieces(longest: int = 5):
    for size in range(1, longest + 1):
        for chars in itertools.product(ALPHABET, repeat=size):
            yield "".join(chars)


def test_a_plain_amount_is_a_cell_by_the_full_rules_too():
    fast = 0
    for piece in _pieces():
        quick = values._PLAIN_CELL.fullmatch(piece) is not None
        full = values._is_cell.__wrapped__(piece)  # the rules themselves, not their cache
        assert not quick or full, piece
        assert is_cell(piece) == full, piece
        fast += quick
    assert fast > 300  # the fast path is the one taken for plain amounts (360 of these pieces)


@pytest.mark.parametrize("piece", ["1,234,567.89", "(4,179)", "-12.5", ".5", "12.5%", "(1.5)%"])
def test_plain_amounts_take_the_fast_path(piece):
    assert values._PLAIN_CELL.fullmatch(piece)


@pytest.mark.parametrize("piece", ["(-5)", "1,2,3", "4,618,268.", "1.2.3", "+5", "2\u0667", "--5", "5-"])
def test_malformed_numbers_are_left_to_the_full_rules(piece):
    assert not values._PLAIN_CELL.fullmatch(piece)


def _convert_by_the_rules(text: str, kind: str):
    """convert's documented order: N/A, a blank, too many digits (RG106), then the number."""
    if text in values.NULL_TEXTS:
        return None
    if text in values.BLANK_TEXTS:
        return values.BLANK
    if too_long(text):
        return "RG106"
    number = parse_number(text)
    return number if number is not None else values._not_a_number(text).code


@pytest.mark.parametrize("kind", ["amount", "factor"])
def test_an_amount_converts_as_the_rules_read_it(kind):
    pieces = list(_pieces(4)) + ["1" * 31, "1" * 30, "(" + "1" * 31 + ")", "N/A", "-", "1,234,567.891"]
    for piece in pieces:
        if piece.endswith("%"):
            continue
        try:
            got = convert.__wrapped__(piece, kind)
        except ValueError_ as exc:
            got = exc.code
        assert got == _convert_by_the_rules(piece, kind), piece


def _column_by_the_rule(cell: Cell, columns: list):
    """The column a cell overlaps most, else the nearest; the first of equals."""
    if not columns:
        return None
    return min(columns, key=lambda c: (-max(min(cell.end, c.end) - max(cell.column, c.start), 0),
                                       max(c.start - cell.end, cell.column - c.end, 0)))


def test_a_cell_stands_in_the_column_the_rule_names():
    rng = random.Random(24)
    for _ in range(5000):
        columns = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(1, 60)
            columns.append(Column("c", start, start + rng.randint(1, 12), Cell("c", 1, start)))
        column = rng.randint(1, 70)
        cell = Cell("9" * rng.randint(1, 12), 2, column)
        assert column_of(cell, columns) is _column_by_the_rule(cell, columns)
        assert straddles(cell, columns) == (len(_overlapped(cell, columns)) > 1)
