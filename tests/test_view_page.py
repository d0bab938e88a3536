"""A report's page (remitgrammar/view/page.py), read back with Python's HTML parser: every value
marked where the file prints it, the legend's counts coverage's, every finding under its line, a
hostile report shown as text, and a Content-Security-Policy naming the page's own style and script.

Pages are made from real results (``runner.run`` on the corpus); what a browser shows is
tests/test_view_browser.py's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remitgrammar.cli.app import app
from remitgrammar.errors import Finding
from remitgrammar.records import parse_rendered, value_at
from remitgrammar.runner import run
from remitgrammar.view.page import report_page

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "corpus" / "payment-report" / "carrowmere_2002-nc4_2003-10-27.txt"
SAMPLES = [SAMPLE, ROOT / "tests" / "corpus" / "dollars-statement" / "tolland_1998-c_1998-11-25.txt",
           ROOT / "tests" / "corpus" / "usbank-absc-2003" / "absc_2003-he4_2003-12-15.txt",
           ROOT / "tests" / "corpus" / "distribution-summary" / "cobalthill_2002-4_2002-11-25.txt"]
SUBMISSION = ROOT / "tests" / "edgar" / "absc_2003-he2_2003-11-17.submission.txt"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code != 0x09} | {0x7F: "\u2421"}


class Page(HTMLParser):
    """What a page holds: its elements (tag, attributes), the text of each line and the marks in
    it with their offsets, the findings under each line, and the texts of its style and script."""

    def __init__(self, markup: str):
        super().__init__()
        self.elements: list = []
        self.lines: dict = {}  # line number -> {"text": str, "marks": [(offset, attrs, text)], "findings": [attrs]}
        self.texts: dict = {}  # id -> text inside that element
        self.styles: list = []
        self.scripts: list = []
        self.title = ""
        self._stack: list = []  # (tag, attrs) of open elements
        self._line = None
        self._mark = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "l" in classes:
            self._line = self.lines.setdefault(int(attrs["data-line"]), {"text": None, "marks": [], "findings": []})
        elif tag == "span" and "t" in classes and self._line is not None:
            self._line["text"] = ""
        elif tag == "mark" and self._line is not None and self._line["text"] is not None and self._in_text():
            self._mark = [len(self._line["text"]), attrs, ""]
        elif tag == "div" and "finding" in classes and self._line is not None:
            self._line["findings"].append(attrs)
        if tag == "style":
            self.styles.append("")
        if tag == "script":
            self.scripts.append("")
        if tag not in VOID:
            self._stack.append((tag, attrs))
            for _tag, ancestor in self._stack:
                if ancestor.get("id"):
                    self.texts.setdefault(ancestor["id"], "")

    def _in_text(self) -> bool:
        return any(tag == "span" and "t" in (a.get("class") or "").split() for tag, a in self._stack)

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self._line["marks"].append(tuple(self._mark))
            self._mark = None
        while self._stack:
            open_tag, attrs = self._stack.pop()
            if open_tag == "div" and "l" in (attrs.get("class") or "").split():
                self._line = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._stack and self._stack[-1][0] == "style":
            self.styles[-1] += data
        if self._stack and self._stack[-1][0] == "script":
            self.scripts[-1] += data
        if self._stack and self._stack[-1][0] == "title":
            self.title += data
        if self._line is not None and self._line["text"] is not None and self._in_text():
            self._line["text"] += data
            if self._mark is not None:
                self._mark[2] += data
        for _tag, attrs in self._stack:
            if attrs.get("id"):
                self.texts[attrs["id"]] += data

    def find(self, tag: str, **wanted) -> list:
        return [a for t, a in self.elements if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())]


def result_of(path: Path, keep=("record", "findings", "view", "provenance")):
    results = [r for r in run([path], keep=set(keep)) if r.view is not None]
    assert len(results) == 1, [r.name for r in results]
    return results[0]


def page_of(result, **options) -> tuple[str, Page]:
    markup = report_page(result.name, result.view, result.findings, **options)
    return markup, Page(markup)


@pytest.fixture(scope="module")
def sample():
    result = result_of(SAMPLE)
    return result, *page_of(result, title="Carrowmere 2002-NC4, October 2003", back_href="../index.html")


def file_text(path: Path) -> list:
    """A file's lines as intake reads them (tabs expanded, form feeds between pages dropped)."""
    return [line.expandtabs(8).replace("\f", "") for line in path.read_text(encoding="utf-8").removesuffix("\n").split("\n")]


