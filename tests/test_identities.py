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
    ({"value": "pool.a", "sum": ["pool.b"], "constant": "one hundred"}, "'constant' must be a plain number"),
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
    assert found.message.endswith("computed 1.500, printed 1.52 (off by 0.020, rounding allows 0.005)")
    assert found.expected == "1.50"



def test_an_optional_term_is_added_where_printed_and_zero_where_not():
    principal = {"title": "principal", "value": "classes[*].principal", "sum": ["classes[*].scheduled"],
                 "optional": ["classes[*].extra"]}
    record = {"classes": [{"class": "A", "principal": Decimal("10.00"), "scheduled": Decimal("7.00"),
                           "extra": Decimal("3.00")},
                          {"class": "B", "principal": Decimal("5.00"), "scheduled": Decimal("5.00")}]}
    assert _check(record, [principal]) == []
    record["classes"][0]["extra"] = Decimal("4.00")  # printed: it counts
    record["classes"][1]["principal"] = Decimal("6.00")  # not printed: zero
    assert [f.path for f in _check(record, [principal])] == ["classes[A].principal", "classes[B].principal"]
    with pytest.raises(ConfigError, match="'optional' must be a list"):
        parse_identities([{**principal, "optional": []}], "specs/formats/x.yaml")


def test_a_constant_is_added_exactly():
    complement = {"title": "sub", "value": "collateral[*].sub_pct", "constant": 100, "sum": ["-collateral[*].senior_pct"]}
    record = {"collateral": {"1": {"senior_pct": Decimal("94.93985145"), "sub_pct": Decimal("5.06014855")}}}
    assert _check(record, [complement]) == []
    record["collateral"]["1"]["sub_pct"] = Decimal("5.06014857")  # 2e-8 off: past the two half-units
    assert [f.path for f in _check(record, [complement])] == ["collateral[1].sub_pct"]


def test_a_star_under_a_named_key_takes_that_key_s_entries():
    excess = {"title": "x", "value": "collateral[total].class_amounts[*].paid", "sum": ["classes[*].interest"]}
    record = {"collateral": {"total": {"class_amounts": {"X": {"paid": Decimal("5.00")}}}},
              "classes": [{"class": "X", "interest": Decimal("4.00")}]}
    assert [f.path for f in _check(record, [excess])] == ["collateral[total].class_amounts[X].paid"]


def test_either_holds_when_one_of_its_sums_does():
    sixty = {"title": "60+", "value": "pool.pct", "either": [["pool.late", "pool.foreclosure"],
                                                              ["pool.late", "pool.foreclosure", "pool.bankruptcy"]],
             "over": ["pool.balance"], "scale": 100}
    pool = {"late": Decimal("1.00"), "foreclosure": Decimal("1.00"), "bankruptcy": Decimal("1.00"),
            "balance": Decimal("100.00")}
    assert _check({"pool": {**pool, "pct": Decimal("2.00")}}, [sixty]) == []  # without bankruptcies
    assert _check({"pool": {**pool, "pct": Decimal("3.00")}}, [sixty]) == []  # with them
    (found,) = _check({"pool": {**pool, "pct": Decimal("3.50")}}, [sixty])  # neither: the nearer is reported
    assert found.expected == "3.00"
    with pytest.raises(ConfigError, match="needs 'value' and 'sum' \\(or 'either' in its place\\)"):
        parse_identities([{**sixty, "sum": ["pool.late"]}], "specs/formats/x.yaml")


def test_a_weighted_average_over_the_other_keys_by_one_of_its_weightings():
    coupon = {"title": "wac", "value": "collateral[total].wac_pct", "average": "collateral[*].wac_pct",
              "weights": ["collateral[*].beginning", "collateral[*].ending"]}
    record = {"collateral": {"1": {"wac_pct": Decimal("6.00000"), "beginning": Decimal(300), "ending": Decimal(100)},
                             "2": {"wac_pct": Decimal("8.00000"), "beginning": Decimal(100), "ending": Decimal(100)},
                             "total": {"wac_pct": Decimal("6.50000"), "beginning": Decimal(400)}}}
    assert _check(record, [coupon]) == []  # by the beginning balances
    record["collateral"]["total"]["wac_pct"] = Decimal("7.00000")
    assert _check(record, [coupon]) == []  # by the ending ones
    record["collateral"]["total"]["wac_pct"] = Decimal("6.80000")
    (found,) = _check(record, [coupon])
    assert found.path == "collateral[total].wac_pct" and found.expected == "7.00000"
    with pytest.raises(ConfigError, match="range over a section's keys"):
        parse_identities([{**coupon, "average": "collateral[1].wac_pct"}], "specs/formats/x.yaml")
    with pytest.raises(ConfigError, match="takes 'value' and 'weights'"):
        parse_identities([{**coupon, "sum": ["pool.a"]}], "specs/formats/x.yaml")
