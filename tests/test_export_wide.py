"""The exports' deals, wide tables, printed digits and Parquet (issue 22, point 2), on the corpus."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from remitgrammar.cli import app
from remitgrammar.emit import wide
from remitgrammar.emit.tables import TABLES, rows

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
NOVEMBER = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
HE2 = "ASSET BACKED SECURITIES CORP HOME EQUITY LOAN TRUST / 2003-HE2"
LONG_TO_WIDE = {  # long table -> (wide table, the key columns both share)
    "classes": ("class_months", ("class", "tier")),
    "collateral": ("group_months", ("grp",)),
    "pool": ("pool_months", ()),
}


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("wide") / "corpus.sqlite"
    done = CliRunner().invoke(app, ["export", str(CORPUS), "--to", str(db)])
    assert done.exit_code in (0, 1), done.stderr
    return db


def _query(db: Path, sql: str, *args) -> list:
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def test_the_deals_table_has_one_row_a_deal_with_its_months(corpus_db):
    found = _query(corpus_db, "SELECT registrant, series, format, first_month, last_month, months, reports "
                              "FROM deals WHERE deal = ?", HE2)
    assert found == [("Asset Backed Securities Corporation, Home Equity Loan Trust, Series 2003-HE2", "2003-HE2",
                      "usbank-absc-2003", "2003-06", "2003-12", 3, 3)]
    deals = _query(corpus_db, "SELECT COUNT(*), SUM(reports) FROM deals")[0]
    assert deals == (len({d for (d,) in _query(corpus_db, "SELECT deal FROM reports")}),
                     _query(corpus_db, "SELECT COUNT(*) FROM reports")[0][0])


def test_a_class_month_is_one_row_with_a_column_a_field(corpus_db):
    columns = [c for (_, c, *_) in _query(corpus_db, "SELECT * FROM pragma_table_info('class_months')")]
    wanted = ["ending_balance", "interest_rate_pct", "realized_loss", "per_1000_total", "per_1000_ending_balance"]
    assert set(wanted) <= set(columns)
    found = _query(corpus_db, f"SELECT month, {', '.join(wanted)}, exact FROM class_months "
                              "WHERE deal = ? AND class = 'A-1' ORDER BY month", HE2)
    assert [(row[0], row[1], row[4]) for row in found] == [
        ("2003-06", 390080095.0, 14.13963), ("2003-11", 328979574.0, 42.05063), ("2003-12", 314635143.0, 37.11818)]
    assert all(row[-1] is None for row in found)  # every digit fits a double: no exact text needed


@pytest.mark.parametrize("long, wide_table, keys", [(k, *v) for k, v in LONG_TO_WIDE.items()])
def test_every_standard_value_of_the_long_tables_is_in_its_wide_column(corpus_db, long, wide_table, keys):
    """The long and the wide tables agree value for value, over the whole corpus."""
    columns = {c for (_, c, *_) in _query(corpus_db, f"SELECT * FROM pragma_table_info('{wide_table}')")}
    join = " AND ".join(f"w.{k} IS l.{k}" for k in ("report_id",) + keys)
    checked = 0
    for field in {f for (f,) in _query(corpus_db, f"SELECT DISTINCT field FROM {long} WHERE number IS NOT NULL")}:
        column = field.replace(".", "_")
        if column not in columns:
            continue
        bad = _query(corpus_db, f"SELECT COUNT(*), SUM(w.{column} IS NOT l.number) FROM {long} l "
                                f"JOIN {wide_table} w ON {join} WHERE l.field = ? AND l.number IS NOT NULL", field)
        assert bad[0][1] == 0, (field, bad)
        checked += bad[0][0]
    assert checked > 100


def test_delinquency_by_status_and_bucket(corpus_db):
    long = _query(corpus_db, "SELECT COUNT(*) FROM delinquency WHERE measure = 'count'")[0][0]
    wide_counts = _query(corpus_db, "SELECT COUNT(count) FROM delinquency_months")[0][0]
    assert long == wide_counts > 0
    found = _query(corpus_db, "SELECT grp, count, balance FROM delinquency_months WHERE deal = ? AND month = "
                              "'2003-11' AND status = '30-59' AND bucket IS NULL ORDER BY grp", HE2)
    assert found and all(isinstance(count, int) for _, count, _ in found)


def test_the_wide_columns_are_canonical_yamls_fields():
    """A field added to specs/canonical.yaml is a column without code."""
    catalogue = yaml.safe_load((ROOT / "specs" / "canonical.yaml").read_text(encoding="utf-8"))
    leaves = {name for name, entry in catalogue["classes"].items() if isinstance(entry.get("type"), str)}
    assert leaves - {"class", "tier"} <= set(TABLES["class_months"])
    assert {f"per_1000_{name}" for name in catalogue["classes"]["per_1000"]} <= set(TABLES["class_months"])
    catalogue["classes"]["new_field"] = {"type": "amount", "meaning": "a field added later"}
    assert ("new_field", ("new_field",), "amount") in wide.columns(catalogue)["class_months"]


def test_a_value_a_double_cannot_hold_keeps_its_digits_in_exact():
    record = {"source": {"sha256": "0" * 64, "format": "usbank-absc-2003"}, "distribution_date": "2003-11-17",
              "filing": {"registrant": "Trust", "series": "2003-1"},
              "classes": [{"class": "A-1", "ending_balance": Decimal("12345678901234567.89"),
                           "interest_rate_pct": Decimal("1.69000")}],
              "pool": {"pi_advances": "Not Provided By Servicer", "loan_count": 4555, "trigger_event": False}}
    tables = rows(record)
    a1 = tables["class_months"][0]
    assert json.loads(a1["exact"]) == {"ending_balance": "12345678901234567.89"}
    assert a1["interest_rate_pct"] == 1.69
    pool = tables["pool_months"][0]
    assert pool["loan_count"] == 4555 and pool["pi_advances"] is None and pool["trigger_event"] == 0
    assert json.loads(pool["exact"]) == {"pi_advances": "Not Provided By Servicer"}
    assert rows(record, numbers="decimal")["class_months"][0]["ending_balance"] == Decimal("12345678901234567.89")
    assert [(d["deal"], d["first_month"], d["months"], d["reports"]) for d in tables["deals"]] == [
        ("TRUST / 2003-1", "2003-11", 1, 1)]  # rows() of one report: its own deal


def _digits(text: str) -> str:
    """The digits of a printed number, without grouping, sign, currency or percent."""
    return re.sub(r"[,$%()\s+-]", "", text)


def test_exact_is_the_printed_digits_never_more(corpus_db):
    """Every number of every corpus sample, held against the text the report printed (the provenance's
    ``text``): a count or a day printed ``9`` is ``9``, never ``9.000000``; amounts and rates as printed."""
    found = _query(corpus_db, "SELECT f.path, f.exact, f.printed, typeof(f.printed) FROM facts f "
                              "WHERE f.number IS NOT NULL")
    assert len(found) > 3000 and {kind for *_, kind in found} == {"text"}
    more = [(path, exact, printed) for path, exact, printed, _ in found
            if len(_digits(exact).replace(".", "")) > len(_digits(printed).replace(".", ""))]
    assert more == []
    differ = [(path, exact, printed) for path, exact, printed, _ in found if _digits(exact) != _digits(printed)]
    # only a count printed with cents (2.00 in a count field) is fewer digits: the count itself
    assert all(exact == str(int(Decimal(printed))) for _, exact, printed in differ) and len(differ) < 10
    counts = _query(corpus_db, "SELECT exact FROM facts WHERE path = 'collateral[1].ending_count'")
    assert counts and all("." not in exact for (exact,) in counts)
    printed = {_digits(text) for (_, _, text, _) in found}
    for table in ("classes", "class_totals", "collateral", "delinquency", "pool"):
        zeros = _query(corpus_db, f"SELECT DISTINCT exact FROM {table} WHERE exact LIKE '%.000000'")
        assert {_digits(exact) for (exact,) in zeros} <= printed, table  # six decimals only where printed


def test_a_database_of_an_older_export_gains_the_new_columns(tmp_path):
    """An older export's tables (no deal, no month, facts.printed as INTEGER) are rebuilt, their
    reports' deal and month filled in, and its rows kept."""
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA application_id = 1380404562")
        con.execute("CREATE TABLE reports (report_id TEXT PRIMARY KEY, source TEXT, sha256 TEXT, accession TEXT, "
                    "registrant TEXT, series TEXT, distribution_date TEXT, format TEXT, printed INTEGER, "
                    "canonical INTEGER, extra INTEGER, skipped INTEGER, lost INTEGER, ignored INTEGER)")
        con.execute("CREATE TABLE facts (report_id TEXT, path TEXT, number REAL, exact TEXT, printed INTEGER, "
                    "line INTEGER, col INTEGER)")
        con.execute("INSERT INTO reports (report_id, registrant, series, distribution_date, format) VALUES "
                    "('old', 'Asset Backed Securities Corp., Home Equity Loan Trust', '2003-HE2', '2003-05-15', "
                    "'usbank-absc-2003')")
        con.execute("INSERT INTO facts VALUES ('old', 'pool.loan_count', 9, '9', 9, 1, 1)")
    done = CliRunner().invoke(app, ["export", str(NOVEMBER), "--to", str(db)])
    assert done.exit_code == 0, done.stderr
    assert _query(db, "SELECT deal, month FROM facts WHERE report_id = 'old'") == [(HE2, "2003-05")]
    assert _query(db, "SELECT type FROM pragma_table_info('facts') WHERE name = 'printed'") == [("TEXT",)]
    assert _query(db, "SELECT first_month, last_month, months, reports FROM deals") == [("2003-05", "2003-11", 2, 2)]