def shown(text: str) -> str:
    """A report's text as the page shows it: control characters as their pictures."""
    return text.translate(PICTURES)


# -- the report as printed, every value marked where it stands ------------------------------------------


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_canonical_number_is_a_mark_with_its_path_at_its_line_and_column(path):
    """Each provenance entry of a number is a canonical mark with that path on its line, and the text
    before the mark on that line is column - 1 characters; each line is the file's line as printed."""
    result = result_of(path)
    _, page = page_of(result)
    file_lines = file_text(path)
    assert sorted(page.lines) == list(range(1, len(file_lines) + 1))
    assert all(page.lines[n]["text"] == shown(file_lines[n - 1]) for n in page.lines)
    # the numbers the view marks (coverage's accounting: a cover's distribution number, an index rate
    # read from an information box's title line are not among its marks, so not on the page)
    marked = {(m["line"], m["column"]) for m in result.view["marks"]}
    numbers = {p: e for p, e in result.provenance.items() if (e["line"], e["column"]) in marked
               and not isinstance(value_at(result.record, parse_rendered(p)), (str, bool, type(None)))}
    assert len(numbers) > 100
    for rendered, entry in numbers.items():
        marks = [(offset, attrs, text) for offset, attrs, text in page.lines[entry["line"]]["marks"]
                 if attrs.get("data-path") == rendered and attrs["data-status"] == "canonical"]
        assert [(offset, text) for offset, _, text in marks] == [(entry["column"] - 1, entry["text"])], rendered
        assert page.lines[entry["line"]]["text"][entry["column"] - 1:].startswith(entry["text"])


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_mark_of_the_view_is_on_the_page_with_its_status(path):
    result = result_of(path)
    _, page = page_of(result)
    on_page = sorted((n, offset + 1, text, attrs["data-status"]) for n, line in page.lines.items()
                     for offset, attrs, text in line["marks"])
    assert on_page == sorted((m["line"], m["column"], m["text"], m["status"]) for m in result.view["marks"])
    assert all("v" in attrs["class"].split() and f"s-{attrs['data-status']}" in attrs["class"].split()
               and attrs["tabindex"] == "0" for line in page.lines.values() for _, attrs, _ in line["marks"])
    assert 'data-count="unplaced_marks"' not in report_page(result.name, result.view, result.findings)


def test_a_mark_whose_text_is_not_the_lines_is_left_unmarked_and_counted():
    result = result_of(SAMPLE)
    view = json.loads(json.dumps(result.view))
    moved = next(m for m in view["marks"] if m["status"] == "canonical")
    moved["column"] += 1
    markup, page = page_of(type("R", (), {"name": "x", "view": view, "findings": []}))
    assert moved["path"] not in [a.get("data-path") for _, a, _ in page.lines[moved["line"]]["marks"]]
    assert page.lines[moved["line"]]["text"] == result.view["lines"][moved["line"] - 1][1]  # the line is whole
    assert re.search(r'data-count="unplaced_marks">1<', markup)


def test_a_marks_tip_says_its_path_exact_value_unit_and_meaning(sample):
    result, _, page = sample
    canonical = next(m for m in result.view["marks"] if m["status"] == "canonical" and m.get("unit"))
    attrs = next(a for o, a, _ in page.lines[canonical["line"]]["marks"] if o == canonical["column"] - 1)
    for part in (canonical["path"], canonical["value"], canonical["unit"], canonical["meaning"], "canonical"):
        assert part in attrs["title"]
    extra = next(m for m in result.view["marks"] if m["status"] == "extra" and m.get("label"))
    attrs = next(a for o, a, _ in page.lines[extra["line"]]["marks"] if o == extra["column"] - 1)
    assert extra["section"] in attrs["title"] and extra["label"] in attrs["title"] and "extra" in attrs["title"]
    assert attrs["data-label"] == f"{extra['section']} / {extra['label']}"


def test_each_status_says_what_it_is_in_words():
    line = "A-1  1.00  2.00  3.00  4.00  5.0O  6.00  7.00"
    statuses = ["canonical", "repeat", "conflict", "extra", "lost", "skipped", "ignored"]
    marks = [{"line": 1, "column": line.index(t) + 1, "text": t, "status": s}
             for t, s in zip(line.split()[1:], statuses, strict=True)]
    marks[1].update(path="classes[A-1].x", value="9.00")
    marks[2].update(path="classes[A-1].y", value="1.50")
    view = {"lines": [[1, line, True]], "marks": marks, "coverage": {}, "cut": 0}
    page = Page(report_page("x", view, []))
    titles = {a["data-status"]: a["title"] for _, a, _ in page.lines[1]["marks"]}
    assert "printed again, agreeing" in titles["repeat"] and "classes[A-1].x = 9.00" in titles["repeat"]
    assert "disagreeing" in titles["conflict"] and "the record holds 1.50" in titles["conflict"]
    assert "RG101" in titles["skipped"] and "holds nothing" in titles["lost"] and "reads no values" in titles["ignored"]
    assert len(set(titles.values())) == 7


