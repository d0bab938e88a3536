"""Credit enhancement (RG328) and trigger tests (RG329) on the golden samples, one printed figure changed.

Each case edits one line of a sample's text, checks the edited file through the public API (or the
CLI), and asserts the rule names the changed figure; the unchanged samples give only the findings
that are properties of the filings themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from remitgrammar import api
from remitgrammar.cli.app import app

CORPUS = Path(__file__).resolve().parent / "corpus"
MERIDIAN = CORPUS / "distribution-summary" / "meridianvale_2004-1_2004-06-25.txt"
ASHGROVE = CORPUS / "dollars-statement" / "ashgrove_1999-2_1999-06-15.txt"
TOLLAND = CORPUS / "dollars-statement" / "tolland_1998-c_1998-11-25.txt"
CARROWMERE = CORPUS / "payment-report" / "carrowmere_2002-nc4_2003-11-25.txt"
PELLBROOK = CORPUS / "payment-report" / "pellbrook_2001-2_2001-06-25.txt"
QUILLFIELD = CORPUS / "payment-report" / "quillfield_2005-3_2005-08-25.txt"
HE2_NOV = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"


def edited(tmp_path: Path, sample: Path, line: int, old: str, new: str) -> Path:
    """A copy of ``sample`` with ``old`` replaced by ``new`` on its line ``line`` (1-based)."""
    lines = sample.read_text(encoding="utf-8").split("\n")  # as grep numbers them: form feeds stay in a line
    assert lines[line - 1].count(old) == 1, lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    copy = tmp_path / sample.name
    copy.write_text("\n".join(lines), encoding="utf-8")
    return copy


def inserted(tmp_path: Path, sample: Path, after: int, text: str) -> Path:
    """A copy of ``sample`` with the line ``text`` printed after its line ``after``."""
    lines = sample.read_text(encoding="utf-8").split("\n")
    lines.insert(after, text)
    copy = tmp_path / sample.name
    copy.write_text("\n".join(lines), encoding="utf-8")
    return copy


def paths(path: Path, code: str) -> set:
    return {f.path for f in api.check_file(path).findings if f.code == code}


# (sample, line, printed, changed to, code, the path the finding must name)
CASES = [
    # the deal's deficiency: after the month's extra principal (target met) ...
    (MERIDIAN, 297, "0.00", "9.00", "RG328", "pool.oc_deficiency"),
    # ... or before it, with the month's losses (US Bank 2003)
    (HE2_NOV, 330, "1,041,976", "1,041,376", "RG328", "pool.oc_deficiency"),
    # a deficiency printed "before extra principal"
    (QUILLFIELD, 137, "594,689.52", "594,680.52", "RG328", "pool.oc_deficiency_before_extra_principal"),
    # a release leaves the amount at its target; no release leaves it at most the target
    (PELLBROOK, 229, "Release                          0.00", "Release                          5.00", "RG328", "collateral[fixed].overcollateralization_amount"),
    (ASHGROVE, 128, "3,705,158.90", "3,705,958.90", "RG328", "collateral[1].oc_release"),
    # extra principal: the deficiency before it, or all of the excess cash flow
    (CARROWMERE, 197, "103,448.88", "103,948.88", "RG328", "pool.oc_increase"),
    (ASHGROVE, 133, "188,321.12", "188,921.12", "RG328", "collateral[2].extra_principal_distribution"),
    # the deal's O/C amount is the groups'
    (PELLBROOK, 244, "7,980,831.47", "7,980,831.97", "RG328", "pool.overcollateralization_amount"),
    # an event against its figure and threshold: the trigger table ...
    (QUILLFIELD, 308, "NO      5.98%", "YES     5.98%", "RG329", "pool.triggers.delinquency_trigger"),
    (QUILLFIELD, 309, "1.50%   0.01%", "1.50%   1.91%", "RG329", "pool.triggers.cumulative_loss_trigger"),
    # ... a group's question and threshold, and the deal's "either group" event
    (PELLBROOK, 209, "12.00%", " 0.50%", "RG329", "collateral[fixed].triggers.delinquency_trigger"),
    (PELLBROOK, 210, "NO               NO", "YES              NO", "RG329", "pool.trigger_event"),
    # ... the deal's event as any of its tests
    (QUILLFIELD, 308, "NO      5.98%", "YES     5.98%", "RG329", "pool.trigger_event"),
    # ... the dollars family's group event, each figure against the THRESHOLD column
    (TOLLAND, 221, "2.72%", "8.72%", "RG329", "collateral[2].triggers.trigger_event"),
    # a threshold printed as a share of the credit enhancement percentage
    (CARROWMERE, 438, "10.20%", "11.20%", "RG329", "pool.threshold.sixty_plus_delinquency_pct"),
]


@pytest.mark.parametrize("sample, line, old, new, code, path", CASES,
                         ids=[f"{c[0].stem}:{c[1]}:{c[5]}" for c in CASES])
def test_a_changed_figure_is_named(tmp_path, sample, line, old, new, code, path):
    assert path not in paths(sample, code)
    assert path in paths(edited(tmp_path, sample, line, old, new), code)


# Findings of the unchanged samples: each a property of the filing (docs in the rules' quirks).
KNOWN = {
    # its first month: the deficiency leaves out the 55 of O/C the deal closed with
    "absc_2003-he2_2003-06-16": {"pool.oc_deficiency"},
    # the O/C amount 26 cents short of its target with no extra principal: the report's 26 cents
    "absc_2002-he1_2002-11-15": {"pool.oc_increase"},
}


def test_unchanged_samples_give_only_their_own_findings(report):
    found = {f.path for f in api.check_file(report).findings if f.code in ("RG328", "RG329")}
    # an EDGAR submission holds its plain sample's statement: the same findings
    assert found == KNOWN.get(report.stem.removesuffix(".submission"), set())


def test_a_tie_within_rounding_is_not_a_finding(tmp_path):
    # the actual figure rounds to its threshold: either reading of the test ('exceeds' or
    # 'equals or exceeds') fits, so neither event is wrong
    for event in ("NO ", "YES"):
        tie = edited(tmp_path, QUILLFIELD, 308, "NO      5.98%   1.21%", f"{event}     5.98%   5.98%")
        assert "pool.triggers.delinquency_trigger" not in paths(tie, "RG329")


def test_a_threshold_printed_with_fewer_digits_is_compared_over_its_interval(tmp_path):
    # 6.0% stands for 5.95-6.05: an actual of 6.04% may be below it, 6.06% may not
    close = edited(tmp_path, QUILLFIELD, 308, "NO      5.98%   1.21%", "NO       6.0%   6.04%")
    assert "pool.triggers.delinquency_trigger" not in paths(close, "RG329")
    above = edited(tmp_path, QUILLFIELD, 308, "NO      5.98%   1.21%", "NO       6.0%   6.06%")
    assert "pool.triggers.delinquency_trigger" in paths(above, "RG329")


def test_the_target_is_at_least_its_floor(tmp_path):
    floor = "Overcollateralization Floor Amount                               {}"
    met = inserted(tmp_path, CARROWMERE, 201, floor.format(" 4,250,000.04"))
    assert str(api.check_file(met).record["pool"]["oc_floor"]) == "4250000.04"
    assert "pool.oc_target" not in paths(met, "RG328")
    above = inserted(tmp_path, CARROWMERE, 201, floor.format("25,000,000.00"))
    assert "pool.oc_target" in paths(above, "RG328")


def test_the_threshold_and_target_percentage_are_canonical():
    record = api.check_file(CARROWMERE).record
    assert str(record["pool"]["threshold"]["sixty_plus_delinquency_pct"]) == "10.20"
    groups = api.check_file(PELLBROOK).record["collateral"]
    assert (str(groups["fixed"]["oc_target_pct"]), str(groups["arm"]["oc_target_pct"])) == ("2.75", "1.85")


def test_the_cli_reports_a_wrong_trigger_event(tmp_path, runner):
    wrong = edited(tmp_path, TOLLAND, 221, "2.72%", "8.72%")
    result = runner.invoke(app, ["check", str(wrong), "--select", "RG329"])
    assert result.exit_code == 1
    assert "RG329 error: the trigger event is printed NO, but sixty_plus_delinquency_pct is in effect" in result.stdout
