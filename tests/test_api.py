"""The Python API: check_file, iter_reports and the Report object (its docstring examples run here)."""

from __future__ import annotations

import doctest
from decimal import Decimal
from pathlib import Path

import pytest

import remitgrammar.api
from remitgrammar import Report, check_file, iter_reports

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
JUNE = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
NOVEMBER = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"


def test_the_documented_examples_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    failed, tried = doctest.testmod(remitgrammar.api, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried >= 5 and failed == 0


def test_iter_reports_in_order_in_workers_as_in_one_process():
    one = [(r.name, r.record, [f.code for f in r.findings]) for r in iter_reports([CORPUS])]
    two = [(r.name, r.record, [f.code for f in r.findings]) for r in iter_reports([CORPUS], jobs=2)]
    assert one == two and len(one) == len(list(CORPUS.glob("*/*.txt")))
    assert isinstance(one[0][1]["classes"][0]["ending_balance"], Decimal)


def test_check_file_with_history_compares_the_months():
    alone = check_file(NOVEMBER)
    compared = check_file(NOVEMBER, history=[JUNE])
    assert not {f.code for f in alone.findings if f.code.startswith("RG4")}
    assert "RG404" in {f.code for f in compared.findings}  # four months between June and November


def test_a_report_that_does_not_parse_is_a_report_with_its_findings(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("STATEMENT TO CERTIFICATEHOLDERS\nnothing else\n", encoding="utf-8")
    (report,) = list(iter_reports([bad]))
    assert isinstance(report, Report) and not report.ok and report.findings[0].severity == "error"
    assert report.findings[0].code.startswith("RG1")


def test_rows_and_json():
    report = check_file(NOVEMBER)
    assert report.to_json().startswith("{") and '"provenance"' in report.to_json(provenance=True)
    assert {r["code"] for r in report.rows("findings")} == {f.code for f in report.findings}
    with pytest.raises(ValueError, match="no table"):
        report.rows("trades")


def test_the_readme_example_runs(monkeypatch):
    """README.md's Python example, but for the pandas lines (pandas is not a dependency)."""
    monkeypatch.chdir(ROOT)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```python\n>>> from remitgrammar import check_file", 1)[1].split("```", 1)[0]
    example = ">>> from remitgrammar import check_file" + "\n".join(
        line for line in block.split("\n") if "pandas" not in line and "pd." not in line)
    test = doctest.DocTestParser().get_doctest(example, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.tries >= 3 and runner.failures == 0
