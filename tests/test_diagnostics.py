"""Parse errors: every bad line in one run, with its section; curated messages; partial records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from remitgrammar import RemitError, parse_text
from remitgrammar.cli import app
from remitgrammar.parse.diagnose import _example_signatures
from remitgrammar.parse.tree import parse_tree
from remitgrammar.formats.search import get_format

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
EXAMPLES = ROOT / "specs" / "errors" / "usbank-absc.yaml"


def broken() -> str:
    text = SEED.read_text()
    text = text.replace("      A-2        213,560,000", "      A-2   ?    213,560,000")  # summary
    text = text.replace("Servicing Fee                                          305,569",
                        "Servicing Fee                                          305,569 USD")  # remittance
    return text


def test_every_bad_line_is_reported_in_one_run_and_the_rest_still_parses():
    with pytest.raises(RemitError) as info:
        parse_text(broken(), name="broken.txt")
    error = info.value
    assert [(f.code, f.line) for f in error.findings] == [("RG101", 82), ("RG101", 225)]
    assert "in section distribution_summary" in error.findings[0].message
    assert "in section remittance_table" in error.findings[1].message
    record = error.record
    assert record["pool"]["wam_months"] == 349  # the footer parsed
    assert record["classes"][0]["ending_balance"] == 390080095
    assert "servicing_fee" not in record["pool"]  # its line was the bad one


def test_expected_names_what_the_open_table_would_take():
    with pytest.raises(RemitError) as info:
        parse_text(broken(), name="broken.txt")
    expected = info.value.findings[0].expected
    assert "a class row (class name, then values)" in expected and "the Total row" in expected


def test_every_curated_example_fails_where_it_says():
    """Each example yields one signature (a parser state and a kind of line), in order."""
    examples = yaml.safe_load(EXAMPLES.read_text())["examples"]
    signatures = _example_signatures(get_format("usbank-absc-2003"))
    assert [message for _, message in signatures] == [e["message"] for e in examples]


def test_curated_messages_reach_the_user():
    with pytest.raises(RemitError) as info:
        parse_text(broken(), name="broken.txt")
    first, second = info.value.findings
    assert "neither a class name nor a value" in first.message
    assert "followed by a word (a unit, a footnote mark?)" in second.message


def test_cli_parse_prints_every_error_and_still_writes_the_partial_record(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_text(broken())
    result = CliRunner().invoke(app, ["parse", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:82:7: RG101" in result.stderr and f"{bad}:225:1: RG101" in result.stderr
    record = json.loads(result.stdout)
    assert record["pool"]["wam_months"] == 349
    assert [f["line"] for f in record["findings"] if f["code"] == "RG101"] == [82, 225]


def test_check_runs_the_rules_on_the_sections_that_parsed(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_text(broken())
    result = CliRunner().invoke(app, ["check", str(bad), "--output-format", "json"])
    codes = [f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert codes.count("RG101") == 2 and "RG303" in codes and result.exit_code == 1


def test_a_report_cut_off_names_the_sections_it_lacks_and_keeps_the_sections_before():
    text = "".join(SEED.read_text().splitlines(keepends=True)[:85])
    parsed = parse_tree(text + "\n", get_format("usbank-absc-2003"))
    assert [t.data for t in parsed.tree.children] == ["cover_page", "statement_heading", "distribution_summary"]
    assert parsed.findings == []  # every line read fits: what is missing is the sections after them
    with pytest.raises(RemitError) as info:
        parse_text(text, name="cut.txt")
    missing = [f for f in info.value.findings if f.code == "RG109"]
    assert {f.message.split()[4] for f in missing} == {"per_unit", "shortfalls"} and {f.line for f in missing} == {85}
    record = info.value.record
    assert record["filing"]["series"] == "2003-HE2" and record["distribution_date"] == "2003-06-16"
    assert [c["class"] for c in record["classes"]][:2] == ["A-1", "A-2"]


def test_a_text_that_ends_after_a_section_title_is_cut_off():
    text = "".join(SEED.read_text().splitlines(keepends=True)[:79]) + "AMOUNTS PER $1,000 UNIT\n"
    parsed = parse_tree(text, get_format("usbank-absc-2003"))
    assert [f.code for f in parsed.findings] == ["RG102"]
    assert "inside section per_unit" in parsed.findings[0].message
    assert "a line of column headings" in parsed.findings[0].expected
