"""Grammar sections on inline snippets, including the awkward rows of the real reports.

Each snippet is parsed from the section's own rule and transformed into a record,
so a test shows what one table turns into.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from remitgrammar.parse.grammar import parser_for
from remitgrammar.assemble.record import Builder
from remitgrammar.formats.search import get_format
from remitgrammar.assemble.transform import RecordTransformer

SUMMARY_2003 = """\
DISTRIBUTION SUMMARY

     Class         Orig Bal       Beg Bal           Prin
      A-1        397,000,000    395,099,998      5,019,904
      A-IO       60,000,000     58,792,000           0
      B-IO       64,000,000     64,000,000           0
     Total       735,630,000    733,364,840      8,880,429

      Rate           Int
    1.69000%       593,528
      N/A          195,973
    3.50000%       186,667
    1.31000%      1,561,870

     Class           Loss        Total Dist
      A-1            N/A        12,344,578
      A-IO           0.00         243,333
      B-IO           N/A          262,500
Total                           23,556,539
"""

PER_UNIT_2003 = """\
AMOUNTS PER $1,000 UNIT

     Class          Cusip           Prin
      A-1         04541GDP4      12.64459
      A-IO        04541GDR0       0.00000
      B-IO        04541GDY5       0.00000

                   Interest
                Carry-forward
     Class          Amount        End Bal
      A-1          0.00000       982.56951
      A-IO         0.00000       959.86667

     Class           Int           Total
     Class         1.09707       24.49321
      A-1          1.09063       30.68620
"""

REMITTANCE_2003 = """\
                   GROUP 1        GROUP 2           TOTAL
Principal Distributions:
Beginning Bal     476,502,065     256,862,829      733,364,894
     Prep(Incl curt)3,137,288       2,484,619        5,621,908
     Net Liq Proc           (0)        328,477          328,477
Ending Count            3,154           1,401            4,555

Aggregate End Coll Bal                             727,158,360

Interest Distributions:
Sched In(Net Serv fees) 2,587,917       1,400,710        3,988,626
Less Nonrecov Adv           0          (4,179)          (4,179)
                    2,587,917       1,404,889        3,992,806

Serv Fee
Grp 1                                                  248,681
Grp 2                                                  157,813

Advances
Curr Agg Adv as of determ. date                      3692057.39
Mystery Amount Nobody Knows                             12.50

Has Fairbanks failed the Termination Test     NO
"""

DELINQUENCY_2003 = """\
Delinquency Information
                   GROUP 1                         GROUP 2
                    Count         Balance        Count            Balance
30-59 days delinq    82         11,291,931          32           6197784.4
90 + days delinq     15          2,022,563          14           930510.76
*Note:  The above statistics do not include loans in
foreclosure or bankruptcy proceedings or REO properties.

                   GROUP 1
                    Count         Balance     Market Value (REO)
Outstanding Loan    2,858       419,062,880
REO                   2           248,556         232,000
"""

SHORTFALL_2003 = """\
Interest Shortfall
                     Tot            Real            Prep
                    Unpaid         Losses            Int
                                                  Shortfall
      A-1           0.00           0.00             0.00
      BIO           1.25           0.00             0.00
                    1.25           0.00             0.00
"""

REMITTANCE_2002 = """\
Prin Dist
Beg Bal                                                  822,179,071.35
    'Sched Prin                                              565,846.34
    Curt                                                     267,197.80
Agg P&I  Advances                               Not Provided By Servicer

Mortg Loans Outstanding                     Count                 5871
                                            Balance      798,796,001.41

WAC                                                            8.99827%
"""

STATUS_2002 = """\
Bankruptcies
               Count          Balance
