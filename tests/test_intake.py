"""Filings as EDGAR serves them: every form gives the plain seed's record, with the file's own line numbers.

Each case is made from a seed: the same statement wrapped, encoded or marked up
the way EDGAR or a filer did it. The record must equal the plain seed's, and
every value's provenance must point at its text in the file as given.
"""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

import pytest

from remitgrammar.cli import app
from remitgrammar.errors import RemitError
from remitgrammar.intake.edgar import plain
from remitgrammar.pipeline import parse_path, parse_reports

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-11-17.txt"
JUNE = ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"
SUBMISSION = ROOT / "tests" / "edgar" / "absc_2003-he2_2003-11-17.submission.txt"


def results(data: bytes, name: str = "case.txt") -> list:
    outcomes = [outcome for _, outcome in parse_reports(name, data=data)]
    for outcome in outcomes:
        if isinstance(outcome, RemitError):
            raise outcome
    return outcomes


def same_record(result, seed=SEED) -> None:
    """The data of the record equals the seed's; line numbers may differ (they are the file's)."""
    expected = parse_path(seed).record
    for key in ("filing", "distribution_date", "classes", "class_totals", "collateral", "delinquency", "pool"):
        assert result.record[key] == expected[key], key
    strip = [{k: v for k, v in e.items() if k != "line"} for e in result.record["extra"]]
    assert strip == [{k: v for k, v in e.items() if k != "line"} for e in expected["extra"]]
    assert [f["code"] for f in result.record["findings"]] == [f["code"] for f in expected["findings"]]


def points_into(result, data: str) -> None:
    """Every value's provenance names the line and column of its text in the file as given."""
    lines = data.split("\n")
    for path, where in result.provenance.items():
        line = lines[where["line"] - 1]
        start = where["column"] - 1
        assert line[start:start + len(where["text"])] == where["text"], (path, where, line)


def test_the_seed_as_edgar_serves_it():
    data = SUBMISSION.read_bytes()
    (result,) = results(data, str(SUBMISSION))
    same_record(result)
    points_into(result, data.decode())
    edgar = result.record["source"]["edgar"]
    assert {k: edgar[k] for k in ("accession", "cik", "company", "form_type", "period", "filed")} == {
        "accession": "0000949338-03-000871", "cik": "0000949338", "company": "ASSET BACKED SECURITIES CORP",
        "form_type": "8-K", "period": "2003-11-17", "filed": "2003-11-21"}
    assert [(d["type"], d["sequence"], d["first_line"], d["last_line"]) for d in edgar["documents"]] == [
        ("8-K", 1, 39, 106), ("EX-99.1", 2, 115, 406)]
    assert edgar["skipped"] == [{"type": "EX-99.2", "sequence": 3, "description": "SERVICER CERTIFICATE"}]
    assert result.provenance["classes[A-1].ending_balance"]["line"] > 115


def _same_lines(result) -> None:
    seed = parse_path(SEED)
    assert {k: w["line"] for k, w in result.provenance.items()} == {k: w["line"] for k, w in seed.provenance.items()}


@pytest.mark.parametrize("form", ["crlf", "cr", "bom", "utf8_apostrophe", "cp1252_apostrophe", "form_feeds",
                                  "gzip"])
def test_bytes_and_line_ends_keep_the_record_and_its_lines(form):
    text = SEED.read_text(encoding="utf-8")
    data = {
        "crlf": lambda: text.replace("\n", "\r\n").encode(),
        "cr": lambda: text.replace("\n", "\r").encode(),
        "bom": lambda: b"\xef\xbb\xbf" + text.encode(),
        "utf8_apostrophe": lambda: text.replace("Registrant's", "Registrant\u2019s").encode("utf-8"),
        "cp1252_apostrophe": lambda: text.replace("Registrant's", "Registrant\x92s").encode("latin-1"),
        "form_feeds": lambda: text.replace("\nDISTRIBUTION SUMMARY", "\n\fDISTRIBUTION SUMMARY").replace(
            "\nAMOUNTS PER", "\n\f AMOUNTS PER").encode(),
        "gzip": lambda: gzip.compress(text.encode()),
    }[form]()
    (result,) = results(data)
    same_record(result)
    _same_lines(result)


