"""`check` catches the misprints issue 21 found no rule for: an accrual table's own Total row
(`total_row: own`, held by RG303), original credit support (RG319), what a loan group column
prints for a named class (RG307 over fields below a group's), the realized loss of a notional or
O/C class (RG301), bounds a format declares (`relation:`, RG330) and the certificates' interest
against the accrual table. Each unchanged sample meets them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from remitgrammar.api import check_file
from remitgrammar.errors import ConfigError
from remitgrammar.formats.identities import parse_identities
from remitgrammar.formats.roles import check_sections
from misprints import misprinted

CORPUS = Path(__file__).resolve().parent / "corpus"
NOV_2003 = CORPUS / "payment-report" / "carrowmere_2002-nc4_2003-11-25.txt"
PELLBROOK = CORPUS / "payment-report" / "pellbrook_2001-2_2001-06-25.txt"
QUILLFIELD = CORPUS / "payment-report" / "quillfield_2005-3_2005-08-25.txt"
ASHGROVE = CORPUS / "dollars-statement" / "ashgrove_1999-2_1999-06-15.txt"
COBALTHILL = CORPUS / "distribution-summary" / "cobalthill_2002-4_2002-12-26.txt"
ABSC_2002 = CORPUS / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt"
SAMPLES = sorted(CORPUS.glob("*/*.txt"))


def problems(report, code: str) -> set:
    """(record path, line) of the warnings and errors of one code."""
    return {(f.path, f.line) for f in report.findings if f.code == code and f.severity != "info"}


def test_an_accrual_tables_total_row_is_a_total_of_its_own_not_extra():
    report = check_file(str(NOV_2003))
    assert report.record["pool"]["table_totals"]["accrual"] == {
        "beginning_balance": Decimal("624168616.58"), "accrued_interest": Decimal("852956.22"),
        "shortfall": {"prepayment_interest_shortfall": Decimal("0.00"),
                      "relief_act_interest_shortfall": Decimal("0.00")},
        "interest_distribution": Decimal("852956.22"), "interest_carryforward": Decimal("0.00")}
    assert report.provenance["pool.table_totals[accrual].interest_carryforward"]["line"] == 128
    assert not [e for e in report.record["extra"] if e["line"] == 128]
    # the classes it leaves out (not printed in it) are found as a Total row's are, and said as information
    assert {f.message for f in report.findings if f.code == "RG303" and f.line == 128} == \
        {"the Total row leaves out X, P in beginning_balance, interest_distribution"}


@pytest.mark.parametrize("sample, line, column, old, new, path, reported", [
    # a class's unpaid interest carry-forward: printed in the accrual table only, under a Total of 0.00
    (NOV_2003, 117, 116, "0.00", "0.06", "classes[A-1].interest_carryforward", 117),
    # the Total's own figures: accrued interest, beginning balance (the classes' sum without X and P)
    (NOV_2003, 128, 55, "852,956.22", "852,956.72", "pool.table_totals[accrual].accrued_interest", 128),
    (NOV_2003, 128, 36, "624,168,616.58", "624,168,646.58", "pool.table_totals[accrual].beginning_balance", 128),
    (PELLBROOK, 73, 71, "2,174,746.28", "2,174,736.28", "pool.table_totals[accrual].accrued_interest", 73),
    (QUILLFIELD, 82, 76, "702,814,234.49", "702,814,234.41", "pool.table_totals[accrual].beginning_balance", 82),
])
def test_a_misprint_in_an_accrual_table_breaks_its_own_total(tmp_path, sample, line, column, old, new, path,
                                                             reported):
    assert (path, reported) not in problems(check_file(str(sample)), "RG303")
    changed = check_file(str(misprinted(tmp_path, sample, line, column, old, new)))
    assert (path, reported) in problems(changed, "RG303")


def test_original_credit_support_is_the_share_of_the_cut_off_balance_below_the_class(tmp_path):
    assert problems(check_file(str(NOV_2003)), "RG319") == set()
    changed = check_file(str(misprinted(tmp_path, NOV_2003, 228, 40, "6.72%", "6.77%")))
    assert problems(changed, "RG319") == {("classes[M-2].original_credit_support_pct", 228)}
    found = next(f for f in changed.findings if f.code == "RG319")
    assert "original credit support" in found.message and "cut-off balance" in found.message


def test_the_senior_classes_share_their_original_credit_support(tmp_path):
    # A-1 prints 18.82% like every A class: the support below the last of them (A-3B), not below A-1
    changed = check_file(str(misprinted(tmp_path, NOV_2003, 223, 39, "18.82%", "18.32%")))
    assert problems(changed, "RG319") == {("classes[A-1].original_credit_support_pct", 223)}


@pytest.mark.parametrize("sample, line, column, old, new, path", [
    (ASHGROVE, 172, 46, "732,640.85", "732,640.35", "collateral[total].class_amounts[A].interest"),
    (ASHGROVE, 173, 92, "336,857.23", "336,857.29", "collateral[total].class_amounts[C].interest"),
    (PELLBROOK, 192, 76, "569,700.88", "569,780.88", "collateral[total].class_amounts[X].remaining_excess_cashflow"),
])
def test_a_class_amount_of_the_loan_groups_adds_up_to_the_total_column(tmp_path, sample, line, column, old, new,
                                                                        path):
    assert problems(check_file(str(sample)), "RG307") == set()
    changed = check_file(str(misprinted(tmp_path, sample, line, column, old, new)))
    assert (path, line) in problems(changed, "RG307")


@pytest.mark.parametrize("line, old, new, path", [
    (104, "0.00", "0.05", "classes[X].ending_balance"),   # the O/C class: its balance bears its loss
    (106, "0.00", "0.60", "classes[BIO].realized_loss"),  # a notional class has no principal to lose
])
def test_a_loss_on_a_notional_or_overcollateralization_class_is_caught(tmp_path, line, old, new, path):
    assert problems(check_file(str(ABSC_2002)), "RG301") == set()
    changed = check_file(str(misprinted(tmp_path, ABSC_2002, line, 17, old, new)))
    assert path in {p for p, _ in problems(changed, "RG301")}


@pytest.mark.parametrize("column, new", [(33, "100.50000000%"), (51, "100.00000005%"), (69, "000.00000000%")])
def test_a_senior_prepayment_percentage_is_a_share_between_the_senior_percentage_and_100(tmp_path, column, new):
    group = {33: "1", 51: "2", 69: "3"}[column]
    path = f"collateral[{group}].senior_prepayment_pct"
    assert (path, 207) not in problems(check_file(str(COBALTHILL)), "RG330")
    changed = check_file(str(misprinted(tmp_path, COBALTHILL, 207, column, "100.00000000%", new)))
    assert (path, 207) in problems(changed, "RG330")


@pytest.mark.parametrize("line, old, new, path", [
    (208, "(852,956.22)", "(852,950.22)", "pool.certificate_interest"),
    (209, "2,948,205.82", "2,948,205.32", "pool.net_monthly_excess_cash_flow"),
])
def test_the_certificates_interest_is_the_accrual_tables_total_and_leaves_the_excess_cashflow(
        tmp_path, line, old, new, path):
    assert (path, line) not in problems(check_file(str(NOV_2003)), "RG330")
    changed = check_file(str(misprinted(tmp_path, NOV_2003, line, 67, old, new)))
    assert (path, line) in problems(changed, "RG330")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_unchanged_sample_meets_the_new_relations(sample):
    assert _problem_paths(check_file(str(sample))) == set()


def _problem_paths(report) -> set:
    """(code, path) of the warnings and errors of the relations this file's tests add."""
    marks = {"RG319": ("original",), "RG303": ("table_totals",), "RG307": ("class_amounts", ".prior."),
             "RG301": ("realized_loss", "[X]"),
             "RG330": ("senior_prepayment", "certificate_interest", "net_monthly_excess")}
    return {(f.code, f.path) for f in report.findings if f.severity != "info" and f.path
            and any(mark in f.path for mark in marks.get(f.code, ()))}


def test_total_row_own_is_a_parameter_of_class_table_and_others_are_refused():
    assert check_sections({"t": {"role": "class_table", "total_row": "own"}}, "x.yaml") == \
        {"t": ("class_table", {"total_row": "own"})}
    with pytest.raises(ConfigError, match="total_row"):
        check_sections({"t": {"role": "class_table", "total_row": "mine"}}, "x.yaml")


def test_a_bound_is_declared_with_a_relation_and_a_constant():
    (bound,) = parse_identities([{"title": "a share", "value": "pool.x_pct", "relation": "at_most",
                                  "constant": 100}], "x.yaml")
    assert (bound.relation, bound.terms, bound.constant) == ("<=", (), Decimal(100))
    with pytest.raises(ConfigError, match="relation"):
        parse_identities([{"value": "pool.x_pct", "relation": "below", "constant": 100}], "x.yaml")
    with pytest.raises(ConfigError, match="needs 'value' and 'sum'"):
        parse_identities([{"value": "pool.x_pct", "constant": 100}], "x.yaml")