Fairbanks       51           6,949,303
Long Beach      32           2,175,801
"""


def run(format_name: str, *sections: tuple[str, str], repair: bool = True) -> dict:
    """Parse snippets from their section rules into one record."""
    spec = get_format(format_name)
    builder = Builder(spec, [], repair=repair)
    transformer = RecordTransformer(builder)
    for start, text in sections:
        transformer.transform(parser_for(spec).parse(text, start=start))
    return builder.record({})


def test_split_blocks_stitch_unlabelled_rows_and_leave_blank_cells_absent():
    record = run("usbank-absc-2003", ("distribution_summary", SUMMARY_2003))
    a1, aio, bio = record["classes"]
    assert [c["class"] for c in record["classes"]] == ["A-1", "A-IO", "B-IO"]
    assert a1["interest_rate_pct"] == Decimal("1.69000")
    assert aio["interest_rate_pct"] is None  # N/A
    assert a1["realized_loss"] is None and aio["realized_loss"] == Decimal("0.00")
    assert bio["interest_distribution"] == Decimal("186667")
    totals = record["class_totals"]
    assert totals["interest_distribution"] == Decimal("1561870")  # last unlabelled row is the Total row
    assert totals["total_distribution"] == Decimal("23556539")
    assert "realized_loss" not in totals  # "Total   23,556,539" sits under Total Dist, Loss is blank


def test_per_unit_blocks_of_different_lengths_and_a_row_labelled_class():
    record = run("usbank-absc-2003", ("distribution_summary", SUMMARY_2003), ("per_unit", PER_UNIT_2003), repair=False)
    a1, aio, bio = record["classes"]
    assert a1["cusip"] == "04541GDP4"
    assert a1["per_1000"]["interest_carryforward"] == Decimal("0.00000")
    assert aio["per_1000"]["ending_balance"] == Decimal("959.86667")
    assert "interest_carryforward" not in bio["per_1000"]  # the carry-forward block has no B-IO row
    assert a1["per_1000"]["interest"] == Decimal("1.09063")  # as printed; `check` repairs the shift
    extra = [e for e in record["extra"] if e["label"] == "Class"]
    assert extra == [{"section": "per_1000", "label": "Class", "values": ["1.09707", "24.49321"], "line": 15,
                      "heading": "AMOUNTS PER $1,000 UNIT"}]
    assert [f["code"] for f in record["findings"]] == ["RG203"]


def test_remittance_glued_labels_negatives_sum_line_and_group_rows():
    record = run("usbank-absc-2003", ("remittance_table", REMITTANCE_2003))
    coll = record["collateral"]
    assert coll["1"]["prepayments"] == Decimal("3137288")
    assert coll["total"]["prepayments"] == Decimal("5621908")
    assert coll["1"]["net_liquidation_proceeds"] == Decimal("0")  # "(0)"
    assert coll["2"]["nonrecoverable_advances"] == Decimal("-4179")
    assert coll["total"]["interest_remittance"] == Decimal("3992806")
    assert coll["2"]["servicing_fee"] == Decimal("157813")
    assert coll["1"]["ending_count"] == 3154 and isinstance(coll["1"]["ending_count"], int)
    pool = record["pool"]
    assert pool["aggregate_ending_collateral_balance"] == Decimal("727158360")
    assert pool["current_advances"] == Decimal("3692057.39")
    assert pool["servicer_termination_test_failed"] is False
    assert record["extra"] == [{"section": "remittance_table", "label": "Mystery Amount Nobody Knows",
                                "values": ["12.50"], "line": 21, "heading": "Advances", "columns": ["TOTAL"]}]
    assert [(f["code"], f["line"], f["column"]) for f in record["findings"]] == [("RG201", 21, 1)]


def test_delinquency_groups_split_count_and_balance_and_reo_market_value():
    record = run("usbank-absc-2003", ("delinquency_info", DELINQUENCY_2003))
    delinquency = record["delinquency"]
    assert delinquency["2"]["30-59"] == {"count": 32, "balance": Decimal("6197784.4")}
    assert delinquency["1"]["90+"] == {"count": 15, "balance": Decimal("2022563")}
    assert delinquency["1"]["reo"] == {"count": 2, "balance": Decimal("248556"), "market_value": Decimal("232000")}
    assert delinquency["1"]["outstanding"] == {"count": 2858, "balance": Decimal("419062880")}


def test_shortfall_matches_bio_to_b_io_and_keeps_the_unlabelled_total():
    record = run("usbank-absc-2003", ("distribution_summary", SUMMARY_2003), ("shortfalls", SHORTFALL_2003))
    bio = record["classes"][2]
    assert bio["class"] == "B-IO"
    assert bio["shortfall"]["total_unpaid"] == Decimal("1.25")
    assert record["class_totals"]["shortfall"]["prepayment_interest_shortfall"] == Decimal("0.00")


def test_2002_single_column_two_line_values_and_text_values():
    record = run("usbank-absc-2002", ("remittance_table", REMITTANCE_2002))
    assert record["collateral"]["total"]["scheduled_principal"] == Decimal("565846.34")
    assert record["collateral"]["total"]["curtailments"] == Decimal("267197.80")
    pool = record["pool"]
    assert pool["pi_advances"] == "Not Provided By Servicer"
    assert pool["loan_count"] == 5871
    assert pool["pool_balance"] == Decimal("798796001.41")
    assert pool["wac_pct"] == Decimal("8.99827")
    assert record["findings"] == []


def test_2002_status_table_by_servicer():
    record = run("usbank-absc-2002", ("status_table", STATUS_2002))
    assert record["delinquency"]["Long Beach"]["bankruptcy"] == {"count": 32, "balance": Decimal("2175801")}


def test_a_row_that_fits_no_line_kind_is_a_parse_error_with_its_position():
    broken = SUMMARY_2003.replace("      A-IO       60,000,000", "      A-IO  ??   60,000,000")
    spec = get_format("usbank-absc-2003")
    with pytest.raises(Exception) as info:
        parser_for(spec).parse(broken, start="distribution_summary")
    assert info.value.line == 5


COVER_2002 = """\
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C.  20549

