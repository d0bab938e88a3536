"""Statements filed as HTML tables, read by the same formats as the text ones (issue 25): each family's
HTML sample of tests/html/ gives the record its text sample in tests/corpus/ gives, its values placed
in the HTML file as given; a 10-D submission carries one as its EX-99.1; an HTML page that holds no
statement is one finding saying what it held."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from remitgrammar import api
from remitgrammar.pipeline import parse_reports

HERE = Path(__file__).parent
SAMPLES = sorted((HERE / "html").glob("*/*.htm"))
WHERE = ("line", "column", "end_line")


def _text_twin(sample: Path) -> Path:
    return HERE / "corpus" / sample.parent.name / (sample.stem + ".txt")


def _without_places(value):
    """A record with the lines and columns it names left out (they are the file's own: an HTML file's
    differ from its text twin's), and "line N" in messages made one."""
    if isinstance(value, dict):
        return {k: _without_places(v) for k, v in value.items() if k not in WHERE and k != "source"}
    if isinstance(value, list):
        return [_without_places(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\blines? \d+", "line N", value)
    return value


def test_every_family_has_an_html_sample():
    families = {p.name for p in (HERE / "corpus").iterdir() if p.is_dir()}
    assert {s.parent.name for s in SAMPLES} == families


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_the_html_statement_gives_the_record_of_its_text_twin(sample):
    text, page = api.check_file(_text_twin(sample)), api.check_file(sample)
    assert page.record["source"]["format"] == text.record["source"]["format"] == sample.parent.name
    assert _without_places(page.record) == _without_places(text.record)
    assert [(f.code, f.severity, f.path) for f in page.findings] == [(f.code, f.severity, f.path) for f in text.findings]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_every_value_is_placed_on_its_cell_in_the_html_file(sample):
    report = api.check_file(sample)
    lines = sample.read_text(encoding="utf-8").split("\n")
    provenance = report.provenance
    assert provenance
    for path, where in provenance.items():
        source = lines[where["line"] - 1][where["column"] - 1:]
        printed = where["text"]
        # the file prints the value's text there, its entities as entities
        assert html.unescape(source[:len(printed) + 40]).replace("\u00a0", " ").startswith(printed), (path, where)


def test_a_10d_submission_reads_its_html_exhibit():
    submission = HERE / "html" / "edgar" / "quillfield_2005-3_2005-08-25.10-d.txt"
    exhibit = HERE / "html" / "payment-report" / "quillfield_2005-3_2005-08-25.htm"
    filed, alone = api.check_file(submission), api.check_file(exhibit)
    edgar = filed.record["source"]["edgar"]
    assert edgar["form_type"] == "10-D"
    assert [d["type"] for d in edgar["documents"]] == ["EX-99.1"]
    assert [d["type"] for d in edgar["skipped"]] == ["10-D"]
    assert _without_places(filed.record) == _without_places(alone.record)
    # provenance names the submission's lines: the exhibit's own, moved by what stands before it
    lines = submission.read_text(encoding="utf-8").split("\n")
    first = edgar["documents"][0]["first_line"]
    for where in filed.provenance.values():
        assert where["line"] >= first
        assert html.unescape(lines[where["line"] - 1][where["column"] - 1:]).startswith(where["text"][:1])


def test_an_html_page_that_holds_no_statement_is_one_finding_naming_what_it_holds():
    [(_, outcome)] = list(parse_reports(HERE / "html" / "not-a-statement.htm"))
    assert [f.code for f in outcome.findings] == ["RG110"]
    assert "the file is an HTML document of 2 table(s), 8 row(s), 24 cell(s)" in outcome.finding.message


def test_a_finding_on_a_long_html_line_quotes_the_piece_around_its_cell(tmp_path):
    from typer.testing import CliRunner

    from remitgrammar.cli import app

    sample = HERE / "html" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.htm"
    one_line = sample.read_text(encoding="utf-8").replace("\n", " ")  # a whole document on one line
    assert "5,019,904" in one_line
    page = tmp_path / "one-line.htm"
    page.write_text(one_line.replace("5,019,904", "5,01,9904", 1))  # a misprint: a malformed number
    result = CliRunner().invoke(app, ["check", str(page), "--no-cache"])
    lines = result.output.split("\n")
    at = next(i for i, line in enumerate(lines) if " RG113 " in line)
    quoted, caret = lines[at + 1], lines[at + 2]
    assert quoted.startswith("  | ...") and len(quoted) < 220
    assert quoted[caret.index("^"):].startswith("5,01,9904")


def test_detect_names_the_html_files_lines():
    from typer.testing import CliRunner

    from remitgrammar.cli import app

    sample = HERE / "html" / "payment-report" / "quillfield_2005-3_2005-08-25.htm"
    output = CliRunner().invoke(app, ["detect", str(sample)]).output
    line = int(re.search(r"has forbidden 'Certificate Payment Report' \(line (\d+)\)", output).group(1))
    assert "Certificate Payment Report</B>" in sample.read_text(encoding="utf-8").split("\n")[line - 1]
