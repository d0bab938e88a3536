"""A report's deal and month (remitgrammar/deals.py): one answer for `check` and the exports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from remitgrammar.check.months import deal_key
from remitgrammar.cli import app
from remitgrammar.deals import deal_of, key_values, month_of
from remitgrammar.emit.tables import rows

CORPUS = Path(__file__).resolve().parent / "corpus"
SUMMARY = CORPUS / "distribution-summary"
MERIDIAN = SUMMARY / "meridianvale_2004-1_2004-06-25.txt"
MERIDIAN_EDGAR = SUMMARY / "meridianvale_2004-1_2004-06-25.submission.txt"
HE2 = sorted((CORPUS / "usbank-absc-2003").glob("absc_2003-he2_*.txt"))


def _filing(registrant, series, **source) -> dict:
    return {"filing": {"registrant": registrant, "series": series}, "distribution_date": "2003-11-17",
            "source": source}


def test_the_ways_a_trustee_prints_one_deal_are_one_key():
    spellings = [
        _filing("Asset Backed Securities Corporation, Home Equity Loan Trust, Series 2003-HE2", "2003-HE2"),
        _filing("ASSET BACKED SECURITIES CORP. HOME EQUITY LOAN TRUST", "Series 2003-HE2"),
        _filing("asset  backed securities corp, home equity loan trust 2003-he2", "2003 HE2"),
        _filing("The Asset Backed Securities Corporation Home Equity Loan Trust", " 2003-he2 "),
    ]
    keys = {deal_of(record).key for record in spellings}
    assert keys == {"ASSET BACKED SECURITIES CORP HOME EQUITY LOAN TRUST / 2003-HE2"}


def test_another_series_or_registrant_is_another_deal_and_no_series_is_none():
    he2 = deal_of(_filing("Asset Backed Securities Corp., Home Equity Loan Trust", "2003-HE2")).key
    assert deal_of(_filing("Asset Backed Securities Corp., Home Equity Loan Trust", "2003-HE4")).key != he2
    assert deal_of(_filing("Other Depositor Corp., Home Equity Loan Trust", "2003-HE2")).key != he2
    # a registrant without its series would link all of its deals as one
    assert deal_of(_filing("Asset Backed Securities Corp.", None)) is None
    assert deal_of(_filing("Asset Backed Securities Corp.", " - ")) is None


def test_the_cik_is_kept_beside_the_key_not_in_it():
    """The statement's text never prints the CIK: a key made of it would split a deal between its
    EDGAR submission and the same statement read as text."""
    plain = _filing("Meridian Vale Home Equity Loan Trust 2004-1", "2004-1")
    edgar = _filing("Meridian Vale Home Equity Loan Trust 2004-1", "2004-1", edgar={"cik": "0001281946"})
    assert deal_of(edgar).cik == "0001281946" and deal_of(plain).cik is None
    assert deal_of(edgar).key == deal_of(plain).key


def test_check_links_months_by_the_same_key():
    """check/months.py's deal_key is deals.py's, so `check` and the exports agree on what a deal is."""
    record = _filing("Asset Backed Securities Corporation, Home Equity Loan Trust, Series 2003-HE2", "2003-HE2")
    paths = ("filing.registrant", "filing.series")
    assert deal_key(record, paths) == key_values(record, paths) == (
        "ASSET BACKED SECURITIES CORP HOME EQUITY LOAN TRUST", "2003 HE2")
    assert deal_key({"filing": {}}, paths) is None


def test_a_formats_deal_key_paths_still_name_the_deal():
    record = {**_filing("Trust A", "2003-1"), "filing": {"registrant": "Trust A", "series": "2003-1",
                                                        "parties": {"trustee": "Farrier National Bank"}}}
    assert deal_key(record, ("filing.parties.trustee",)) == ("FARRIER NATIONAL BANK",)
    found = rows(record, deal_paths=("filing.parties.trustee",))["reports"][0]
    assert found["deal"] == "FARRIER NATIONAL BANK"
    assert rows(record)["reports"][0]["deal"] == "TRUST A / 2003-1"


def test_a_month_is_the_distribution_dates_year_and_month():
    assert month_of({"distribution_date": "2003-11-17"}) == "2003-11"
    assert month_of({"distribution_date": "17-Nov-03"}) is None and month_of({}) is None


def test_every_row_carries_deal_and_month(runner, tmp_path):
    db = tmp_path / "he2.sqlite"
    assert runner.invoke(app, ["export", *map(str, HE2), "--to", str(db)]).exit_code in (0, 1)
    with sqlite3.connect(db) as con:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'deals'")]
        for table in tables:
            found = set(con.execute(f"SELECT deal, month FROM {table}"))
            assert found and all(deal == "ASSET BACKED SECURITIES CORP HOME EQUITY LOAN TRUST / 2003-HE2"
                                 for deal, _ in found), table
        months = [m for (m,) in con.execute("SELECT month FROM reports ORDER BY month")]
    assert months == ["2003-06", "2003-11", "2003-12"]


def test_a_statement_as_edgar_submission_and_as_text_is_one_deal_with_the_cik(runner, tmp_path):
    """The statement's text never prints the CIK: the two forms are one deal, named with the CIK the
    submission's header gives (whether the export keeps one report of the two or both)."""
    db = tmp_path / "m.sqlite"
    runner.invoke(app, ["export", str(MERIDIAN_EDGAR), str(MERIDIAN), "--to", str(db)])
    deals = sqlite3.connect(db).execute("SELECT deal, cik, first_month, last_month, months FROM deals").fetchall()
    assert deals == [("MERIDIAN VALE HOME EQUITY LOAN TRUST / 2004-1", "0001281946", "2004-06", "2004-06", 1)]
