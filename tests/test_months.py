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
from remitgrammar.pipeline import check_result, parse_path

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
    figures = nxt.figures
    for name_ in nxt.keys["classes"]:
        end = month.figures.get(f"classes[{name_}].ending_balance")
        if end is None:
            continue
        figures[f"classes[{name_}].beginning_balance"] = end
        if end > 1000 and name_ != "X":
            figures[f"classes[{name_}].ending_balance"] = end - 1000
    figures["class_totals.beginning_balance"] = month.figures["class_totals.ending_balance"]
    for group in nxt.keys["collateral"]:
        figures[f"collateral[{group}].beginning_balance"] = month.figures.get(f"collateral[{group}].ending_balance")
    figures.update({"pool.oc_increase": Decimal(0), "pool.oc_release": Decimal(0)})  # the target is met: the O/C stays
    figures["pool.realized_losses"] = Decimal(500)
    figures["pool.cumulative_realized_losses"] = month.figures["pool.cumulative_realized_losses"] + 500
    return nxt


def setting(path, value):
    """A change to one figure of a month."""
    return lambda m: m.figures.__setitem__(path, value)


def codes_at(found, name="dec.txt"):
    return [(f.code, f.path) for f in found.get(name, [])]


def test_the_following_month_is_clean(november):
    assert check_months([november, following(november)]) == {}


CASES = [
    ("RG401", setting("classes[A-1].beginning_balance", Decimal("328979673")), "classes[A-1].beginning_balance"),
    ("RG401", setting("collateral[2].beginning_balance", Decimal("219000000")), "collateral[2].beginning_balance"),
    ("RG401", setting("pool.overcollateralization_amount", Decimal("14345337")), "pool.overcollateralization_amount"),
    ("RG401", setting("pool.prior.overcollateralization_amount", Decimal("14344377")),
     "pool.prior.overcollateralization_amount"),
    ("RG401", setting("classes[M-1].interest_rate_pct", Decimal("9.99")), "classes[M-1].interest_rate_pct"),
    ("RG402", setting("pool.cumulative_realized_losses", Decimal("22990")), "pool.cumulative_realized_losses"),
    ("RG402", setting("pool.cumulative_realized_losses", Decimal("22000")), "pool.cumulative_realized_losses"),
    ("RG403", setting("classes[M-1].original_balance", Decimal("44140001")), "classes[M-1].original_balance"),
    ("RG403", setting("classes[M-2].cusip", "04541GDT7"), "classes[M-2].cusip"),
    ("RG403", lambda m: m.__setattr__("keys", {**m.keys, "classes": tuple(c for c in m.keys["classes"] if c != "R")}),
     "distribution_date"),
    ("RG405", setting("classes[M-3].ending_balance", Decimal("11035100")), "classes[M-3].ending_balance"),
]

@pytest.mark.parametrize("code,change,path", CASES, ids=[f"{c}-{p}" for c, _, p in CASES])
def test_rule_fires_when_a_figure_is_wrong(november, code, change, path):
    november = copy.deepcopy(november)
    november.figures["classes[M-1].interest_rate_next_pct"] = november.figures["classes[M-1].interest_rate_pct"]
    december = following(november)  # the rate November gives for December is December's rate
    change(december)
    assert (code, path) in codes_at(check_months([november, december]))


def test_every_rule_across_months_has_a_case():
    assert {c for c, _, _ in CASES} | {"RG404", "RG406", "RG407", "RG408"} == set(ACROSS)  # RG407, RG408: below


def test_a_gap_is_a_note_and_skips_the_consecutive_rules(november):
    march = following(november, "mar.txt", dt.date(2004, 3, 15))
    march.figures["classes[A-1].beginning_balance"] += 5000  # three months of payments in between: not compared
    found = check_months([november, march])
    assert [(f.code, f.severity) for f in found["mar.txt"]] == [("RG404", "info")]
    assert "3 month(s) of the deal between nov.txt (2003-11-17)" in found["mar.txt"][0].message


def test_the_same_month_twice_agrees_or_warns(november):
    again = copy.deepcopy(november)
    again.name = "nov-amended.txt"
    assert [(f.code, f.severity) for f in check_months([november, again])["nov-amended.txt"]] == [("RG406", "info")]
    again.figures["classes[A-1].ending_balance"] += 1
    assert [(f.code, f.severity) for f in check_months([november, again])["nov-amended.txt"]] == [
        ("RG406", "warning")]


