"""One interval arithmetic for every rule over one report, and the misprint it points at (RG399).

Each misprint below is one digit changed in a sample's text; the report goes through the command
line (or, for a declared identity the samples do not carry, the engine over the parsed record) and
RG399 must name the changed figure, with the value that fits and how many failed identities it fixes.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from remitgrammar.check.engine import run_checks
from remitgrammar.check.intervals import evaluate
from remitgrammar.check.misprints import likely_misprint
from remitgrammar.check.registry import Context
from remitgrammar.cli.app import app
from remitgrammar.pipeline import parse_path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SEED_2003 = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
TIERED = CORPUS / "dollars-statement" / "lakeshore_1996-2_1996-12-26.txt"
ACCRUED = CORPUS / "distribution-summary" / "westbrook_2003-7_2004-10-25.txt"
FLOATING = CORPUS / "payment-report" / "quillfield_2005-3_2005-08-25.txt"


def _misprinted(tmp_path: Path, sample: Path, line: int, printed: str, wrong: str) -> Path:
    """The sample with ``printed`` on its ``line`` (1-based) replaced by ``wrong`` of the same width."""
    assert len(printed) == len(wrong)
    lines = sample.read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].count(printed) == 1, lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(printed, wrong)
    target = tmp_path / sample.name
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def _check(runner, path: Path) -> list:
    result = runner.invoke(app, ["check", "--output-format", "json", str(path)])
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["files"][0]["findings"]


def _named(findings: list) -> list:
    return [(f["path"], f["line"]) for f in findings if f["code"] == "RG399"]


@pytest.mark.parametrize("sample,line,printed,wrong,path,fits,fixed", [
    # a per-$1,000 factor: its RG304 ratio and the factors' own principal + interest = total (RG302)
    (FLOATING, 46, "3.238487", "3.238587", "classes[A-1].per_1000.interest", "3.238487", 2),
    # a delinquency percentage: its RG315 ratio and its group's buckets summing to the delinquent total (RG312)
    (FLOATING, 212, "1.65%", "1.75%", "delinquency[1][30-59].balance_pct", "1.65", 2),
    # a fee: its RG316 ratio to the balance and the groups summing to the TOTAL column (RG307)
    (ACCRUED, 166, "993.15", "998.15", "collateral[2].trustee_fee", "993.15", 2),
    # a Total row's total distribution: the classes' column sum (RG303) and its own principal + interest (RG302)
    (TIERED, 26, "8,115,125.74", "8,115,165.74", "tier_totals[lower].total_distribution", "8115125.74", 2),
    # a class's principal: its balance (RG301), its distribution (RG302), the Total row (RG303), its factor (RG304)
    (SEED_2003, 81, "16,219,450", "16,219,550", "classes[A-1].principal_distribution", "16219450", 4),
], ids=["factor", "delinquency-pct", "fee", "total-row", "principal"])
def test_a_misprint_that_breaks_two_identities_is_named(runner, tmp_path, sample, line, printed, wrong, path,
                                                        fits, fixed):
    findings = _check(runner, _misprinted(tmp_path, sample, line, printed, wrong))
    (named,) = [f for f in findings if f["code"] == "RG399"]
    assert (named["path"], named["line"]) == (path, line)
    assert Decimal(named["expected"]) == Decimal(fits)
    assert f"would make {fixed} failed identities hold" in named["message"]
    assert _named(_check(runner, sample)) == [] or sample.name.startswith("absc_2002")


def test_a_misprinted_cpr_is_named_when_two_declared_identities_use_it():
    """CPR from the prepaid principal over its base, and CPR compounded from the printed SMM (both declared
    in payment-report.yaml): a misprinted CPR fails both, and the SMM that would fit the second would
    break the SMM's own identity, so the CPR is named."""
    result = parse_path(FLOATING)
    assert [f for f in run_checks(result.record, result.provenance, result.spec, []) if f.severity != "info"] == []
    record = copy.deepcopy(result.record)
    record["collateral"]["1"]["cpr_pct"] = Decimal("14.81")
    found = run_checks(record, result.provenance, result.spec, [])
    assert sorted(f.path for f in found if f.code == "RG330") == ["collateral[1].cpr_pct"] * 2
    (named,) = [f for f in found if f.code == "RG399"]
    assert (named.path, named.actual) == ("collateral[1].cpr_pct", "14.81")
    assert Decimal("14.87") <= Decimal(named.expected) <= Decimal("14.97")


def test_a_tie_at_the_top_names_nothing():
    """a and b both fix both failed identities: either could be the misprint, so neither is named."""
    a, b, t1, t2 = (("pool", n) for n in ("a", "b", "t1", "t2"))
    five = Decimal("5.00")
    one = evaluate("RG307", t1, [(1, five, a), (1, five, b)], Decimal("12.00"), "t1 = a + b")
    two = evaluate("RG307", t2, [(1, five, a), (1, five, b)], Decimal("12.00"), "t2 = a + b")
    context = Context({}, {}, None, [])
    context.identities = [one, two]
    likely_misprint(context)
    assert one.failed and two.failed and context.findings == []
    # b printed in the second identity without its path (a figure the rule derived): a alone fixes both
    context.identities = [one, evaluate("RG307", t2, [(1, five, a), (1, five)], Decimal("12.00"), "t2 = a + b")]
    likely_misprint(context)
    assert [(f.path, f.expected, f.actual) for f in context.findings] == [("pool.a", "7.00", "5.00")]