FORM 8-K

Date of Report (date of earliest event reported):       15-Nov-02

Asset Backed Securities Corporation Mortgage-Backed Pass-Through Certificates
Series 2002-HE1
(Exact name of registrant as specified in its charter)

          Delaware                      333-44300          13-3354848
(State or Other Jurisdiction           (Commission      (I.R.S. Employer
of Incorporation)                        File Number)     Identification No.)

11 Madison Avenue, Park Avenue Plaza
New York, New York                                                   10010
(Address of Principal Executive Offices)                        (Zip Code)

Registrant's telephone number, including area code:      (212) 325-1811
Item 5. Other Events
           On November 15, 2002 a scheduled distribution was made from the Trust
           B.   Have and deficiencies occurred?  NO.
                         Date:
           C.   Item 1: Legal Proceedings:  NONE
   1.)         Monthly Distribution Report Dated            15-Nov-02
"""

SIGNATURE_2003 = """\
                SIGNATURES
Pursuant to the requirements of the Securities
Asset Backed Pass-Through Certificates, Series 2003-HE2

                        By: /s/ Sheryl Christopherson
                        Name: Sheryl Christopherson
                        Title:  Vice President
                        US Bank, NA, as Trustee
"""


def test_cover_page_fields_and_a_name_that_runs_over_two_lines():
    record = run("usbank-absc-2002", ("cover_page", COVER_2002))
    filing = record["filing"]
    assert filing["registrant"] == ("Asset Backed Securities Corporation Mortgage-Backed "
                                    "Pass-Through Certificates, Series 2002-HE1")
    assert "certificate_title" not in filing
    assert filing["series"] == "2002-HE1"
    assert filing["report_date"] == "2002-11-15"
    assert (filing["state_of_incorporation"], filing["commission_file_number"], filing["irs_employer_id"]) == \
        ("Delaware", "333-44300", "13-3354848")
    assert filing["address"] == "11 Madison Avenue, Park Avenue Plaza, New York, New York 10010"
    assert filing["telephone"] == "(212) 325-1811"
    assert filing["deficiencies_occurred"] is False
    labels = {e["label"]: e["values"] for e in record["extra"]}
    assert labels["Item 1: Legal Proceedings"] == ["NONE"]
    assert labels["On a scheduled distribution was made from the Trust"] == ["November 15, 2002"]
    assert labels["1.) Monthly Distribution Report Dated"] == ["15-Nov-02"]


def test_signature_block():
    record = run("usbank-absc-2003", ("signature_block", SIGNATURE_2003))
    filing = record["filing"]
    assert (filing["signer_name"], filing["signer_title"], filing["trustee"]) == \
        ("Sheryl Christopherson", "Vice President", "US Bank, NA")


SUMMARY_FOR_SHIFT = """\
DISTRIBUTION SUMMARY

     Class         Orig Bal       Beg Bal           Prin
      A-1        504,000,000    483,608,563      11,791,652
      A-2        172,000,000    161,327,967      5,090,437
      A-3        102,000,000    94,368,256       3,640,255
      A-4        51,000,000     49,138,599        887,867
     Total       829,000,000    788,443,385      21,410,211

