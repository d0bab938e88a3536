"""Identities a format spec declares (RG330): how they are read, and how they are checked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from remitgrammar.check.registry import Context
from remitgrammar.check.rules_declared import declared
from remitgrammar.errors import ConfigError
from remitgrammar.formats.identities import parse_identities


class _Spec:
    def __init__(self, identities):
        self.identities = parse_identities(identities, "test.yaml")


def _check(record: dict, identities: list) -> list:
    ctx = Context(record, {}, _Spec(identities), [])
    declared(ctx)
    return ctx.findings


SMM = {"title": "smm", "value": "collateral[*].smm_pct", "sum": ["collateral[*].prepaid"],
       "over": ["collateral[*].base"], "scale": 100}


def test_a_ratio_holds_within_the_rounding_of_every_figure():
    group = {"prepaid": Decimal("2803033.17"), "base": Decimal("209690117.22")}
    assert _check({"collateral": {"1": {**group, "smm_pct": Decimal("1.34")}}}, [SMM]) == []
    found = _check({"collateral": {"1": {**group, "smm_pct": Decimal("1.35")}}}, [SMM])
    assert [(f.code, f.path, f.expected) for f in found] == [("RG330", "collateral[1].smm_pct", "1.34")]


def test_each_key_is_checked_and_a_group_missing_a_figure_is_skipped():
    record = {"collateral": {"1": {"prepaid": Decimal(1), "base": Decimal(100), "smm_pct": Decimal("2.00")},
                             "2": {"prepaid": Decimal(1), "smm_pct": Decimal("9.00")},  # no base
                             "total": {"prepaid": Decimal(2), "base": Decimal(100), "smm_pct": Decimal("2.00")}}}
    assert [f.path for f in _check(record, [SMM])] == ["collateral[1].smm_pct"]


def test_compounding_gives_the_cpr_of_the_smm():
    cpr = {**SMM, "value": "collateral[*].cpr_pct", "annualize": 12}
    group = {"prepaid": Decimal("2803033.17"), "base": Decimal("209690117.22")}
    assert _check({"collateral": {"1": {**group, "cpr_pct": Decimal("14.91")}}}, [cpr]) == []
    assert len(_check({"collateral": {"1": {**group, "cpr_pct": Decimal("14.81")}}}, [cpr])) == 1


def test_a_sum_with_a_subtracted_term_and_a_class_key():
    identity = {"value": "pool.class_amounts[*].net", "sum": ["classes[*].paid", "-classes[*].fee"]}
    record = {"pool": {"class_amounts": {"CE": {"net": Decimal("90.00")}}},
              "classes": [{"class": "CE", "paid": Decimal("100.00"), "fee": Decimal("10.00")}]}
    assert _check(record, [identity]) == []
    record["classes"][0]["fee"] = Decimal("10.50")
    assert [f.path for f in _check(record, [identity])] == ["pool.class_amounts[CE].net"]


def test_a_divisor_that_may_be_zero_determines_nothing():
    record = {"collateral": {"1": {"prepaid": Decimal(5), "base": Decimal("0.00"), "smm_pct": Decimal(7)}}}
    assert _check(record, [SMM]) == []


@pytest.mark.parametrize("entry,message", [
    ("not a mapping", "must be a mapping"),
    ({"value": "pool.a"}, "needs 'value' and 'sum'"),
    ({"value": "pool.a", "sum": ["pool.b"], "weight": 2}, "unknown key(s) weight"),
    ({"value": "pool..a", "sum": ["pool.b"]}, "is not a record path"),
    ({"value": "pool.a", "sum": "pool.b"}, "must be a list"),
    ({"value": "pool.a", "sum": []}, "must be a list"),
    ({"value": "pool.a", "sum": ["collateral[*].b"]}, "the value's key binds it"),
    ({"value": "x[*].a[*]", "sum": ["pool.b"]}, "more than one [*]"),
    ({"value": "pool.a", "sum": ["pool.b"], "scale": "1e999"}, "'scale' must be"),
    ({"value": "pool.a", "sum": ["pool.b"], "scale": 0}, "'scale' must be"),
    ({"value": "pool.a", "sum": ["pool.b"], "annualize": True}, "'annualize' must be"),
])
def test_a_bad_declaration_is_a_configuration_error_naming_the_spec(entry, message):
    with pytest.raises(ConfigError) as raised:
        parse_identities([entry], "specs/formats/x.yaml")
    assert str(raised.value).startswith("specs/formats/x.yaml: identity 1") and message in str(raised.value)


def test_counts_are_exact_figures_in_a_ratio():
    identity = {"value": "collateral[*].count_pct", "sum": ["collateral[*].loans"], "over": ["collateral[*].all"],
                "scale": 100}
    record = {"collateral": {"1": {"loans": 3, "all": 200, "count_pct": Decimal("1.50")}}}
    assert _check(record, [identity]) == []
    record["collateral"]["1"]["count_pct"] = Decimal("1.52")
    (found,) = _check(record, [identity])
    assert found.message.endswith("computed 1.500, printed 1.52") and found.expected == "1.50"

