"""The fast paths of the per-cell work read every piece as the plain rules they stand in front of do.

Warm throughput (issue 24) took the common case out of the general rules: a plain amount is a
cell by one regex, a converted amount skips the digit count, a cell's column is found without a
key per column. Each test here runs the fast path and the rule it shortcuts over every piece of
a small alphabet (or many random tables) and asks for the same answer.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from remitgrammar.check.engine import run_checks
from remitgrammar.check.intervals import evaluate, quantized_like
from remitgrammar.check.misprints import Probe
from remitgrammar.errors import RemitError
from remitgrammar.parse import values
from remitgrammar.parse.columns import Column, column_of
from remitgrammar.parse.layout import _overlapped, straddles
from remitgrammar.parse.values import Cell, ValueError_, convert, is_cell, parse_number, too_long
from remitgrammar.pipeline import check_result, parse_result

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


# --- check over randomised amounts (issue 24 point 2) ---------------------------------------------
# On varied amounts most identities fail and the misprint search (RG399, check/misprints.py) asks
# each failed figure's candidates of every identity the figure is in: the warm check's time. Its
# fast path (misprints.Probe: sides computed once, a ratio's stages kept, a linear sum's totals kept)
# must find the same findings, in the same order, worded the same.
#
# speed_equivalence_e18ae66.json is the findings of `check` (parse and rules) of the 54 texts below
# as the code of e18ae66 found them, before the fast path: per text the count, the sha256 of the
# findings as sorted-key JSON, and its RG399 findings in full. Made by running ``_reference()`` with
# that revision's package first on sys.path; never regenerated from the code under test.

REFERENCE = Path(__file__).resolve().parent / "speed_equivalence_e18ae66.json"
CORPUS = Path(__file__).resolve().parent / "corpus"
_AMOUNT = re.compile(r"(?<![\w.,/:$-])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\w,/:-]|\.\d)")  # bench/varied.py's


def _redigit(match: re.Match, rng: random.Random) -> str:
    """An amount with every digit drawn anew, its shape kept (a longer integer part keeps a leading non-zero)."""
    text = match.group(0)
    whole, out, first = len(text.split(".")[0].replace(",", "")), [], True
    for char in text:
        if char.isdigit():
            out.append(str(rng.randint(1 if first and whole > 1 else 0, 9)))
            first = False
        else:
            out.append(char)
    return "".join(out)


def _varied_texts():
    """(name, text): the corpus's 18 statements, three times over, every amount's digits drawn at random."""
    samples = sorted(p for p in CORPUS.glob("*/*.txt") if not p.name.endswith(".submission.txt"))
    rng = random.Random(24)
    for round_ in range(3):
        for path in samples:
            text = path.read_text(encoding="utf-8")
            yield f"{path.parent.name}/{path.name}#{round_}", _AMOUNT.sub(lambda m: _redigit(m, rng), text)


def _outcome(text: str):
    try:
        return parse_result(text, "varied.txt")
    except RemitError as exc:
        return exc


def _reference() -> dict:
    """What the reference file holds, from the package first on sys.path."""
    found = {}
    for name, text in _varied_texts():
        findings = [f.as_dict() for f in check_result(_outcome(text))]
        blob = json.dumps(findings, sort_keys=True, default=str)
        found[name] = {"findings": len(findings), "sha256": hashlib.sha256(blob.encode()).hexdigest(),
                       "RG399": [f for f in findings if f["code"] == "RG399"]}
    return json.loads(json.dumps(found, default=str))


def test_check_over_varied_amounts_finds_what_the_code_before_found():
    expected = json.loads(REFERENCE.read_text(encoding="utf-8"))
    got = _reference()
    assert len(got) == 54 and sum(len(v["RG399"]) for v in got.values()) > 30  # the search names figures
    for name in expected:
        assert got[name]["RG399"] == expected[name]["RG399"], name
        assert got[name] == expected[name], name


def _questions(identities: list):
    """(identity, path, value) the misprint search could ask: every figure's fit at its printed precision,
    the printed value itself, zero, and values far past any printed digits."""
    for identity in identities:
        for f in identity.figures():
            if f.path is None:
                continue
            values = {f.value, 0, Decimal("1E+40"), Decimal("1E-40")}
            fit = identity.fit(f.path)
            if fit is not None and fit.is_finite():
                values.add(quantized_like(fit, f.value))
            for value in values:
                yield identity, f.path, value


def test_a_probe_answers_as_the_identity_does():
    asked = zeros = 0
    for _, text in itertools.islice(_varied_texts(), 18):
        outcome = _outcome(text)
        result = outcome.result if isinstance(outcome, RemitError) else outcome
        if result is None:
            continue
        identities: list = []
        with localcontext() as context:
            context.prec = 80  # as run_checks computes
            run_checks(result.record, result.provenance, result.spec, result.lines, identities)
            probes = {id(i): Probe(i) for i in identities}
            for identity, path, value in _questions(identities):
                probe = probes[id(identity)]
                assert probe.holds_with(path, value) == identity.holds_with(path, value), (identity.what, path, value)
                assert probe.fit(path) == identity.fit(path)
                asked += 1
                zeros += value == 0
    assert asked > 10_000 and zeros > 1000


def _amount(rng: random.Random) -> Decimal:
    """A printed amount: often a zero (of one, two or three decimals), else up to 99.999."""
    if rng.random() < 0.5:
        return Decimal(rng.choice(["0.0", "0.00", "0.000", "0.000"]))
    return Decimal(rng.randint(1, 99_999)).scaleb(-3)


def _random_identity(rng: random.Random):
    """A sum, or a ratio with ``times`` and ``over`` factors, printed near its computed value (within the
    slack its zeros give or take): questions near it land on both sides of every edge."""
    terms = [(rng.choice((1, -1)), _amount(rng), ("t", str(n))) for n in range(rng.randint(1, 6))]
    ratio = rng.random() < 0.4
    times = [(Decimal(rng.randint(50, 150)).scaleb(-2), ("x", "0"))] if ratio and rng.random() < 0.7 else []
    over = [(Decimal(rng.randint(1, 99_999)).scaleb(-2), ("o", "0"))] if ratio else []
    plus = [(1, _amount(rng), ("p", "0"))] if rng.random() < 0.3 else []
    relation = rng.choice(["=", "=", ">=", "<="])
    first = evaluate("RG999", ("r",), terms, Decimal(0), "x", times=times, over=over, plus=plus, relation=relation)
    if first is None:
        return None
    printed = quantized_like(first.computed - first.printed, Decimal("0.000")) + rng.randint(-40, 40) * Decimal("0.001")
    return evaluate("RG999", ("r",), terms, printed, "x", times=times, over=over, plus=plus, relation=relation)


def test_a_probe_answers_as_the_identity_does_at_the_edges_of_its_rounding():
    rng = random.Random(2024)
    asked = differ = 0
    with localcontext() as context:
        context.prec = 80  # as run_checks computes
        for _ in range(400):
            identity = _random_identity(rng)
            if identity is None:
                continue
            probe = Probe(identity)
            for path in dict.fromkeys(f.path for f in identity.figures()):
                printed = identity.printed_at(path)
                values = [printed + step * Decimal("0.002") for step in range(-6, 7)] + [Decimal(0), Decimal("0.00")]
                for value in values:
                    got = probe.holds_with(path, value)
                    assert got == identity.holds_with(path, value), (identity, path, value)
                    asked += 1
                    differ += got != (not identity.failed)
    assert asked > 10_000 and differ > 1000  # many questions change the answer: they are near the edges


def test_a_probe_at_fewer_digits_evaluates_in_full():
    terms = [(1, Decimal("1" + "0" * 30 + ".01"), ("t", "0")), (1, Decimal("0.01"), ("t", "1"))]
    identity = evaluate("RG999", ("r",), terms, Decimal("1" + "0" * 30 + ".02"), "a sum")
    with localcontext() as context:
        context.prec = 28  # the sum needs 33 digits: rounded, the identity answers otherwise than exact sums would
        probe = Probe(identity)
        for value in (Decimal("0.01"), Decimal("0.02"), Decimal("0.00")):
            assert probe.holds_with(("t", "1"), value) == identity.holds_with(("t", "1"), value)