def test_csv_has_the_deals_and_wide_tables(tmp_path):
    out = tmp_path / "csv"
    assert CliRunner().invoke(app, ["export", str(NOVEMBER), "--to", str(out)]).exit_code == 0
    assert {p.stem for p in out.iterdir()} == set(TABLES)
    deals = (out / "deals.csv").read_text(encoding="utf-8").splitlines()
    assert deals[0] == ",".join(TABLES["deals"]) and deals[1].startswith(HE2 + ",")


def test_parquet_without_pyarrow_is_one_line_naming_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # what a missing package looks like to import
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "corpus.parquet"
    done = CliRunner().invoke(app, ["export", str(NOVEMBER), "--to", str(out)])
    assert done.exit_code == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "remitgrammar[parquet]" in done.stderr
    assert not out.exists()


@pytest.fixture(scope="module")
def corpus_parquet(tmp_path_factory) -> Path:
    pytest.importorskip("pyarrow", reason="pyarrow is the parquet extra: pip install 'remitgrammar[parquet]'")
    out = tmp_path_factory.mktemp("pq") / "corpus.parquet"
    done = CliRunner().invoke(app, ["export", str(CORPUS), "--to", str(out)])
    assert done.exit_code in (0, 1), done.stderr
    return out


def test_parquet_is_a_file_a_table_with_the_rows_sqlite_has(corpus_parquet, corpus_db):
    import pyarrow.parquet as pq

    assert {p.name for p in corpus_parquet.iterdir()} == {f"{t}.parquet" for t in TABLES}
    for table in TABLES:
        read = pq.read_table(corpus_parquet / f"{table}.parquet")
        assert read.column_names == list(TABLES[table])
        assert read.num_rows == _query(corpus_db, f"SELECT COUNT(*) FROM {table}")[0][0], table
    classes = pq.read_table(corpus_parquet / "class_months.parquet").to_pylist()
    a1 = [r for r in classes if r["deal"] == HE2 and r["class"] == "A-1" and r["month"] == "2003-11"]
    assert [(r["ending_balance"], r["per_1000_total"]) for r in a1] == [(328979574.0, 42.05063)]


