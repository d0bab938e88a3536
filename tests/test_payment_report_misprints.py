"""`check` catches one-digit misprints of the "Certificate Payment Report" family (format
payment-report) through the identities its spec declares (specs/formats/payment-report.yaml,
RG330), the loss allocation lines its aliases map, and the carries across months it declares;
the unchanged samples meet every one of them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from remitgrammar.api import check_file
from misprints import check_findings, declared as _declared, misprinted as _misprinted

CORPUS = Path(__file__).resolve().parent / "corpus" / "payment-report"
OCT_2003 = CORPUS / "carrowmere_2002-nc4_2003-10-27.txt"
NOV_2003 = CORPUS / "carrowmere_2002-nc4_2003-11-25.txt"
PELLBROOK = CORPUS / "pellbrook_2001-2_2001-06-25.txt"
QUILLFIELD = CORPUS / "quillfield_2005-3_2005-08-25.txt"
SAMPLES = sorted(CORPUS.glob("*.txt"))


_findings = check_findings


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_unchanged_sample_meets_the_identities_its_format_declares(runner, sample):
    assert _declared(_findings(runner, sample)) == set()


def test_consecutive_months_meet_every_carry_together(runner):
    findings = _findings(runner, OCT_2003, NOV_2003)
    assert [f for f in findings if f["code"].startswith("RG4") and f["severity"] != "info"] == []


@pytest.mark.parametrize("sample, line, column, old, new, path, reported", [
    # the 60+ day percentage is the 60+ day balance over the collateral balance: a loan group's, the deal's
    (PELLBROOK, 208, 86, "1.39%", "1.09%", "collateral[arm].sixty_plus_delinquency_pct", 208),
    (OCT_2003, 412, 86, "2.18%", "2.13%", "pool.sixty_plus_delinquency_pct", 412),
    # no base balance printed: the SMM of the beginning balance less scheduled principal is the
    # prepaid principal, and the CPR is the SMM compounded
    (PELLBROOK, 277, 98, "1.0907%", "1.5907%", "collateral[total].total_prepaid_principal", 276),
    (PELLBROOK, 278, 80, "16.31%", "16.39%", "collateral[arm].cpr_pct", 278),
    (OCT_2003, 361, 50, "151,065,277.03", "151,065,217.03", "collateral[1].prepayment_base_balance", 361),
    # loss severity; the trigger page's cumulative losses and their percentage
    (OCT_2003, 386, 58, "36.48%", "36.18%", "collateral[1].loss_severity_pct", 386),
    (OCT_2003, 415, 81, "213,363.34", "293,363.34", "pool.cumulative_realized_losses", 415),
    (OCT_2003, 416, 84, "0.0251%", "0.0257%", "pool.cumulative_loss_pct", 416),
    # a loan group's O/C roll; the insurer's premium, a twelfth of its rate on the insured balance
    (PELLBROOK, 226, 55, "4,812,540.77", "4,812,740.77", "collateral[fixed].overcollateralization_amount", 230),
    (PELLBROOK, 259, 61, "0.160%", "0.161%", "collateral[fixed].insurance_premium", 188),
    # the classes the uses of funds and the loss allocation name
    (OCT_2003, 179, 106, "421,245.52", "421,245.56", "pool.class_amounts[P].prepayment_penalties", 179),
    (OCT_2003, 213, 67, "2,869,569.66", "2,169,569.66", "pool.class_amounts[X].remaining_excess_cashflow", 213),
    (OCT_2003, 395, 83, "79,030.79", "79,080.79", "pool.class_amounts[X].realized_loss", 395),
    (OCT_2003, 396, 88, "0.00", "3.00", "pool.class_amounts[X].realized_loss", 395),
    (QUILLFIELD, 294, 81, "0.00", "3.00", "pool.class_amounts[CE].realized_loss", 293),
    # the net mortgage rate is the coupon less the fee rates: the last month's ending coupon
    (NOV_2003, 265, 56, "7.90802%", "7.90602%", "collateral[1].net_wac_pct", 266),
])
def test_a_misprint_breaks_an_identity_the_format_declares(runner, tmp_path, sample, line, column, old, new,
                                                           path, reported):
    assert (path, reported) not in _declared(_findings(runner, sample))
    findings = _findings(runner, _misprinted(tmp_path, sample, line, column, old, new))
    assert (path, reported) in _declared(findings)


def test_the_loss_allocation_lines_are_fields_not_extra():
    report = check_file(str(OCT_2003))
    pool = report.record["pool"]
    assert (pool["class_amounts"]["X"]["realized_loss"], pool["certificate_realized_loss"]) == \
        (Decimal("79030.79"), Decimal("0.00"))
    assert not [f for f in report.findings if f.code == "RG201" and f.line in (395, 396)]