def test_the_misprint_named_is_the_same_under_any_hash_seed(tmp_path):
    report = _misprinted(tmp_path, SEED_2003, 81, "16,219,450", "16,219,550")
    outputs = []
    for seed in ("1", "4242"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "remitgrammar", "check", "--output-format", "json", str(report)],
                              capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120)
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert "classes[A-1].principal_distribution" in [f["path"] for f in json.loads(outputs[0])["files"][0]["findings"]
                                                     if f["code"] == "RG399"]


def test_the_misprint_named_does_not_depend_on_the_order_of_the_identities():
    a, c, d, total = (("classes", n) for n in ("a", "c", "d", "total"))
    identities = [evaluate("RG301", total, [(1, Decimal(5), a), (1, Decimal(7), c)], Decimal(15), "a + c = total"),
                  evaluate("RG302", d, [(1, Decimal(5), a)], Decimal(8), "a = d"),
                  evaluate("RG304", ("classes", "e"), [(1, Decimal(5), a)], Decimal("80.0"), "a x 10 / 1 = e",
                           scale=10)]
    seen = []
    for order in (identities, identities[::-1], identities[1:] + identities[:1]):
        context = Context({}, {}, None, [])
        context.identities = list(order)
        likely_misprint(context)
        seen.append([(f.path, f.expected, f.message) for f in context.findings])
    assert seen[0] == seen[1] == seen[2] and seen[0][0][:2] == ("classes.a", "8")
    assert "would make 3 failed identities hold" in seen[0][0][2]


def test_a_ratio_that_holds_only_through_the_rounding_of_every_figure_holds():
    """937 over 1,000 is 93.70%; printed 93.78 it holds only because 937 may be 937.5 and 1,000 may be 999.5."""
    ending, cutoff, factor = ("collateral", "1", "ending_balance"), ("collateral", "1", "cutoff"), ("collateral", "1", "f")
    def ratio(printed):
        return evaluate("RG326", factor, [(1, Decimal(937), ending)], Decimal(printed), "factor",
                        over=[(Decimal(1000), cutoff)], scale=100)
    assert not ratio("93.78").failed
    assert ratio("93.81").failed
    assert not ratio("93.70").failed
    exact = evaluate("RG326", factor, [(1, Decimal(937), ending)], Decimal("93.78"), "factor",
                     over=[(Decimal(1000), cutoff, Decimal(0))], scale=100)  # an exact divisor: no longer
    assert exact.failed
    assert ratio("93.81").fit(ending) == Decimal("938.1")


def test_a_fee_is_widened_only_by_the_named_argument():
    """A fee truncated and computed loan by loan: the room RG316 names (widen=) is what lets it hold."""
    args = ("RG316", ("pool", "servicing_fee"), [(1, Decimal("1200000.00"), ("pool", "beginning_balance"))],
            Decimal("499.98"), "fee")
    options = dict(times=[(Decimal("0.5"), None, Decimal(0))], over=[1200])
    assert evaluate(*args, **options).failed
    assert not evaluate(*args, **options, widen=Decimal("0.02")).failed


def _floating(change) -> list:
    result = parse_path(FLOATING)
    record = copy.deepcopy(result.record)
    change(record)
    return [f for f in run_checks(record, result.provenance, result.spec, []) if f.code == "RG318"]


def _class(record, name):
    return next(c for c in record["classes"] if c["class"] == name)


def test_next_month_s_rate_is_next_month_s_index_plus_the_class_margin():
    """M-1's margin is printed only in its class column (0.46); next month's index is 3.71."""
    assert _floating(lambda r: _class(r, "M-1").update(interest_rate_next_pct=Decimal("4.17000"))) == []
    (found,) = _floating(lambda r: _class(r, "M-1").update(interest_rate_next_pct=Decimal("4.27000")))
    assert (found.path, found.expected) == ("classes[M-1].interest_rate_next_pct", "4.17000")


def test_a_floating_rate_is_at_most_its_cap():
    # index + margin but above its own cap
    (found,) = _floating(lambda r: _class(r, "M-1").update(cap_rate_pct=Decimal("4.05000")))
    assert found.path == "classes[M-1].interest_rate_pct" and "at most its cap" in found.message
    # at its cap, below index + margin: capped
    assert _floating(lambda r: _class(r, "M-1").update(cap_rate_pct=Decimal("4.00000"),
                                                       interest_rate_pct=Decimal("4.00000"))) == []
    # at a cap that index + margin does not reach: not capped, a misprint
    (found,) = _floating(lambda r: _class(r, "M-1").update(cap_rate_pct=Decimal("4.20000"),
                                                           interest_rate_pct=Decimal("4.20000")))
    assert found.path == "classes[M-1].interest_rate_pct" and "reaches it" in found.message


def test_a_total_row_s_distribution_is_its_principal_plus_its_interest():
    result = parse_path(TIERED)
    record = copy.deepcopy(result.record)
    record["tier_totals"]["upper"]["interest_distribution"] += 40  # the classes' column sum fails too
    found = [f.path for f in run_checks(record, result.provenance, result.spec, []) if f.code == "RG302"]
    assert found == ["tier_totals[upper].total_distribution"]