Class                Rate           Int
A-1                1.47000%       552,926
A-2                1.49500%       187,589
A-3                1.34000%       98,353
A-4                1.60000%       61,150
Total                              900,018

     Class           Loss        Total Dist
      A-1            N/A        12,344,578
      A-2            N/A         5,278,026
      A-3            N/A         3,738,607
      A-4            N/A          949,017
Total                           22,310,228
"""

SHIFTED_PER_UNIT = """\
AMOUNTS PER $1,000 UNIT

     Class           Int           Total
     Class         1.09707       24.49321
      A-1          1.09063       30.68620
      A-2          0.96424       36.65301
      A-3          1.19902       18.60818
      A-4          1.08567       26.91201
"""


def test_labels_printed_one_row_off_are_detected_and_repaired():
    record = run("usbank-absc-2003", ("distribution_summary", SUMMARY_FOR_SHIFT), ("per_unit", SHIFTED_PER_UNIT))
    per_1000 = {c["class"]: c["per_1000"] for c in record["classes"]}
    assert per_1000["A-1"] == {"interest": Decimal("1.09707"), "total": Decimal("24.49321")}
    assert per_1000["A-4"] == {"interest": Decimal("1.19902"), "total": Decimal("18.60818")}
    assert record["class_totals"]["per_1000"] == {"interest": Decimal("1.08567"), "total": Decimal("26.91201")}
    (finding,) = record["findings"]
    assert finding["code"] == "RG320" and finding["line"] == 4
    assert "rows 4-8" in finding["message"] and "1 row(s) off" in finding["message"]
    assert record["extra"] == []


def test_no_repair_keeps_shifted_values_as_printed_but_still_reports_the_shift():
    record = run("usbank-absc-2003", ("distribution_summary", SUMMARY_FOR_SHIFT), ("per_unit", SHIFTED_PER_UNIT),
                 repair=False)
    per_1000 = {c["class"]: c["per_1000"] for c in record["classes"]}
    assert per_1000["A-1"] == {"interest": Decimal("1.09063"), "total": Decimal("30.68620")}
    assert [f["code"] for f in record["findings"]] == ["RG320", "RG203"]
    assert "kept as printed" in record["findings"][0]["message"]


def test_values_that_contradict_their_labels_without_a_shift_are_reported_not_guessed():
    scrambled = SHIFTED_PER_UNIT.replace("     Class         1.09707       24.49321\n", "") \
        .replace("1.09063       30.68620", "7.00000        7.00000") \
        .replace("0.96424       36.65301", "8.00000        8.00000") \
        .replace("1.19902       18.60818", "9.00000        9.00000") \
        .replace("1.08567       26.91201", "6.00000        6.00000")
    record = run("usbank-absc-2003", ("distribution_summary", SUMMARY_FOR_SHIFT), ("per_unit", scrambled))
    assert [f["code"] for f in record["findings"]] == ["RG322"]
    assert record["classes"][0]["per_1000"]["interest"] == Decimal("7.00000")  # as printed
