"""`check` catches one-digit misprints of the "Certificateholder Distribution Summary" reports (family 1)
through the identities specs/formats/distribution-summary.yaml declares (RG330), and the unchanged samples,
alone and as two consecutive months of one deal, meet every one of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from misprints import check_findings, declared as _declared, misprinted as _misprinted

FAMILY = Path(__file__).resolve().parent / "corpus" / "distribution-summary"
MERIDIANVALE = FAMILY / "meridianvale_2004-1_2004-06-25.txt"
WESTBROOK = FAMILY / "westbrook_2003-7_2004-10-25.txt"
NOVEMBER = FAMILY / "cobalthill_2002-4_2002-11-25.txt"
DECEMBER = FAMILY / "cobalthill_2002-4_2002-12-26.txt"
SAMPLES = sorted(FAMILY.glob("*.txt"))


_findings = check_findings


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_unchanged_sample_meets_the_identities_its_format_declares(runner, sample):
    assert _declared(_findings(runner, sample)) == set()


@pytest.mark.parametrize("sample, line, column, old, new, path, at", [
    # End Cert % against the ending balance over the original face
    (MERIDIANVALE, 107, 124, "100.00000%", "100.00003%", "classes[A-2B].ending_certificate_pct", 107),
    (MERIDIANVALE, 106, 125, "82.09289%", "82.09229%", "classes[A-2A].ending_certificate_pct", 106),
    # the ending factor per $1,000 against the percentage printed beside it (below the balance's cent)
    (WESTBROOK, 137, 92, "984.18013426", "984.18013420", "classes[M-1].ending_certificate_pct", 67),
    # CE's scheduled principal and P's extra principal against their principal distribution of 0.00
    (MERIDIANVALE, 115, 32, "0.00", "5.00", "classes[CE].principal_distribution", 34),
    (MERIDIANVALE, 116, 61, "0.00", "0.60", "classes[P].principal_distribution", 35),
    # P's Total Prin Reduction against its principal, accretion and loss
    (MERIDIANVALE, 116, 102, "0.00", "1.00", "classes[P].total_principal_reduction", 116),
    # the O/C roll: a release the amount does not show
    (MERIDIANVALE, 294, 73, "0.00", "3.00", "pool.overcollateralization_amount", 295),
    # the Available Distribution Amount block's prepayment charges, and its total
    (MERIDIANVALE, 307, 67, "187,455.20", "197,455.20", "pool.prepayment_premiums", 307),
    (MERIDIANVALE, 309, 64, "21,883,950.91", "21,883,950.81", "pool.available_distribution_amount", 309),
    # the trigger's cumulative loss percentage
    (MERIDIANVALE, 316, 70, "0.0060%", "0.0061%", "pool.cumulative_loss_pct", 316),
    # the realized loss detail's cumulative losses against the collateral statement's TOTAL column
    (DECEMBER, 228, 53, "78,845.43", "78,848.43", "pool.cumulative_realized_losses", 228),
])
def test_a_misprint_breaks_the_identity_the_format_declares(runner, tmp_path, sample, line, column, old, new, path, at):
    findings = _findings(runner, _misprinted(tmp_path, sample, line, column, old, new))
    assert (path, at) in _declared(findings)


def test_the_two_cobalt_hill_months_meet_every_carry(runner, tmp_path):
    history = tmp_path / "history"
    history.mkdir()
    (history / NOVEMBER.name).write_bytes(NOVEMBER.read_bytes())
    findings = _findings(runner, DECEMBER, "--history", str(history))
    assert [f for f in findings if f["code"].startswith("RG4") and f["severity"] != "info"] == []


def test_a_senior_percentage_misprint_is_found_by_its_complement(runner, tmp_path):
    # 95.15015817 + 4.84980183 is not 100: the subordinate percentage is 100 less the senior one
    changed = _misprinted(tmp_path, DECEMBER, 206, 70, "95.15019817%", "95.15015817%")
    found = {(f["code"], f.get("path"), f["line"]) for f in _findings(runner, changed)}
    assert ("RG330", "collateral[3].subordinate_pct", 208) in found
    assert ("RG399", "collateral[3].senior_pct", 206) not in found  # one identity: either could be wrong
