"""`remitgrammar export`: a corpus as SQLite, JSON lines or CSV tables, numbers exact, rows replaced."""

from __future__ import annotations

import csv
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from remitgrammar.cli import app
from remitgrammar.emit.export import _safe
from remitgrammar.emit.json_record import from_json
from remitgrammar.emit.tables import TABLES, rows
from remitgrammar.pipeline import parse_path

CORPUS = Path(__file__).resolve().parent / "corpus"
NOVEMBER = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
REPORTS = sorted(CORPUS.glob("*/*.txt"))


def test_sqlite_holds_every_table_and_a_report_exported_again_replaces_its_rows(runner, tmp_path):
    db = tmp_path / "corpus.sqlite"
    assert runner.invoke(app, ["export", str(CORPUS), "--to", str(db)]).exit_code == 0
    first = {t: sqlite3.connect(db).execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    months = sqlite3.connect(db).execute("SELECT COUNT(DISTINCT deal || month) FROM reports").fetchone()[0]
    # one report a filing: the corpus's statements given both as EDGAR submission and as text count once
    assert first["reports"] == months < len(REPORTS) and all(first.values())
    assert runner.invoke(app, ["export", str(NOVEMBER), "--to", str(db)]).exit_code == 0
    again = {t: sqlite3.connect(db).execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    # findings across months (RG4xx) depend on the months exported together: November alone has no
    # gap before it (RG404), so only its findings may differ
    assert {t: n for t, n in again.items() if t != "findings"} == {t: n for t, n in first.items() if t != "findings"}


def test_a_fact_is_the_printed_text_exact_and_located(runner, tmp_path):
    """November's A-1 ending balance, printed 328,979,574 on line 133: checked against the text itself."""
    db = tmp_path / "nov.db"
    runner.invoke(app, ["export", str(NOVEMBER), "--to", str(db)])
    exact, number, printed, line, col = sqlite3.connect(db).execute(
        "SELECT exact, number, printed, line, col FROM facts WHERE path = 'classes[A-1].ending_balance'").fetchone()
    source = NOVEMBER.read_text(encoding="utf-8").splitlines()[line - 1]
    assert source[col - 1:col - 1 + len(printed)] == printed == "328,979,574"
    assert exact == "328979574" and number == 328979574.0
    wide = sqlite3.connect(db).execute("SELECT exact FROM classes WHERE class = 'A-1' AND field = 'per_1000.total'")
    assert wide.fetchone() == ("42.05063",)


def test_jsonl_is_one_record_a_line(runner, tmp_path):
    out = tmp_path / "c.jsonl"
    assert runner.invoke(app, ["export", *map(str, REPORTS[:3]), "--to", str(out)]).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    records = [from_json(line) for line in lines]
    assert [r["source"]["path"] for r in records] == [str(p) for p in REPORTS[:3]]
    assert records[0]["classes"] == parse_path(REPORTS[0]).record["classes"] and "provenance" in records[0]


def test_csv_is_a_file_per_table_and_a_formula_is_not_run(runner, tmp_path):
    out = tmp_path / "tables"
    assert runner.invoke(app, ["export", str(NOVEMBER), str(NOVEMBER), "--to", str(out)]).exit_code == 0
    assert sorted(p.stem for p in out.iterdir()) == sorted(TABLES)
    with open(out / "reports.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 1  # the same report twice is written once
    assert _safe({"exact": "=HYPERLINK(1)", "number": None, "message": "@x"}) == \
        {"exact": "'=HYPERLINK(1)", "number": None, "message": "'@x"}
    assert _safe({"exact": "-12.5", "number": -12.5}) == {"exact": "-12.5", "number": -12.5}


def test_a_corpus_with_a_bad_file_exports_the_others_and_names_it(runner, tmp_path):
    bad = tmp_path / "garbage.txt"
    bad.write_text("nothing like a remittance report\n" * 5, encoding="utf-8")
    db = tmp_path / "c.sqlite"
    result = runner.invoke(app, ["export", str(NOVEMBER), str(bad), "--to", str(db)])
    assert result.exit_code == 1 and "garbage.txt" in result.stderr and "exported 1 report(s)" in result.stderr
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM reports").fetchone() == (1,)


def test_an_unknown_target_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["export", str(NOVEMBER), "--to", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 2 and "out.xlsx" in result.stderr


def test_rows_keep_decimals_for_pandas_when_asked():
    result = parse_path(NOVEMBER)
    exact = rows(result.record, numbers="decimal")["pool"]
    assert all(isinstance(r["number"], (Decimal, int)) for r in exact if r["number"] is not None)
    assert any(isinstance(r["number"], Decimal) for r in exact)
    assert json.dumps(rows(result.record)["pool"])  # floats: what pandas and to_sql take


def test_exact_is_the_number_as_printed_not_in_exponent_form():
    record = parse_path(CORPUS / "usbank-absc-2002" / "absc_2002-he1_2002-11-15.txt").record
    factors = [r for r in rows(record)["classes"] if r["field"] == "per_1000.interest_shortfall"]
    assert factors and {r["exact"] for r in factors} == {"0.00000000"}
