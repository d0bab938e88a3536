"""Value rules of SCHEMA.md: exact numbers, negatives, N/A, flags, dates, counts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from remitgrammar.emit.json_record import to_json
from remitgrammar.parse.values import ValueError_, convert, split_row


@pytest.mark.parametrize("text,kind,value", [
    ("5,019,904", "amount", Decimal("5019904")),
    ("3692057.39", "amount", Decimal("3692057.39")),
    ("(4,179)", "amount", Decimal("-4179")),
    ("-12.5", "amount", Decimal("-12.5")),
    ("1.69000%", "percent", Decimal("1.69000")),
    ("N/A", "amount", None),
    ("NA", "percent", None),
    ("NO", "flag", False),
    ("YES", "flag", True),
    ("NO.", "flag", False),
    ("4,555", "count", 4555),
    ("0.00", "count", 0),
    ("16-Jun-03", "date", "2003-06-16"),
    ("November 15, 2002", "date", "2002-11-15"),
    ("06/16/2003", "date", "2003-06-16"),
    ("Not  Provided By Servicer", "amount_or_text", "Not Provided By Servicer"),
    ("667,853.34", "amount_or_text", Decimal("667853.34")),
])
def test_convert(text, kind, value):
    result = convert(text, kind)
    assert result == value and type(result) is type(value)


@pytest.mark.parametrize("text,kind", [("1.5", "count"), ("7.2%", "amount"), ("abc", "amount"), ("MAYBE", "flag")])
def test_convert_refuses_what_the_field_cannot_hold(text, kind):
    with pytest.raises(ValueError_):
        convert(text, kind)


def test_json_keeps_printed_digits():
    assert to_json({"a": Decimal("0.00000000"), "b": Decimal("3692057.39"), "c": Decimal("1.69000")},
                   indent=None) == '{"a": 0.00000000, "b": 3692057.39, "c": 1.69000}'


@pytest.mark.parametrize("line,labels,cells", [
    ("     Prep(Incl curt)3,137,288       2,484,619        5,621,908\n",
     ["Prep(Incl curt)"], ["3,137,288", "2,484,619", "5,621,908"]),
    ("Sched Int-less serv 3,531,979       2,205,560        5,737,540\n",
     ["Sched Int-less serv"], ["3,531,979", "2,205,560", "5,737,540"]),
    ("Mortg Loans Outstanding                     Count                 5871\n",
     ["Mortg Loans Outstanding", "Count"], ["5871"]),
    ("90 + days delinq   0              0            1             49494.2\n",
     ["90 + days delinq"], ["0", "0", "1", "49494.2"]),
    ("      M5-A           0.00         39,822\n", ["M5-A"], ["0.00", "39,822"]),
])
def test_split_row(line, labels, cells):
    got_labels, got_cells = split_row(line, 7)
    assert [p.text for p in got_labels] == labels
    assert [c.text for c in got_cells] == cells
    assert all(line[c.column - 1:c.end - 1] == c.text for c in got_cells)


@pytest.mark.parametrize("value", [
    {"a": [], "b": {}, "c": [[1, {}], {"x": [{}]}], "d": "é\u2028\"\\", "e": [True, None, False, 7]},
    [[[]], {"k": {"deep": [1, 2, {"deeper": "x"}]}}],
    [{"class": "A-1", "per_1000": {"interest": 3}}, {"class": "R"}],  # not all flat: laid out in full
    "plain", 12, None, [],
])
def test_indented_json_is_laid_out_as_json_dumps_does(value):
    # to_json writes the innermost containers with the C encoder and the rest itself: the text
    # must still be what the standard library writes, but for the line separators it escapes (a
    # terminal or a JavaScript reader takes U+2028 for a line end)
    inert = lambda text: text.replace("\u2028", "\\u2028")  # noqa: E731
    assert to_json(value) == inert(json.dumps(value, indent=2, ensure_ascii=False))
    assert to_json(value, indent=None) == inert(json.dumps(value, ensure_ascii=False))
    assert json.loads(to_json(value)) == value


def test_a_list_of_flat_records_has_one_record_a_line():
    entry = {"label": "A-2C / Accrual", "values": ["07/25/2005", Decimal("1.50")], "line": 75, "ok": True}
    text = to_json({"extra": [entry] * 2, "n": 1})
    line = '{"label": "A-2C / Accrual", "values": ["07/25/2005", 1.50], "line": 75, "ok": true}'
    assert text == '{\n  "extra": [\n    ' + line + ',\n    ' + line + '\n  ],\n  "n": 1\n}'
    assert json.loads(text) == json.loads(json.dumps({"extra": [{**entry, "values": ["07/25/2005", 1.5]}] * 2,
                                                      "n": 1}))


def test_indented_json_writes_decimals_exactly_at_every_depth():
    value = {"top": Decimal("-0.00"), "nested": {"list": [Decimal("1.50"), {"x": Decimal("2.000")}]}}
    assert to_json(value) == ('{\n  "top": -0.00,\n  "nested": {\n    "list": [\n      1.50,\n'
                              '      {\n        "x": 2.000\n      }\n    ]\n  }\n}')


def test_only_short_texts_are_cached():
    from remitgrammar.parse import values
    from remitgrammar.parse.values import CACHED_TEXT
    long_line = "Label " + "1,000 " * (CACHED_TEXT // 6 + 10)
    short_line = "Label  1,000  2,000"
    values._row_layout.cache_clear()
    assert split_row(long_line, 3)[1][0].line == 3 and values._row_layout.cache_info().currsize == 0
    assert split_row(short_line, 4)[1][1] == ("2,000", 4, 15)
    assert split_row(short_line, 9)[1][1] == ("2,000", 9, 15)  # the cached layout, given its own line
    assert values._row_layout.cache_info().currsize == 1