def test_lines_outside_the_report_are_dimmed_and_keep_the_files_numbers():
    """An EDGAR submission: its statement with the file's own line numbers, the markup between the
    statement's documents dimmed."""
    result = result_of(SUBMISSION)
    _, page = page_of(result)
    first = result.view["lines"][0][0]
    assert first > 1 and min(page.lines) == first
    file_lines = file_text(SUBMISSION)
    assert all(page.lines[n]["text"] == shown(file_lines[n - 1]) for n in page.lines)
    out = {a["data-line"] for a in page.find("div") if "out" in (a.get("class") or "").split()}
    assert out == {str(n) for n, _, inside in result.view["lines"] if not inside}


def test_tabs_are_kept_and_the_caret_lines_up_under_them():
    line = "\tTotal\t1,234.56"
    view = {"lines": [[7, line, True]], "marks": [{"line": 7, "column": 8, "text": "1,234.56", "status": "extra"}],
            "coverage": {}, "cut": 3}
    finding = Finding("RG301", "error", "sum off", line=7, column=8)
    markup, page = page_of(type("R", (), {"name": "t", "view": view, "findings": [finding]}))
    assert page.lines[7]["text"] == line and page.lines[7]["marks"][0][0] == 7
    assert "\tTotal\t1,234.56\n\t     \t^" in page.texts["F1"]
    assert "3 more lines" in page.texts["cut"]


# -- legend --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLES[:2], ids=lambda p: p.stem)
def test_the_legend_counts_are_coverages(path):
    result = result_of(path)
    markup, _ = page_of(result)
    legend = markup[markup.index('id="legend"'):markup.index("</section>", markup.index('id="legend"'))]
    shown_counts = dict(re.findall(r'data-count="(\w+)">([\d.]+)<', legend))
    done = CliRunner().invoke(app, ["coverage", "--json", str(path)])
    assert done.exit_code in (0, 1), done.output
    counted = json.loads(done.stdout.splitlines()[0])
    for key in ("printed", "canonical", "repeats", "extra", "lost", "skipped", "ignored", "left_out", "canonical_pct"):
        assert float(shown_counts[key]) == float(counted[key]), key
    assert int(shown_counts["conflicts"]) == sum(m["status"] == "conflict" for m in result.view["marks"])


# -- findings ------------------------------------------------------------------------------------------


def test_every_finding_stands_under_its_line_with_a_caret_at_its_column(sample):
    result, _, page = sample
    assert len(result.findings) > 50
    for number, finding in enumerate(result.findings, 1):
        blocks = [a for a in page.lines[finding.line]["findings"] if a["id"] == f"F{number}"]
        assert [(a["data-code"], a["data-severity"]) for a in blocks] == [(finding.code, finding.severity)]
        block = page.texts[f"F{number}"]
        for part in (finding.code, finding.severity, finding.message, finding.expected, finding.actual, finding.hint):
            assert part is None or part in block
        echoed, caret = block.split("\n")[:2] if finding.column else (None, None)
        if caret is not None:
            assert echoed.endswith(page.lines[finding.line]["text"]) and caret.index("^") == finding.column - 1
            assert set(caret[:finding.column - 1]) <= {" "}


def test_the_list_at_the_top_links_every_finding_in_line_order(sample):
    result, markup, page = sample
    listed = re.findall(r'<a href="#F(\d+)">', markup[markup.index('id="findings"'):markup.index('id="report"')])
    assert sorted(map(int, listed)) == list(range(1, len(result.findings) + 1))
    lines = [(result.findings[int(n) - 1].line, result.findings[int(n) - 1].column) for n in listed]
    assert lines == sorted(lines)
    assert all(page.find("div", id=f"F{n}") for n in listed)


