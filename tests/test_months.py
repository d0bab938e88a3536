"""The rules across months (RG4xx): a deal's reports checked against each other.

Each rule passes on a month that follows the November 2003-HE2 seed as it should, and
fires when one figure of that month is wrong. The following month is made from the
seed's own figures (beginning balances are November's ending balances, and so on);
the command-line tests use the seed files themselves.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from remitgrammar.check.across import check_months
from remitgrammar.check.months import deal_key, month_of
from remitgrammar.check.registry import ACROSS
from remitgrammar.cli import app
from remitgrammar.pipeline import parse_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "usbank-absc-2003"
NOVEMBER = CORPUS / "absc_2003-he2_2003-11-17.txt"
JUNE = CORPUS / "absc_2003-he2_2003-06-16.txt"
HE4 = CORPUS / "absc_2003-he4_2003-12-15.txt"


@pytest.fixture(scope="module")
def november():
    return month_of("nov.txt", parse_path(NOVEMBER))


def following(month, name="dec.txt", date=dt.date(2003, 12, 15)):
    """The month after ``month``, as it should be: balances carried over, 1,000 paid on each class."""
    nxt = copy.deepcopy(month)
    nxt.name, nxt.date = name, date
    for values in nxt.classes.values():
        end = values.get("ending_balance")
        values["beginning_balance"] = end
        if end and end > 1000 and values is not nxt.classes.get("X"):
            values["ending_balance"] = end - 1000
    for values in nxt.groups.values():
        values["beginning_balance"] = values.get("ending_balance")
    nxt.pool.update(oc_increase=Decimal(0), oc_release=Decimal(0))  # the target is met: the O/C stays
    nxt.pool["realized_losses"] = Decimal(500)
    nxt.pool["cumulative_realized_losses"] = month.pool["cumulative_realized_losses"] + 500
    return nxt


def codes_at(found, name="dec.txt"):
    return [(f.code, f.path) for f in found.get(name, [])]


def test_the_following_month_is_clean(november):
    assert check_months([november, following(november)]) == {}


CASES = [
    ("RG401", lambda m: m.classes["A-1"].update(beginning_balance=Decimal("328979673")),
     "classes[A-1].beginning_balance"),
    ("RG401", lambda m: m.groups["2"].update(beginning_balance=Decimal("219000000")),
     "collateral[2].beginning_balance"),
    ("RG401", lambda m: m.pool.update(overcollateralization_amount=Decimal("14345337")),
     "pool.overcollateralization_amount"),
    ("RG401", lambda m: m.prior.update({("pool",): {"overcollateralization_amount": Decimal("14344377")}}),
     "pool.prior.overcollateralization_amount"),
    ("RG402", lambda m: m.pool.update(cumulative_realized_losses=Decimal("22990")),
     "pool.cumulative_realized_losses"),
    ("RG402", lambda m: m.pool.update(cumulative_realized_losses=Decimal("22000")),
     "pool.cumulative_realized_losses"),
    ("RG403", lambda m: m.classes["M-1"].update(original_balance=Decimal("44140001")),
     "classes[M-1].original_balance"),
    ("RG403", lambda m: m.classes["M-2"].update(cusip="04541GDT7"), "classes[M-2].cusip"),
    ("RG403", lambda m: m.classes.pop("R"), "distribution_date"),
    ("RG405", lambda m: m.classes["M-3"].update(ending_balance=Decimal("11035100")), "classes[M-3].ending_balance"),
]


@pytest.mark.parametrize("code,change,path", CASES, ids=[f"{c}-{p}" for c, _, p in CASES])
def test_rule_fires_when_a_figure_is_wrong(november, code, change, path):
    december = following(november)
    change(december)
    assert (code, path) in codes_at(check_months([november, december]))


def test_every_rule_across_months_has_a_case():
    assert {c for c, _, _ in CASES} | {"RG404", "RG406"} == set(ACROSS)


def test_a_gap_is_a_note_and_skips_the_consecutive_rules(november):
    march = following(november, "mar.txt", dt.date(2004, 3, 15))
    march.classes["A-1"]["beginning_balance"] += 5000  # three months of payments in between: not compared
    found = check_months([november, march])
    assert [(f.code, f.severity) for f in found["mar.txt"]] == [("RG404", "info")]
    assert "3 month(s) of the deal between nov.txt (2003-11-17)" in found["mar.txt"][0].message


def test_the_same_month_twice_agrees_or_warns(november):
    again = copy.deepcopy(november)
    again.name = "nov-amended.txt"
    assert [(f.code, f.severity) for f in check_months([november, again])["nov-amended.txt"]] == [("RG406", "info")]
    again.classes["A-1"]["ending_balance"] += 1
    assert [(f.code, f.severity) for f in check_months([november, again])["nov-amended.txt"]] == [
        ("RG406", "warning")]


def test_months_are_linked_by_deal_and_ordered_by_date(november):
    other = following(november)
    other.deal = ("ANOTHER TRUST", "2003 HE2")  # same series, another issuer: not compared
    other.classes["A-1"]["original_balance"] = Decimal(1)
    assert check_months([other, november]) == {}
    december = following(november)
    december.classes["A-1"]["original_balance"] = Decimal(1)
    assert ("RG403", "classes[A-1].original_balance") in codes_at(check_months([december, november]))


def test_context_months_are_compared_but_not_reported(november):
    november = copy.deepcopy(november)
    december = following(november)
    november.reported = False
    december.classes["A-1"]["original_balance"] = Decimal(1)
    november.classes["M-1"]["original_balance"] = Decimal(2)
    found = check_months([november, december])
    assert set(found) == {"dec.txt"}


def test_a_fall_in_cumulative_losses_is_a_warning(november):
    december = following(november)
    december.pool["cumulative_realized_losses"] = Decimal("22000")  # recoveries can do this
    found = check_months([november, december])["dec.txt"]
    assert ("RG402", "warning") in [(f.code, f.severity) for f in found if "fell" in f.message]


def test_reports_that_share_a_name_keep_their_own_findings(november):
    """The deals of one EDGAR submission share its file name: findings go back by ``ref``."""
    december, other = following(november), following(november)
    december.ref, other.ref = 0, 1
    other.deal = ("ANOTHER TRUST", "1999 1")
    december.classes["A-1"]["original_balance"] = Decimal(1)
    found = check_months([november, december, other])
    assert set(found) == {0}


def test_the_deal_key_ignores_case_and_punctuation():
    record = {"filing": {"registrant": "Asset Backed Securities Corp., Home Equity Loan Trust", "series": "2003-HE2"}}
    assert deal_key(record, ("filing.registrant", "filing.series")) == (
        "ASSET BACKED SECURITIES CORP HOME EQUITY LOAN TRUST", "2003 HE2")
    assert deal_key({"filing": {}}, ("filing.registrant", "filing.series")) is None
    assert deal_key({"filing": {"registrant": "Asset Backed Securities Corp."}}, ("filing.registrant",
                                                                             "filing.series")) is None


def test_june_and_november_together_give_no_error(runner):
    done = runner.invoke(app, ["check", str(JUNE), str(NOVEMBER), "--output-format", "json"])
    import json
    files = json.loads(done.stdout)["files"]
    across = [f for entry in files for f in entry["findings"] if f["code"].startswith("RG4")]
    assert [(f["code"], f["severity"], f["line"]) for f in across] == [("RG404", "info", 76)]


def test_a_changed_original_balance_is_found_through_history(runner, tmp_path):
    december = tmp_path / "absc_2003-he2_2003-12-15.txt"
    text = NOVEMBER.read_text().replace("17-Nov-03", "15-Dec-03").replace(
        "A-1        397,000,000", "A-1        397,000,001")
    december.write_text(text)
    done = runner.invoke(app, ["check", str(december), "--history", str(CORPUS)])
    assert done.exit_code == 1
    assert f"{december}:81:18: RG403 error: class A-1's original_balance is 397000001, but " in done.stdout
    assert "RG401 error: class A-1's beginning balance is 345199023, but" in done.stdout  # not carried over
    assert str(NOVEMBER) + ":" not in done.stdout  # context only: nothing reported on it
