"""Every printed value is read exactly, or it is a finding at its line: malformed numbers, generated.

Each golden sample's values are rewritten, in turn, in every malformed form a reader might take
for a number (sign forms, grouping not by three, cut groups, several points, digits of another
script, invisible characters, NaN). Every rewritten value must read the same value (none does:
they are all malformed) or give a finding at its line; none may be read as another number, turn
its line into a heading in silence, or vanish from `coverage`, which counts it as lost.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from lark import Lark

from golden import corpus_files
from remitgrammar.check.coverage import coverage
from remitgrammar.errors import RemitError
from remitgrammar.formats.resources import data_dir
from remitgrammar.intake.characters import INVISIBLE
from remitgrammar.parse.values import convert, is_cell, is_malformed, parse_number
from remitgrammar.pipeline import parse_result
from remitgrammar.records import parse_rendered, value_at

SAMPLES = [p for p in corpus_files() if not p.name.endswith(".submission.txt")]
IDS = [f"{p.parent.name}/{p.stem}" for p in SAMPLES]
_OTHER_SCRIPT = str.maketrans("0123456789", "".join(chr(0x0660 + d) for d in range(10)))  # Arabic-Indic


def _regrouped(text: str) -> str:
    digits = text.replace(",", "").split(".")[0]
    return f"{digits[:-4]},{digits[-4:]}" if len(digits) > 4 else ",".join(digits) if len(digits) > 1 else f"{digits},5"


def _cut(text: str) -> str:
    """The number cut inside its last group of three ("183,934" -> "183,9"), as a line cut short prints
    it. (Decimals cut short, "1.25" for "1.2534", are a well-formed number: only check's arithmetic
    can tell.)"""
    return text[:text.rfind(",") + 2] if "," in text else f"{text},9"


FORMS = {
    "plus": lambda t: "+" + t,
    "figure dash": lambda t: "\u2012" + t,
    "double minus": lambda t: "--" + t,
    "zero-width space": lambda t: "\u200b" + t,
    "minus in parentheses": lambda t: f"(-{t})",
    "grouped by two": lambda t: re.sub(r"(\d)(?=(\d\d)+$)", r"\1,", t.replace(",", "").split(".")[0]) + ",1",
    "not by three": _regrouped,
    "cut group": _cut,
    "two points": lambda t: t + ".5" if "." in t else t + ".1.2",
    "other script": lambda t: t[0].translate(_OTHER_SCRIPT) + t[1:],
    "NaN": lambda t: "NaN",
}


def outcome(text: str):
    try:
        return parse_result(text, "changed.txt")
    except RemitError as exc:
        assert exc.result is not None, exc.render()
        return exc.result


def numeric_cells(result) -> list[tuple[int, int, str, object]]:
    """(line, column, text, value) of every numeric value the record holds, one per position."""
    cells = {}
    for path, where in result.provenance.items():
        value = value_at(result.record, parse_rendered(path))
        text = where["text"]
        body = text[:-1] if text.endswith("%") else text
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or "end_line" in where:
            continue
        if body.startswith(("(", "-")) or parse_number(body) is None:
            continue  # a negative's sign forms are their own case
        cells[(where["line"], where["column"])] = (where["line"], where["column"], text, value)
    return sorted(cells.values())


def rewrite(lines: list[str], line: int, column: int, text: str, new: str) -> tuple[str, int]:
    """The line with ``text`` at ``column`` replaced by ``new``, right edge kept where spaces allow."""
    old = lines[line - 1]
    start, end = column - 1, column - 1 + len(text)
    assert old[start:end] == text, (line, column, text, old)
    grow = sum(ch not in INVISIBLE for ch in new) - len(text)  # what shows: a zero-width character takes no place
    gap = len(old[:start]) - len(old[:start].rstrip(" "))
    room = gap - (2 if gap >= 2 else 1)  # a wide gap stays wide: it is part of the layout
    if 0 < grow <= room:
        start -= grow
    elif grow < 0:
        new = " " * -grow + new
    return old[:start] + new + old[end:], start + 1 + (len(new) - len(new.lstrip(" ")))


def run_form(sample, form: str, parity: int) -> list[str]:
    """Rewrite every value on lines of one parity in one form; return the silent cases."""
    text = sample.read_text(encoding="utf-8")
    base = outcome(text)
    lines = text.split("\n")
    changed, on_line = [], {}
    for line, column, printed, value in reversed(numeric_cells(base)):  # right to left: columns stay put
        if line % 2 != parity:
            continue
        body, percent = (printed[:-1], "%") if printed.endswith("%") else (printed, "")
        new = FORMS[form](body) + percent
        before = len(lines[line - 1])
        lines[line - 1], at = rewrite(lines, line, column, printed, new)
        moved = len(lines[line - 1]) - before  # a value that grew with no room pushes those to its right
        for entry in on_line.get(line, ()):
            entry[1] += moved
        entry = [line, at, new, value]
        changed.append(entry)
        on_line.setdefault(line, []).append(entry)
    result = outcome("\n".join(lines))
    before = {(f["code"], f.get("line")) for f in base.record["findings"]}
    flagged = {f["line"] for f in result.record["findings"]
               if f.get("line") and (f["code"], f["line"]) not in before}
    read = {(w["line"], w["column"]): (p, w["text"]) for p, w in result.provenance.items()}
    lost = {(line, column) for line, column, _ in coverage(result).lost}
    silent = []
    for line, at, new, value in changed:
        at += len(new) - len(new.lstrip(INVISIBLE))  # removed by intake: the value's column is the digits'
        if (line, at) in read:
            path, got = read[(line, at)]
            if value_at(result.record, parse_rendered(path)) != value:
                silent.append(f"line {line}: '{new}' read as {path} = {got!r} (was {value})")
        elif line not in flagged:
            silent.append(f"line {line}: '{new}' gave no finding on its line")
        elif is_malformed(new) and (line, at) not in lost:
            silent.append(f"line {line}: '{new}' is not counted as lost by coverage")
    return silent


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_a_malformed_number_is_never_read_nor_silent(sample):
    silent = []
    for form in FORMS:
        for parity in (0, 1):
            silent += [f"{form}: {case}" for case in run_form(sample, form, parity)]
    assert not silent, f"{len(silent)} silent cases, first: " + "; ".join(silent[:8])


@pytest.mark.parametrize("token,expected", [
    ("278,036", Decimal("278036")), ("(278,036)", Decimal("-278036")), ("-278,036.5", Decimal("-278036.5")),
    ("4198567.42", Decimal("4198567.42")), (".5", Decimal("0.5")),
])
def test_well_formed_numbers_read_exactly(token, expected):
    assert convert(token, "amount") == expected
    assert not is_malformed(token)


@pytest.mark.parametrize("token", [
    "+278,036", "\u2012278,036", "--278,036", "\u200b278,036", "(-278,036)", "278,03,6", "1,2,3", "27,8036",
    "183,9", "1.2.3", "2\u0667\u0668,036", "NaN", "-inf", "1,2%", "1234,567", "27\u200b8,036",
])
def test_malformed_numbers_are_cells_that_read_as_no_number(token):
    assert is_malformed(token) and is_cell(token)
    for kind in ("amount", "count", "percent", "factor", "amount_or_text"):
        with pytest.raises(ValueError) as caught:
            convert(token, kind)
        assert caught.value.code == "RG113"


@pytest.mark.parametrize("token", ["30-59", "2002-4", "60+", "(2.50%", "850,000,007.77)", "27,", "1998-C", "A-1"])
def test_words_that_hold_digits_stay_words(token):
    assert not is_malformed(token) and not is_cell(token)


def test_the_grammar_and_values_agree_on_what_is_a_cell():
    """shared.lark's CELL and values.is_cell must take the same tokens: a token the grammar reads as a
    word but Python as a value (or the reverse) would change a line's kind without a finding."""
    grammar = Lark((data_dir("grammars") / "shared.lark").read_text(encoding="utf-8") + "\nstart: CELL\n",
                   parser="lalr", lexer="contextual")
    cell = re.compile(next(t for t in grammar.terminals if t.name == "CELL").pattern.to_regexp())
    tokens = ["278,036", "(278,036)", "-5", ".5", "12.5%", "N/A", "-", "+278,036", "\u2012278,036", "--278,036",
              "\u200b278,036", "(-278,036)", "1,2,3", "27,8036", "1.2.3", "2\u0667\u0668,036", "NaN", "1,2%",
              "30-59", "2002-4", "60+", "(2.50%", "850,000,007.77)", "27,", "A-1", "(278", "278)", "Total"]
    for token in tokens:
        assert bool(cell.fullmatch(token)) == is_cell(token), token