def test_page_markup_lines_are_not_content_and_lines_name_the_file():
    lines = SEED.read_text(encoding="utf-8").split("\n")
    marked = []
    for number, line in enumerate(lines, 1):
        if number in (120, 200, 260):
            marked += ["<PAGE>", "<TABLE>", "<S>         <C>            <C>", "</TABLE>"]
        marked.append(line)
    data = "\n".join(marked)
    (result,) = results(data.encode())
    same_record(result)
    points_into(result, data)
    assert result.provenance["classes[A-1].ending_balance"]["line"] == \
        parse_path(SEED).provenance["classes[A-1].ending_balance"]["line"] + 4


def test_html_page_with_the_statement_in_pre():
    text = SEED.read_text(encoding="utf-8")
    page = "<HTML>\n<HEAD><TITLE>8-K</TITLE></HEAD>\n<BODY>\n<PRE>\n" + html.escape(text).replace(
        "STATEMENT TO", "<B>STATEMENT</B> TO") + "</PRE>\n</BODY>\n</HTML>\n"
    (result,) = results(page.encode())
    same_record(result)
    assert result.provenance["classes[A-1].ending_balance"]["line"] == \
        parse_path(SEED).provenance["classes[A-1].ending_balance"]["line"] + 4


def test_escaped_leading_hyphens_are_undone():
    assert plain("- ----------\nSome text\n").text == "----------\nSome text\n"


def test_a_submission_combined_with_crlf_and_gzip():
    data = SUBMISSION.read_text(encoding="utf-8").replace("\n", "\r\n").encode()
    (result,) = results(gzip.compress(data))
    same_record(result)
    points_into(result, SUBMISSION.read_text(encoding="utf-8"))


def _submission(*documents) -> bytes:
    parts = ["<SEC-DOCUMENT>x.txt", "<SEC-HEADER>", "ACCESSION NUMBER:\t\t0000000000-03-000001", "</SEC-HEADER>"]
    for sequence, (kind, text) in enumerate(documents, 1):
        parts += ["<DOCUMENT>", f"<TYPE>{kind}", f"<SEQUENCE>{sequence}", "<TEXT>", text.rstrip("\n"), "</TEXT>",
                  "</DOCUMENT>"]
    return ("\n".join(parts + ["</SEC-DOCUMENT>"]) + "\n").encode()


def test_two_deals_in_one_submission_give_two_records():
    data = _submission(("8-K", "A cover page naming two trusts."), ("EX-99.1", JUNE.read_text()),
                       ("EX-99.2", SEED.read_text()))
    first, second = results(data)
    same_record(first, JUNE)
    same_record(second, SEED)
    assert [d["type"] for d in second.record["source"]["edgar"]["documents"]] == ["EX-99.2"]


def test_a_submission_without_a_statement_names_its_documents():
    data = _submission(("EX-4.1", "POOLING AND SERVICING AGREEMENT\nArticle I. Definitions.\n"))
    with pytest.raises(RemitError) as caught:
        results(data)
    assert caught.value.finding.code == "RG111"
    assert "it holds EX-4.1 (sequence 1)" in caught.value.finding.message


@pytest.mark.parametrize("data,what", [(b"%PDF-1.4\n%...", "a PDF document"), (b"PK\x03\x04rest", "a zip archive"),
                                       (b"\x89PNG\r\n\x1a\n....", "a PNG image")])
def test_what_is_not_a_text_report_is_named(data, what):
    with pytest.raises(RemitError) as caught:
        results(data)
    assert caught.value.finding.message == f"the file is {what}, not a text report"


def test_directories_standard_input_and_a_list_file(runner, tmp_path):
    folder = tmp_path / "filings" / "deep"
    folder.mkdir(parents=True)
    (folder / "b.txt").write_text(SEED.read_text())
    (folder / "a.gz").write_bytes(gzip.compress(JUNE.read_bytes()))
    (folder / "notes.json").write_text("{}")
    done = runner.invoke(app, ["parse", str(tmp_path / "filings")])
    assert done.exit_code == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["distribution_date"] for r in records] == ["2003-06-16", "2003-11-17"]  # sorted: a.gz, b.txt
    piped = runner.invoke(app, ["parse", "-"], input=SEED.read_bytes())
    assert json.loads(piped.stdout)["source"]["path"] == "<stdin>"
    listing = tmp_path / "list.txt"
    listing.write_text(f"{SEED}\n# a comment\n{JUNE}\n")
    listed = runner.invoke(app, ["check", "--files-from", str(listing)])
    assert "2 file(s)" in listed.stdout


