"""`remitgrammar view`: the pages it writes, where, under which names, and what it refuses (the
pages' content is tests/test_view_page.py's and tests/test_view_deal.py's; in a browser,
tests/test_view_browser.py's)."""

from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from remitgrammar.cli import app

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
HE2 = CORPUS / "usbank-absc-2003"
runner = CliRunner()


class Links(HTMLParser):
    """Every href of a page, and the text of its <title>."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.title, self._in_title = [], "", False

    def handle_starttag(self, tag, attrs):
        self._in_title = tag == "title"
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def local_pages(page: Path) -> set:
    """The pages a page links to (fragments dropped), resolved."""
    return {(page.parent / h.split("#")[0]).resolve() for h in links(page).hrefs if h.split("#")[0]}


def view(*args):
    return runner.invoke(app, ["view", *map(str, args)])


def test_a_deal_of_three_months_gets_its_pages_linked_from_the_index(tmp_path):
    out = tmp_path / "site"
    result = view(HE2, "-o", out)  # three months of 2003-HE2, one of 2003-HE4
    assert result.exit_code == 0, result.output
    index = out / "index.html"
    assert result.stdout.strip() == str(index)
    assert "wrote 4 report page(s) and 2 deal page(s)" in result.stderr
    deal = out / "asset-backed-securities-corp-home-equity-loan-trust-2003-he2"
    assert {p.name for p in out.iterdir() if p.is_dir()} == {deal.name, deal.name[:-1] + "4"}
    assert local_pages(index) == {(deal / "index.html").resolve(), (out / (deal.name[:-1] + "4") / "index.html").resolve()}
    months = local_pages(deal / "index.html") - {index.resolve()}
    assert {p.name for p in months} == {"absc_2003-he2_2003-06-16.html", "absc_2003-he2_2003-11-17.html",
                                        "absc_2003-he2_2003-12-15.written.html"}
    assert all(p.is_file() for p in months)
    page = deal / "absc_2003-he2_2003-11-17.html"
    assert (deal / "index.html").resolve() in local_pages(page)  # back to the deal
    assert "2003-11" in links(page).title


def test_a_copy_of_a_filing_gets_no_page_and_is_named(tmp_path):
    out = tmp_path / "site"
    result = view(CORPUS / "payment-report", "-o", out)
    assert result.exit_code == 0, result.output
    assert "pellbrook_2001-2_2001-06-25.txt is the same filing as" in result.stderr
    pages = sorted(p.name for p in out.glob("pellbrook*/*.html"))
    assert pages == ["index.html", "pellbrook_2001-2_2001-06-25.submission.html"]
    assert "pellbrook_2001-2_2001-06-25.txt" in (out / "index.html").read_text(encoding="utf-8")


def test_hostile_file_names_make_safe_page_names_inside_out(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    # five filings (a copy would be reported once), three of one deal, so their pages share a folder
    samples = sorted(HE2.glob("absc_2003-he2_*.txt")) + [CORPUS / "payment-report" / "quillfield_2005-3_2005-08-25.txt",
                                                        CORPUS / "dollars-statement" / "lakeshore_1996-2_1996-12-26.txt"]
    names = ["INDEX.txt", "index.txt", "<script>alert(1)<!script>.txt", "..txt", "a\x07b.txt"]
    for sample, name in zip(samples, names, strict=True):
        shutil.copy(sample, inputs / name)
    out = tmp_path / "site"
    result = view(*[inputs / name for name in names], "-o", out)  # named: a walk passes over hidden files
    assert result.exit_code == 0, result.output
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(out in p.parents for p in written)
    pages = sorted(p.name for p in written if p.name != "index.html")
    assert len(pages) == len(names)
    assert all(set(p) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") for p in pages)
    assert len({p.casefold() for p in pages}) == len(pages)  # told apart on a case-blind disk too
    assert not any(p.casefold() == "index.html" for p in pages)


def test_a_report_that_does_not_parse_gets_its_page_and_exit_1(tmp_path):
    bad = tmp_path / "not-a-report.txt"
    bad.write_text("Nothing here is a remittance report.\nJust two lines.\n", encoding="utf-8")
    out = tmp_path / "site"
    result = view(bad, HE2 / "absc_2003-he2_2003-11-17.txt", "-o", out)
    assert result.exit_code == 1, result.output
    assert "not-a-report.txt did not parse in full" in result.stderr
    page = out / "no-deal" / "not-a-report.html"
    text = page.read_text(encoding="utf-8")
    assert "RG1" in text  # its findings say why
    assert (out / "no-deal").resolve() / "index.html" in {p for p in local_pages(out / "index.html")}


def test_out_that_is_a_file_or_a_link_is_a_usage_error(tmp_path):
    afile = tmp_path / "file"
    afile.write_text("x", encoding="utf-8")
    result = view(HE2 / "absc_2003-he2_2003-11-17.txt", "-o", afile)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "is not a directory" in result.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "site"
    out.mkdir()
    os.symlink(elsewhere, out / "asset-backed-securities-corp-home-equity-loan-trust-2003-he2")
    result = view(HE2 / "absc_2003-he2_2003-11-17.txt", "-o", out)
    assert result.exit_code == 2 and "link" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_page_of_an_earlier_run_is_replaced_and_a_link_in_its_place_is_not_followed(tmp_path):
    out = tmp_path / "site"
    assert view(HE2 / "absc_2003-he2_2003-11-17.txt", "-o", out).exit_code == 0
    (page,) = out.glob("*/absc_2003-he2_2003-11-17.html")
    page.write_text("old", encoding="utf-8")
    assert view(HE2 / "absc_2003-he2_2003-11-17.txt", "-o", out).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    target = tmp_path / "victim.html"
    target.write_text("keep me", encoding="utf-8")
    page.unlink()
    os.symlink(target, page)
    result = view(HE2 / "absc_2003-he2_2003-11-17.txt", "-o", out)
    assert result.exit_code == 2 and "not a regular file" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


def test_months_compared_with_history_show_their_findings_across_months(tmp_path):
    history = tmp_path / "history"
    history.mkdir()
    shutil.copy(HE2 / "absc_2003-he2_2003-06-16.txt", history)
    out = tmp_path / "site"
    result = view(HE2 / "absc_2003-he2_2003-11-17.txt", "--history", history, "-o", out)
    assert result.exit_code == 0, result.output
    assert "wrote 1 report page(s)" in result.stderr  # the history is compared, given no page
    (page,) = out.glob("*/absc_2003-he2_2003-11-17.html")
    assert "RG4" in page.read_text(encoding="utf-8")  # months missing between June and November


def test_page_text_shows_controls_and_marks_that_reorder_a_line_one_character_each():
    from remitgrammar.view.html import attr, text

    assert text("<b>\x07\x1b[31m A&B") == "&lt;b&gt;\u2407\u241b[31m A&amp;B"
    # U+202E would show "12,345" as "543,21": each such mark one replacement character, columns kept
    assert text("Balance \u202e12,345\u202c") == "Balance \ufffd12,345\ufffd"
    assert attr('"\u2066x\u2069\x85') == "&quot;\ufffdx\ufffd\ufffd"


def test_out_inside_the_input_directory_is_not_read_again(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(HE2 / "absc_2003-he2_2003-11-17.txt", inputs)
    for _ in range(2):  # the second run walks past the pages of the first
        result = view(inputs, "-o", inputs / "site")
        assert result.exit_code == 0, result.output
        assert "wrote 1 report page(s) and 1 deal page(s)" in result.stderr
    assert not (inputs / "site" / "no-deal").exists()


def test_a_file_given_twice_is_one_page_and_said_so(tmp_path):
    sample = HE2 / "absc_2003-he2_2003-11-17.txt"
    result = view(sample, sample, "-o", tmp_path / "site")
    assert result.exit_code == 0, result.output
    assert f"{sample} is given again: one page, under the first name" in result.stderr
    assert "wrote 1 report page(s)" in result.stderr
