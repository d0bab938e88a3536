"""The one runner (remitgrammar/runner.py): the CLI and the API run reports through it, so they agree;
a filing is one report however many byte forms of it are given; every export carries every finding
`check` gives; the public API hands out plain data only."""

from __future__ import annotations

import csv
import gzip
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

import remitgrammar
from remitgrammar import ConfigError, Finding, RemitError, check_file, iter_reports
from remitgrammar.cli import app
from remitgrammar.runner import run

ROOT = Path(__file__).resolve().parent.parent
DEAL = ROOT / "tests" / "corpus" / "usbank-absc-2003"
JUNE = DEAL / "absc_2003-he2_2003-06-16.txt"
NOVEMBER = DEAL / "absc_2003-he2_2003-11-17.txt"


def _key(finding) -> tuple:
    if isinstance(finding, Finding):
        finding = finding.as_dict()
    return finding["code"], finding.get("line"), finding["message"]


def _check_json(runner, *args) -> dict:
    """path -> findings of `check --output-format json`."""
    result = runner.invoke(app, ["check", "--output-format", "json", *map(str, args)])
    assert result.exit_code in (0, 1), result.stderr
    return {entry["path"]: entry["findings"] for entry in json.loads(result.stdout)["files"]}


# --------------------------------------------------------------------------- one runner, one answer

def test_check_file_with_a_history_that_holds_the_file_finds_what_check_finds(runner):
    """The history directory holds the report itself: it is not compared with itself (no RG406), and
    the June report of the deal still gives RG404, as the command line says."""
    api = check_file(NOVEMBER, history=[DEAL])
    cli = _check_json(runner, NOVEMBER, "--history", DEAL)[str(NOVEMBER)]
    codes = {f.code for f in api.findings}
    assert "RG404" in codes and "RG406" not in codes
    assert sorted(map(_key, api.findings)) == sorted(map(_key, cli))


def test_iter_reports_gives_the_findings_across_months_that_check_gives(runner):
    reports = list(iter_reports([JUNE, NOVEMBER], jobs=2))
    cli = _check_json(runner, JUNE, NOVEMBER)
    assert [r.name for r in reports] == [str(JUNE), str(NOVEMBER)]
    for report in reports:
        assert sorted(map(_key, report.findings)) == sorted(map(_key, cli[report.name]))
    assert "RG404" in {f.code for f in reports[1].findings}


def test_bad_input_is_a_result_with_findings_in_input_order(tmp_path):
    binary, empty = tmp_path / "binary.txt", tmp_path / "empty.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    empty.write_bytes(b"")
    names = [str(tmp_path / "missing.txt"), str(binary), str(empty), str(NOVEMBER)]
    results = list(run(names, keep=("findings",)))
    assert [r.name for r in results] == names
    assert [r.ok for r in results] == [False, False, False, True]
    assert all(r.findings and r.findings[0].severity == "error" and r.error for r in results[:3])
    assert results[3].error is None and results[3].record is None  # not kept: not sent


def test_a_configuration_error_is_the_only_exception():
    with pytest.raises(ConfigError, match="no reports given"):
        list(run([]))
    with pytest.raises(ConfigError, match="jobs takes"):
        list(run([NOVEMBER], jobs=-1))
    with pytest.raises(ConfigError):
        list(run([NOVEMBER], format_name="no-such-format"))


def test_workers_give_what_one_process_gives_history_included():
    one = [(r.name, r.findings, r.rows) for r in run([NOVEMBER, JUNE], history=[DEAL], jobs=1)]
    two = [(r.name, r.findings, r.rows) for r in run([NOVEMBER, JUNE], history=[DEAL], jobs=2)]
    assert one == two and all(rows["reports"] for _, _, rows in one)


# --------------------------------------------------------------------------- one filing, one report