def test_months_are_linked_by_deal_and_ordered_by_date(november):
    other = following(november)
    other.deal = ("ANOTHER TRUST", "2003 HE2")  # same series, another issuer: not compared
    other.figures["classes[A-1].original_balance"] = Decimal(1)
    assert check_months([other, november]) == {}
    december = following(november)
    december.figures["classes[A-1].original_balance"] = Decimal(1)
    assert ("RG403", "classes[A-1].original_balance") in codes_at(check_months([december, november]))


def test_context_months_are_compared_but_not_reported(november):
    november = copy.deepcopy(november)
    december = following(november)
    november.reported = False
    december.figures["classes[A-1].original_balance"] = Decimal(1)
    november.figures["classes[M-1].original_balance"] = Decimal(2)
    found = check_months([november, december])
    assert set(found) == {"dec.txt"}


def test_a_fall_in_cumulative_losses_is_a_warning(november):
    december = following(november)
    december.figures["pool.cumulative_realized_losses"] = Decimal("22000")  # recoveries can do this
    found = check_months([november, december])["dec.txt"]
    assert ("RG402", "warning") in [(f.code, f.severity) for f in found if "fell" in f.message]


def test_reports_that_share_a_name_keep_their_own_findings(november):
    """The deals of one EDGAR submission share its file name: findings go back by ``ref``."""
    december, other = following(november), following(november)
    december.ref, other.ref = 0, 1
    other.deal = ("ANOTHER TRUST", "1999 1")
    december.figures["classes[A-1].original_balance"] = Decimal(1)
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
    history = tmp_path / "history"  # the corpus holds a December of its own
    history.mkdir()
    (history / NOVEMBER.name).write_bytes(NOVEMBER.read_bytes())
    (history / JUNE.name).write_bytes(JUNE.read_bytes())
    done = runner.invoke(app, ["check", str(december), "--history", str(history)])
    assert done.exit_code == 1
    assert f"{december}:81:18: RG403 error: classes[A-1].original_balance is 397000001, but " in done.stdout
    assert (f"{december}:81:33: RG401 error: a class's beginning balance is last month's ending balance: "
            "345199023 printed, but absc_2003-he2_2003-11-17.txt (2003-11-17) gives 328979574") in done.stdout
    assert str(NOVEMBER) + ":" not in done.stdout  # context only: nothing reported on it


# Two consecutive months of one deal in every family's samples (issue 21): the later month's first
# class's beginning balance is where a broken link shows.
CONSECUTIVE = {
    "distribution-summary": ("cobalthill_2002-4_2002-11-25.txt", "cobalthill_2002-4_2002-12-26.txt"),
    "dollars-statement": ("tolland_1998-c_1998-11-25.txt", "tolland_1998-c_1998-12-28.txt"),
    "payment-report": ("carrowmere_2002-nc4_2003-10-27.txt", "carrowmere_2002-nc4_2003-11-25.txt"),
    "usbank-absc-2002": ("absc_2002-he1_2002-11-15.txt", "absc_2002-he1_2002-12-16.written.txt"),
    "usbank-absc-2003": ("absc_2003-he2_2003-11-17.txt", "absc_2003-he2_2003-12-15.written.txt"),
}


def test_every_family_has_two_consecutive_months():
    families = {p.name for p in (ROOT / "tests" / "corpus").iterdir() if p.is_dir()}
    assert families == set(CONSECUTIVE)
    for family, (earlier, later) in CONSECUTIVE.items():
        months = [month_of(n, parse_path(ROOT / "tests" / "corpus" / family / n)) for n in (earlier, later)]
        assert months[0].deal == months[1].deal and months[1].index - months[0].index == 1, family


@pytest.mark.parametrize("family", sorted(CONSECUTIVE))
def test_consecutive_months_of_each_family_chain(runner, family):
    import json
    paths = [str(ROOT / "tests" / "corpus" / family / name) for name in CONSECUTIVE[family]]
    done = runner.invoke(app, ["check", *paths, "--output-format", "json", "--select", "RG4"])
    assert done.exit_code == 0, done.stdout
    assert [f for entry in json.loads(done.stdout)["files"] for f in entry["findings"]] == []