def test_findings_without_a_line_are_listed_apart_near_the_top(sample):
    result = sample[0]
    findings = [Finding("RG401", "warning", "months do not carry", line=None),
                Finding("RG102", "error", "cut off", line=99_999, column=3, source_line="past the end")]
    markup, page = page_of(type("R", (), {"name": "x", "view": result.view, "findings": findings}))
    assert "months do not carry" in page.texts["unplaced"] and "past the end\n  ^" in page.texts["F2"]
    assert markup.index('id="unplaced"') < markup.index('id="report"')
    assert re.findall(r'href="#F(\d)"', markup[markup.index('id="findings"'):])[:2] == ["1", "2"]
    assert not any(line["findings"] for line in page.lines.values())


def test_a_report_that_did_not_parse_is_a_page_of_its_findings(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("nothing a format knows\n", encoding="utf-8")
    result = next(iter(run([path], keep={"record", "findings", "view"})))
    assert result.view is None and result.findings
    markup, page = page_of(result)
    assert not page.lines and page.find("section", id="legend")
    assert all(f.message in page.texts["findings"] for f in result.findings)
    assert len(page.find("div", **{"class": "finding sev-" + result.findings[0].severity})) >= 1


# -- title, back link, controls ------------------------------------------------------------------------


def test_title_back_link_and_controls_hidden_until_the_script_shows_them(sample):
    result, _, page = sample
    assert page.texts["name"] == result.name
    assert page.title == f"{result.name} \u2014 Carrowmere 2002-NC4, October 2003"
    assert page.find("a", id="back")[0]["href"] == "../index.html"
    controls = page.find("div", id="controls")[0]
    assert "hidden" in controls
    statuses = {a["value"] for t, a in page.elements if t == "option"} - {""}
    assert {"canonical", "repeat", "extra", "ignored"} | {f.code for f in result.findings} == statuses
    assert page.find("input", id="q") and page.find("select", id="status") and page.find("select", id="code")
    assert page.find("input", id="only")[0]["type"] == "checkbox"
    _, bare = page_of(result)
    assert not bare.find("a", id="back")


# -- escaping and the policy ---------------------------------------------------------------------------

HOSTILE = ('<script>alert(1)</script></pre>"dq" \'q\' \x1b[31m\x07'
           '<img src=x onerror=alert(1)>')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The sample with a label line (line 95, RG201) and an extra figure's label (line 211) holding
    markup, quotes and control characters."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert lines[94].startswith("Class X:") and lines[210].startswith("  Applied to Unpaid Interest")
    lines[94] = "Class X " + HOSTILE + lines[94][len("Class X"):]
    label = "  Applied to Unpaid Interest and Realized Loss Amounts"
    lines[210] = ("  " + HOSTILE).ljust(len(label)) + lines[210][len(label):]
    path = tmp_path_factory.mktemp("hostile") / "hostile <b>'\".txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = result_of(path)
    return result, *page_of(result, title=HOSTILE, back_href='"><script>alert(2)</script>')


def test_a_hostile_report_makes_no_element_and_shows_as_text(hostile):
    result, markup, page = hostile
    assert [t for t, _ in page.elements].count("script") == 1 and page.scripts[0]
    assert not [t for t, _ in page.elements if t in ("img", "iframe", "object", "embed", "base", "form")]
    assert not [(t, k) for t, a in page.elements for k in a if k.startswith("on") or k == "style"]
    printed = SAMPLE.read_text(encoding="utf-8").splitlines()[94]
    assert page.lines[95]["text"] == shown("Class X " + HOSTILE + printed[len("Class X"):])
    assert "\u241b[31m\u2407" in page.lines[95]["text"] and "\x07" not in markup and "\x1b" not in markup
    assert shown(HOSTILE) in page.texts["findings"]  # RG201's message names the label
    extra = [a for _, a, _ in page.lines[211]["marks"] if a["data-status"] == "extra"]
    assert extra and shown(HOSTILE.strip()) in extra[0]["title"]
    assert page.find("a", id="back")[0]["href"] == '"><script>alert(2)</script>'
    assert page.texts["name"] == shown(result.name) and "<b>'\"" in result.name
    assert page.title == shown(f"{result.name} \u2014 {HOSTILE}")


def test_the_policy_names_the_pages_own_style_and_script(hostile):
    _, markup, page = hostile
    policy = page.find("meta", http_equiv="Content-Security-Policy")
    assert len(policy) == 1 and len(page.styles) == len(page.scripts) == 1
    content = policy[0]["content"]

    def digest(source: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"

    directives = dict(part.strip().split(" ", 1) for part in content.split(";"))
    assert directives["style-src"] == digest(page.styles[0]) and directives["script-src"] == digest(page.scripts[0])
    assert directives["default-src"] == "'none'"
    assert markup.index("Content-Security-Policy") < markup.index("<style>")
