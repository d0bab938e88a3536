"""`check` catches one-digit misprints of the U.S. Bank / ABSC reports through the identities their
formats declare (specs/formats/usbank-absc-2002.yaml, usbank-absc-2003.yaml; RG330), and the
unchanged samples meet every declared identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from misprints import check_findings, declared as _declared, misprinted as _misprinted

CORPUS = Path(__file__).resolve().parent / "corpus"
NOV_2002 = CORPUS / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"
DEC_2002 = CORPUS / "usbank-absc-2002" / "absc_2002-he1_2002-12-16.written.txt"
NOV_2003 = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
HE4_2003 = CORPUS / "usbank-absc-2003" / "absc_2003-he4_2003-12-15.txt"
SAMPLES = sorted(CORPUS.glob("usbank-absc-200*/*.txt"))


_findings = check_findings


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_unchanged_sample_meets_the_identities_its_format_declares(runner, sample):
    assert _declared(_findings(runner, sample)) == set()


@pytest.mark.parametrize("line, column, old, new", [
    (197, 16, "0.00", "3.00"),   # M-2's Total
    (197, 32, "0.00", "0.40"),   # M-2's Losses: the Total no longer adds up
])
def test_2002_a_class_shortfall_total_is_the_sum_of_its_causes(runner, tmp_path, line, column, old, new):
    findings = _findings(runner, _misprinted(tmp_path, NOV_2002, line, column, old, new))
    assert ("classes[M-2].shortfall.total_unpaid", 197) in _declared(findings)


def test_2002_the_period_losses_are_the_principal_roll_s_net_realized_losses(runner, tmp_path):
    findings = _findings(runner, _misprinted(tmp_path, DEC_2002, 204, 60, "71,436.58", "71,466.58"))
    assert ("pool.realized_losses", 204) in _declared(findings)


def test_2003_the_carry_forward_factor_is_the_unpaid_interest_per_1000(runner, tmp_path):
    # A-1's Interest Carry-forward Amount 0.08 per $1,000 of 397,000,000 would be 31,760 unpaid
    findings = _findings(runner, _misprinted(tmp_path, NOV_2003, 188, 20, "0.00000", "0.08000"))
    assert ("classes[A-1].per_1000.interest_carryforward", 188) in _declared(findings)


def test_2003_the_period_losses_are_the_principal_roll_s_net_realized_losses(runner, tmp_path):
    findings = _findings(runner, _misprinted(tmp_path, NOV_2003, 313, 57, "18,051", "18,081"))
    assert ("pool.realized_losses", 313) in _declared(findings)


def test_2003_the_available_distribution_amount_is_what_was_remitted(runner, tmp_path):
    findings = _findings(runner, _misprinted(tmp_path, HE4_2003, 368, 51, "23,565,447.75", "23,565,647.75"))
    assert ("pool.available_distribution_amount", 368) in _declared(findings)