def test_detect_on_a_submission_names_the_documents_it_read(runner):
    done = runner.invoke(app, ["detect", str(SUBMISSION)])
    assert done.exit_code == 0
    assert "looked at 8-K (sequence 1, lines 39-106), EX-99.1 (sequence 2, lines 115-406)" in done.stdout
    assert "MATCH usbank-absc-2003" in done.stdout


def test_column_markers_decide_a_cell_the_headings_leave_in_doubt():
    """<C> markers say where each column starts: a wide number right-aligned under Prin, whose
    left edge reaches under Beg Bal, is Prin's."""
    from lark import Token

    from remitgrammar.parse.columns import assign, heading_columns, snap
    from remitgrammar.parse.values import split_row
    heading = Token("HEADING", "Class          Beg Bal        Prin", line=1, column=1)
    _, cells = split_row("A-1                 12,345,678", 2, 1)
    value_columns = heading_columns([heading])[1:]
    assert [c.name for c, _ in assign(cells, value_columns)] == ["Beg Bal"]  # by the headings alone
    snap(value_columns, [12, 20])
    assert [c.name for c, _ in assign(cells, value_columns)] == ["Prin"]


def test_marker_lines_reach_the_columns_of_the_rows_under_them():
    text = "<TABLE>\n<S>        <C>         <C>\nA-1   1   2\n</TABLE>\nafter\n"
    extract = plain(text)
    assert extract.text == "A-1   1   2\nafter\n"
    assert extract.column_starts == {1: [12, 24]}


def test_a_bad_line_inside_a_submission_is_reported_at_the_submissions_line():
    text = SUBMISSION.read_text(encoding="utf-8")
    lines = text.split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("Ending Balance"))
    lines[number - 1] = "Ending Balance    472,993,653    ? ?"
    outcome = next(outcome for _, outcome in parse_reports("bad.txt", data="\n".join(lines).encode()))
    assert isinstance(outcome, RemitError)
    assert outcome.finding.line == number
    assert outcome.finding.source_line == lines[number - 1]


def test_a_store_of_fetch_is_read_by_its_layout_only_two_levels_deep(runner, tmp_path):
    """A directory marked by fetch's manifest gives its <cik>/<accession>.txt.gz files and nothing else,
    whether it is named or met inside a directory being walked; a manifest that is a link marks nothing."""
    from remitgrammar.intake.sources import STORE_MANIFEST, expand

    store = tmp_path / "walked" / "store"
    (store / "0000949338" / "deeper").mkdir(parents=True)
    (store / STORE_MANIFEST).write_text("{}")
    (store / "0000949338" / "0000949338-03-000871.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (store / "0000949338" / "0000949338-03-000512.txt.gz").write_bytes(gzip.compress(JUNE.read_bytes()))
    (store / "0000949338" / ".0000949338-03-000990.txt.gz.x1.part").write_bytes(b"half")
    (store / "0000949338" / "deeper" / "0000949338-03-000777.txt.gz").write_bytes(b"not read")
    (store / "0000949338" / "notes.txt").write_text("not a report")
    (store / "README.txt").write_text("not a report")
    (store / "1234567890").symlink_to(store / "0000949338")  # a link to a directory: not followed
    names = [i.name for i in expand([store])]
    assert names == [str(store / "0000949338" / f"0000949338-03-000{n}.txt.gz") for n in ("512", "871")]
    assert [i.name for i in expand([tmp_path / "walked"])] == names
    done = runner.invoke(app, ["parse", str(tmp_path / "walked")])
    assert done.exit_code == 0, done.stderr
    assert [json.loads(line)["distribution_date"] for line in done.stdout.splitlines()] == ["2003-06-16", "2003-11-17"]
    (store / STORE_MANIFEST).unlink()
    (store / STORE_MANIFEST).symlink_to(tmp_path / "elsewhere.json")
    assert len(expand([store])) == 5  # no longer a store: every visible file with a report's suffix, deeper too
