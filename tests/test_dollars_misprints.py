"""`check` catches one-digit misprints of the "DISTRIBUTIONS IN DOLLARS" statements through the identities
their format declares (specs/formats/dollars-statement.yaml, RG330), and the unchanged samples, alone and
as two consecutive months of one deal, meet every declared identity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from misprints import check_findings, declared as _declared, misprinted as _misprinted
from remitgrammar.cli import app

CORPUS = Path(__file__).resolve().parent / "corpus" / "dollars-statement"
LAKESHORE = CORPUS / "lakeshore_1996-2_1996-12-26.txt"
ASHGROVE = CORPUS / "ashgrove_1999-2_1999-06-15.txt"
TOLLAND_NOV = CORPUS / "tolland_1998-c_1998-11-25.txt"
TOLLAND_DEC = CORPUS / "tolland_1998-c_1998-12-28.txt"
SAMPLES = sorted(CORPUS.glob("*.txt"))


def _findings(runner, path: Path, *history: Path) -> list:
    return check_findings(runner, path, *(arg for earlier in history for arg in ("--history", earlier)))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_unchanged_sample_meets_the_identities_its_format_declares(runner, sample):
    assert _declared(_findings(runner, sample)) == set()


def test_the_two_tolland_months_together_give_no_finding_across_months(runner):
    findings = _findings(runner, TOLLAND_DEC, TOLLAND_NOV)
    assert [f for f in findings if f["code"].startswith("RG4") and f["severity"] != "info"] == []
    assert _declared(findings) == set()


@pytest.mark.parametrize("sample, line, column, old, new, path", [
    # The bench's miss: this month's accretion no longer the prior accretion plus the deferred interest.
    (TOLLAND_DEC, 233, 55, "4,214,722.07", "4,214,762.07", "pool.class_amounts[C].cumulative_accretion"),
    # The prior accretion misprinted: the same identity fails, at the figure it determines.
    (LAKESHORE, 267, 53, "3,379,935.30", "3,379,935.90", "pool.class_amounts[X].cumulative_accretion"),
])
def test_the_o_c_class_accretes_its_deferred_interest(runner, tmp_path, sample, line, column, old, new, path):
    findings = _findings(runner, _misprinted(tmp_path, sample, line, column, old, new))
    assert (path, line) in _declared(findings)


@pytest.mark.parametrize("sample, line, column, old, new, path", [
    (TOLLAND_DEC, 234, 55, "7,383,713.45", "7,383,793.45", "pool.class_amounts[C].principal_balance"),
    (TOLLAND_DEC, 234, 39, "6,627,409.45", "6,627,409.75", "pool.prior.class_amounts[C].principal_balance"),
    (LAKESHORE, 268, 71, "6,359,905.74", "6,359,805.74", "pool.class_amounts[X].principal_balance"),
])
def test_the_carry_forward_page_restates_the_o_c_class_balance(runner, tmp_path, sample, line, column, old, new,
                                                                 path):
    findings = _findings(runner, _misprinted(tmp_path, sample, line, column, old, new))
    assert (path, line) in _declared(findings)


def test_the_insurer_page_premium_is_the_premium_among_the_uses_of_funds(runner, tmp_path):
    findings = _findings(runner, _misprinted(tmp_path, ASHGROVE, 229, 62, "31,533.88", "51,533.88"))
    assert ("pool.insurance_premium", 229) in _declared(findings)


@pytest.mark.parametrize("sample, line, column, old, new, path", [
    (TOLLAND_NOV, 144, 49, "111,752.31", "111,752.41", "pool.servicing_fee"),
    (TOLLAND_DEC, 145, 51, "2,745.43", "2,745.48", "pool.trustee_fee"),
])
def test_the_fees_paid_are_the_fees_the_collections_deduct(runner, tmp_path, sample, line, column, old, new, path):
    findings = _findings(runner, _misprinted(tmp_path, sample, line, column, old, new))
    assert (path, line) in _declared(findings)


def test_the_sources_and_uses_totals_are_figures_of_each_loan_group(runner, tmp_path):
    record = json.loads(runner.invoke(app, ["parse", str(ASHGROVE)]).stdout)
    assert [record["collateral"][g]["total_uses"] for g in ("1", "2", "3", "total")] == \
        [record["collateral"][g]["total_sources"] for g in ("1", "2", "3", "total")]
    assert not any(entry.get("label") in ("TOTAL SOURCES", "TOTAL USES") for entry in record.get("extra", []))
    findings = _findings(runner, _misprinted(tmp_path, ASHGROVE, 177, 76, "933,623.44", "933,628.44"))
    assert ("collateral[3].total_uses", 177) in _declared(findings)


@pytest.mark.parametrize("sample, line, column, old, new, path", [
    # Tolland counts no bankruptcies in its 60+ day balance, Ashgrove does: either sum is the family's.
    (TOLLAND_DEC, 221, 54, "1.96%", "1.86%", "collateral[1].sixty_plus_delinquency_pct"),
])
def test_a_misprinted_sixty_plus_percentage_fits_neither_count(runner, tmp_path, sample, line, column, old, new,
                                                                path):
    findings = _findings(runner, _misprinted(tmp_path, sample, line, column, old, new))
    assert (path, line) in _declared(findings)