def test_a_servicing_fee_with_a_plus_sign_is_a_finding_not_a_heading():
    """The issue's case: line 226 of the 2003-HE2 November sample, `Servicing Fee ... +278,036`."""
    sample = next(p for p in SAMPLES if p.name == "absc_2003-he2_2003-11-17.txt")
    lines = sample.read_text(encoding="utf-8").split("\n")
    assert lines[225].endswith("278,036")
    lines[225] = lines[225][:-8] + "+278,036"
    with pytest.raises(RemitError) as caught:
        parse_result("\n".join(lines), "fee.txt")
    finding = next(f for f in caught.value.findings if f.line == 226)
    assert (finding.code, finding.column) == ("RG113", lines[225].index("+") + 1)
    result = caught.value.result
    assert "pool.servicing_fee" not in result.provenance
    entry = next(e for e in result.record["extra"] if e["line"] == 226)
    assert entry["malformed"] == [{"text": "+278,036", "column": finding.column}]
    assert [(line, text) for line, _, text in coverage(result).lost] == [(226, "+278,036")]


def test_invisible_characters_are_removed_and_columns_stay_the_files():
    """A zero-width space before a loan group's heading, inside a label and before a value (the issue's
    cases): the report reads as if they were not there, every group keeps its balances, and each
    value's column is its column in the file as given."""
    sample = next(p for p in SAMPLES if p.name == "absc_2003-he2_2003-11-17.txt")
    text = sample.read_text(encoding="utf-8")
    plain = outcome(text)
    lines = text.split("\n")
    lines[200] = lines[200].replace("GROUP 1", "\u200bGROUP 1").replace("GROUP 2", "\u200dGROUP 2")
    lines[225] = lines[225].replace("Servicing", "Serv\u00adicing").replace(" 278,036", "\ufeff278,036")
    result = parse_result("\n".join(lines), "invisible.txt")
    assert {p: value_at(result.record, parse_rendered(p)) for p in result.provenance} == \
        {p: value_at(plain.record, parse_rendered(p)) for p in plain.provenance}
    fee = result.provenance["pool.servicing_fee"]
    assert lines[225][fee["column"] - 1:].startswith("278,036")
    assert fee["column"] == plain.provenance["pool.servicing_fee"]["column"] + 1  # the soft hyphen before it
    assert not coverage(result).lost