def _copies(tmp_path: Path) -> list:
    """The November report as UTF-8, then gzipped, with CRLF line ends, and in cp1252 (a curly
    apostrophe: two bytes apart in the two encodings)."""
    text = NOVEMBER.read_text(encoding="utf-8").replace("Registrant's", "Registrant\u2019s")
    assert "\u2019" in text
    copies = tmp_path / "copies"
    copies.mkdir()
    (copies / "a.txt").write_bytes(text.encode("utf-8"))
    (copies / "b.txt.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    (copies / "c.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (copies / "d.txt").write_bytes(text.encode("cp1252"))
    return sorted(copies.iterdir())


def test_a_filing_in_four_byte_forms_is_one_row_of_reports(runner, tmp_path):
    files = _copies(tmp_path)
    assert len({f.read_bytes() for f in files}) == 4
    db = tmp_path / "out.sqlite"
    result = runner.invoke(app, ["export", *map(str, files), "--to", str(db)])
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT source FROM reports").fetchall() == [(str(files[0]),)]
    copies = [line for line in result.stderr.splitlines() if "RG130" in line]
    assert [line.split(":")[0] for line in copies] == [str(f) for f in files[1:]]  # each copy named once
    assert all("the same filing as a.txt" in line for line in copies)
    with sqlite3.connect(db) as connection:  # and in the findings, under the report the copies repeat
        named = connection.execute("SELECT message FROM findings WHERE code = 'RG130'").fetchall()
    assert sorted(named) == sorted((f"given again as {f.name}: that copy is left out",) for f in files[1:])


def test_an_export_of_no_report_writes_nothing_and_says_so(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    db = tmp_path / "out.sqlite"
    result = runner.invoke(app, ["export", str(tmp_path / "empty"), "--to", str(db)])
    assert result.exit_code == 0 and "no report to export: nothing written" in result.stderr and not db.exists()
    result = runner.invoke(app, ["export", str(tmp_path / "missing.txt"), "--to", str(db)])
    assert result.exit_code == 1 and "RG100" in result.stderr and not db.exists()


def test_a_json_line_of_export_names_its_deal_and_month(runner, tmp_path):
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["export", str(NOVEMBER), "--to", str(out)]).exit_code == 0
    line = json.loads(out.read_text(encoding="utf-8"))
    assert line["deal"] == "ASSET BACKED SECURITIES CORP HOME EQUITY LOAN TRUST / 2003-HE2"
    assert line["month"] == "2003-11" and line["distribution_date"] == "2003-11-17"


def test_check_names_each_copy_once_and_checks_the_filing_once(runner, tmp_path):
    files = _copies(tmp_path)
    found = _check_json(runner, *files)
    assert "RG406" not in {f["code"] for findings in found.values() for f in findings}
    for copy in files[1:]:
        assert [f["code"] for f in found[str(copy)]] == ["RG130"]
    assert len(found[str(files[0])]) > 1


def test_parse_writes_a_filing_once(runner, tmp_path):
    files = _copies(tmp_path)
    result = runner.invoke(app, ["parse", *map(str, files)])
    assert result.exit_code == 0 and json.loads(result.stdout)["source"]["path"] == str(files[0])
    assert result.stderr.count("RG130") == 3


def test_the_same_file_given_twice_is_one_report_in_the_api():
    first, again = iter_reports([NOVEMBER, NOVEMBER])
    assert first.ok and first.identity == again.identity and again.duplicate_of == str(NOVEMBER)
    assert [f.code for f in again.findings] == ["RG130"] and "RG406" not in {f.code for f in first.findings}


def test_an_edgar_submission_is_known_by_its_accession_number():
    submissions = sorted((ROOT / "tests" / "edgar").glob("*.txt"))
    assert submissions
    identities = [r.identity for r in run(submissions[:1], keep=())]
    assert identities and all(i.startswith("accession:") for i in identities)


# --------------------------------------------------------------------------- every finding exported

def test_every_export_carries_every_finding_check_gives(runner, tmp_path):
    cli = _check_json(runner, JUNE, NOVEMBER)
    expected = sorted((path, *_key(f)) for path, findings in cli.items() for f in findings)
    assert any(code == "RG404" for _, code, _, _ in expected)
    db, jsonl, folder = tmp_path / "out.sqlite", tmp_path / "out.jsonl", tmp_path / "csv"
    for target in (db, jsonl, folder):
        assert runner.invoke(app, ["export", str(JUNE), str(NOVEMBER), "--to", str(target)]).exit_code == 0
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT r.source, f.code, f.line, f.message FROM findings f "
                                    "JOIN reports r USING (report_id)").fetchall()
    assert sorted(stored) == expected
    sources = {row["report_id"]: row["source"] for row in csv.DictReader(open(folder / "reports.csv"))}
    written = [(sources[row["report_id"]], row["code"], int(row["line"]) if row["line"] else None, row["message"])
               for row in csv.DictReader(open(folder / "findings.csv"))]
    assert sorted(written) == expected
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert sorted((r["source"]["path"], *_key(f)) for r in lines for f in r["check_findings"]) == expected


# --------------------------------------------------------------------------- plain data only

PLAIN = (dict, list, tuple, str, int, float, bool, Decimal, type(None), Finding)


def _types(value) -> set:
    if isinstance(value, dict):
        return {type(value)} | {t for k, v in value.items() for t in _types(k) | _types(v)}
    if isinstance(value, (list, tuple)):
        return {type(value)} | {t for v in value for t in _types(v)}
    if isinstance(value, Finding):
        return {Finding} | {t for v in vars(value).values() for t in _types(v)}
    return {type(value)}


def test_the_public_api_hands_out_plain_data_only():
    report = check_file(NOVEMBER, history=[JUNE])
    assert _types(vars(report)) <= set(PLAIN) | {str}
    assert _types(remitgrammar.parse_file(NOVEMBER, provenance=True)) <= set(PLAIN)
    for name in remitgrammar.__all__:
        module = getattr(getattr(remitgrammar, name), "__module__", "remitgrammar") or ""
        assert "lark" not in module and "pipeline" not in module


def test_a_partial_parse_raises_with_the_record_of_what_parsed_and_no_parse_tree():
    text = NOVEMBER.read_text(encoding="utf-8").split("\n")
    text.insert(90, "THIS LINE FITS NO TABLE 1 2 3 4 5")
    with pytest.raises(RemitError) as caught:
        remitgrammar.parse_text("\n".join(text), name="changed.txt")
    error = caught.value
    assert error.result is None and isinstance(error.record, dict) and error.record["classes"]
    assert _types(error.record) <= set(PLAIN) and error.findings[0].code.startswith("RG1")


def test_one_parse_text():
    from remitgrammar import api

    assert remitgrammar.parse_text is api.parse_text
    record = remitgrammar.parse_text(NOVEMBER.read_text(encoding="utf-8"), name="nov.txt")
    assert record["distribution_date"] == "2003-11-17"