def test_duckdb_reads_the_parquet_files_with_no_extension(corpus_parquet):
    duckdb = pytest.importorskip("duckdb", reason="DuckDB is not a dependency; installed, it is tried")
    con = duckdb.connect()
    found = con.execute(f"SELECT months FROM read_parquet('{corpus_parquet / 'deals.parquet'}') "
                        "WHERE deal = ?", [HE2]).fetchall()
    assert found == [(3,)]


def test_pandas_reads_the_parquet_files(corpus_parquet):
    pandas = pytest.importorskip("pandas", reason="pandas is not a dependency; installed, it is tried")
    frame = pandas.read_parquet(corpus_parquet / "group_months.parquet")
    assert {"deal", "month", "grp", "ending_balance", "ending_count"} <= set(frame.columns)


def test_a_parquet_export_that_fails_leaves_nothing_behind(tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow is the parquet extra: pip install 'remitgrammar[parquet]'")
    from remitgrammar.emit.export import sink_for

    out = tmp_path / "corpus.parquet"
    sink = sink_for(out)
    sink.add(rows({"source": {"sha256": "1" * 64}, "filing": {"registrant": "T", "series": "1"}}))
    sink.abandon()  # what the command does on a full disk or an interrupt
    assert not out.exists()
    (tmp_path / "file.parquet").write_text("not a directory", encoding="utf-8")
    done = CliRunner().invoke(app, ["export", str(NOVEMBER), "--to", str(tmp_path / "file.parquet")])
    assert done.exit_code == 2 and done.stderr.count("\n") == 1
    assert (tmp_path / "file.parquet").read_text(encoding="utf-8") == "not a directory"