@pytest.mark.parametrize("family", sorted(CONSECUTIVE))
def test_a_broken_link_between_the_months_is_found(runner, tmp_path, family):
    earlier, later = (ROOT / "tests" / "corpus" / family / name for name in CONSECUTIVE[family])
    result = parse_path(later)
    first = next(e["class"] for e in result.record["classes"] if e.get("beginning_balance"))
    at = result.provenance[f"classes[{first}].beginning_balance"]
    lines = later.read_text().split("\n")
    line, end = lines[at["line"] - 1], at["column"] - 1 + len(at["text"])
    digit = "1" if line[end - 1] != "1" else "2"
    lines[at["line"] - 1] = line[:end - 1] + digit + line[end:]
    changed = tmp_path / later.name
    changed.write_text("\n".join(lines))
    done = runner.invoke(app, ["check", str(changed), "--history", str(earlier), "--select", "RG401"])
    assert f"{changed}:{at['line']}:{at['column']}: RG401 error: a class's beginning balance is last month's " \
           "ending balance" in done.stdout


WRITTEN_DECEMBER = CORPUS / "absc_2003-he2_2003-12-15.written.txt"


@pytest.mark.parametrize("misprinted", ["december", "november"])
def test_a_misprint_is_named_by_the_carry_and_its_own_report(runner, tmp_path, misprinted):
    """A misprinted class balance breaks its report's arithmetic and what the other month carries: the
    two together name it (RG407), in whichever month it is, with the value the carry needs."""
    november, december = tmp_path / NOVEMBER.name, tmp_path / "dec.txt"
    november.write_text(NOVEMBER.read_text())
    december.write_text(WRITTEN_DECEMBER.read_text())
    if misprinted == "december":  # December's beginning balance of A-1, line 81
        december.write_text(WRITTEN_DECEMBER.read_text().replace("397,000,000    328,979,574",
                                                                 "397,000,000    328,979,514"))
        where, path = f"{december}:81:33", "classes[A-1].beginning_balance"
    else:  # November's ending balance of A-1, line 133
        november.write_text(NOVEMBER.read_text().replace("       0         328,979,574",
                                                         "       0         328,979,514"))
        where, path = f"{november}:133:18", "classes[A-1].ending_balance"
    done = runner.invoke(app, ["check", str(november), str(december), "--select", "RG407"])
    assert done.exit_code == 1
    assert f"{where}: RG407 error: likely misprint: {path} is printed 328979514; 328979574 would make" in done.stdout
    assert "'a class's beginning balance is last month's ending balance' with" in done.stdout
    assert done.stdout.count("RG407") == 1


def test_a_clean_pair_keeps_no_identities_and_names_nothing():
    results = [parse_path(p) for p in (NOVEMBER, WRITTEN_DECEMBER)]
    for result in results:
        check_result(result)  # its rules' identities, for the month to keep what failed
    months = [month_of(p.name, r) for p, r in zip((NOVEMBER, WRITTEN_DECEMBER), results)]
    assert months[1].checked == [] and months[1].suspects == {}
    assert months[0].suspects  # the seed's own failures: its P factor, its fee
    assert "RG407" not in {f.code for found in check_months(months).values() for f in found}


COBALT_NOVEMBER = ROOT / "tests" / "corpus" / "distribution-summary" / "cobalthill_2002-4_2002-11-25.txt"
COBALT_DECEMBER = ROOT / "tests" / "corpus" / "distribution-summary" / "cobalthill_2002-4_2002-12-26.txt"


def test_a_steady_rate_stays_for_the_next_month(runner, tmp_path):
    """1-A-2 paid 6% in November, November gave 6% for December, December pays 6%: a December that gives
    another rate for January is a warning (a step-up coupon can do it); a floater is never held to it."""
    lines = COBALT_DECEMBER.read_text().split("\n")
    assert lines[119].startswith("1-A-2         6.00000%      6.00000%")
    lines[119] = lines[119].replace("6.00000%      6.00000%", "6.00000%      6.03000%")
    lines[121] = lines[121].replace("1.78000%      1.78125%", "1.78000%      1.99000%")  # 2-A-1 floats
    changed = tmp_path / COBALT_DECEMBER.name
    changed.write_text("\n".join(lines))
    done = runner.invoke(app, ["check", str(changed), "--history", str(COBALT_NOVEMBER), "--select", "RG408"])
    assert f"{changed}:120:29: RG408 warning: class 1-A-2's rate was 6.00000 last month" in done.stdout
    assert done.stdout.count("RG408") == 1
    alone = runner.invoke(app, ["check", str(changed), "--select", "RG408"])
    assert "RG408" not in alone.stdout
