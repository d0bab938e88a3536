"""The pages of `remitgrammar view`, opened in headless Chromium: what a person sees there.

The pages are written by the CLI itself (``python -m remitgrammar view``) into the run's temporary
directory and opened from file://; the browser (tests/browser.py) never reaches the network. A
missing browser skips these tests with the reason, except in CI, where it fails them.
"""

from __future__ import annotations

import base64
import importlib.util
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import browser as client
from browser import BrowserError, browser, start  # noqa: F401  (browser: the session fixture)
from remitgrammar.api import check_file, parse_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "corpus" / "payment-report" / "carrowmere_2002-nc4_2003-10-27.txt"
NEXT_MONTH = SAMPLE.with_name("carrowmere_2002-nc4_2003-11-25.txt")
HOSTILE_LABEL = ('Class X <script>window.pwned=1</script><img src=x onerror="window.pwned=2"></pre>'
                 '\'q\' "dq" &amp; \x07\x1b[31m')


def view(paths: list, out: Path) -> subprocess.CompletedProcess:
    """`remitgrammar view PATHS -o OUT` in a fresh interpreter, as a user runs it."""
    done = subprocess.run([sys.executable, "-m", "remitgrammar", "view", *map(str, paths), "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def page_of(out: Path, report: Path) -> Path:
    """The page `view` wrote for ``report``: OUT/<deal>/<report's name>.html."""
    pages = [p for p in out.glob("*/*.html") if p.stem in (report.name, report.stem)]
    assert len(pages) == 1, f"one page for {report.name} expected under {out}, found {pages}"
    return pages[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Two months of one deal written by the CLI."""
    out = tmp_path_factory.mktemp("view") / "out"
    done = view([SAMPLE, NEXT_MONTH], out)
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == out / "index.html"
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The sample with a label line holding markup, quotes and control characters, and its page."""
    folder = tmp_path_factory.mktemp("hostile")
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert lines[94].startswith("Class X:")  # line 95: a label the format does not map (RG201)
    lines[94] = HOSTILE_LABEL + lines[94][len("Class X"):]
    report = folder / "hostile.txt"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = view([report], folder / "out")
    assert done.returncode == 0, done.stderr
    return page_of(folder / "out", report)


def opened(browser, page: Path) -> None:  # noqa: F811
    browser.logs()  # what an earlier page logged is not this one's
    browser.get(page.as_uri())


# -- the client itself, on a page of its own ----------------------------------------------------------


def test_client_drives_a_page(browser, tmp_path):  # noqa: F811
    """get, find, text, rect, execute, send_keys, logs and screenshot do what they say on a tiny page."""
    page = tmp_path / "tiny.html"
    page.write_text('<!DOCTYPE html><html><body><p id="a">hello <b>there</b></p><input id="q">'
                    '<script>window.ran = 1; console.error("tiny page error")</script></body></html>')
    opened(browser, page)
    assert browser.find("#a").text == "hello there"
    assert browser.find("#a").rect["height"] > 0
    assert browser.execute("return [window.ran, arguments[0] + 1]", 41) == [1, 42]
    browser.find("#q").send_keys("typed")
    assert browser.execute("return document.getElementById('q').value") == "typed"
    assert any("tiny page error" in entry["message"] for entry in browser.logs())
    with pytest.raises(BrowserError, match="no such element"):
        browser.find("#missing")
    assert browser.execute("return [innerWidth, innerHeight]") == [1280, 900]
    assert browser.screenshot(tmp_path / "tiny.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("env, outcome", [({}, pytest.skip.Exception),
                                          ({"REMITGRAMMAR_REQUIRE_BROWSER": "1"}, pytest.fail.Exception),
                                          ({"CI": "true"}, pytest.skip.Exception)],
                         ids=["local", "required", "CI without it installed"])
def test_a_missing_browser_skips_only_where_none_is_required(monkeypatch, tmp_path, env, outcome):
    monkeypatch.setattr(client, "CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    for name in ("CI", "REMITGRAMMAR_REQUIRE_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(outcome, match="chromium not installed"):
        start(tmp_path / "profile")


# -- a report's page -----------------------------------------------------------------------------------

# The offset of each mark inside its line's text, computed by the browser with a DOM Range.
_MARKS_AT = """
const wanted = arguments[0], out = [];
for (const [line, column, path, printed] of wanted) {
  const row = document.getElementById('L' + line);
  if (!row) { out.push([path, 'no line ' + line]); continue; }
  const text = row.querySelector('.t');
  const marks = [...text.querySelectorAll('mark')].filter(m => m.dataset.path === path);
  const found = marks.map(m => {
    const range = document.createRange();
    range.setStart(text, 0);
    range.setEnd(m, 0);
    return [range.toString().length, m.textContent];
  });
  if (!found.some(([offset, shown]) => offset === column - 1 && shown === printed))
    out.push([path, line, column, printed, found]);
}
return out;
"""


def _number(printed: str) -> bool:
    """A printed number (amount, rate, count), as opposed to a name, a date or a class's letters."""
    return printed.strip("()%$-").replace(",", "").replace(".", "", 1).isdigit()


def _numbers() -> list:
    provenance = parse_file(SAMPLE, provenance=True)["provenance"]
    return [[p["line"], p["column"], path, p["text"]] for path, p in provenance.items() if _number(p["text"])]


def test_every_number_is_marked_with_its_path_at_its_line_and_column(browser, site):  # noqa: F811
    """For every number of the record (its provenance: line, column, printed text), the page has a
    mark with its path whose offset in its line, as the browser lays the line out, is column - 1."""
    wanted = _numbers()
    assert len(wanted) > 500
    opened(browser, page_of(site, SAMPLE))
    assert browser.execute(_MARKS_AT, wanted) == []
    # and one of them as a person sees it: visible, its text, inside its line, its tip
    line, column, path, printed = next(w for w in wanted if w[2] == "classes[A-1].ending_balance")
    mark = browser.find(f'#L{line} mark[data-path="{path}"]')
    assert mark.text == printed == "112,375,276.06"
    assert mark.attribute("data-status") == "canonical"
    assert mark.attribute("title").startswith(f"canonical: a field of the record \u2014 {path} = 112375276.06")
    row, box = browser.find(f"#L{line}").rect, mark.rect
    assert box["height"] > 0 and row["y"] <= box["y"] < row["y"] + row["height"]


def test_a_focused_value_shows_its_meaning(browser, site):  # noqa: F811
    """Tabbing onto a value shows its tip (path, value, meaning) over the lines under it: what those
    lines look like changes while it has the focus (a line's content-visibility, which contains its
    paint, would clip the tip to the line)."""
    opened(browser, page_of(site, SAMPLE))
    path = "classes[A-2].ending_balance"
    browser.execute("const marks = [...document.querySelectorAll('mark.v')];"
                    "marks[marks.findIndex(m => m.dataset.path === arguments[0]) - 1].focus();", path)
    under = browser.find("#L36")  # two lines below the value's: only a tip reaches it
    browser.execute("document.getElementById('L34').scrollIntoView({block: 'center'})")
    before = under.screenshot()
    browser.press("TAB")
    assert browser.execute("return document.activeElement.dataset.path") == path
    browser.execute("document.getElementById('L34').scrollIntoView({block: 'center'})")
    assert "Certificate balance after this distribution" in browser.execute(
        "return getComputedStyle(document.activeElement, '::after').content")
    assert under.screenshot() != before


def test_a_finding_stands_under_its_line(browser, site):  # noqa: F811
    """check's first finding with a line: its block is below its line's text and above the next line,
    and shows its code and message."""
    finding = next(f for f in check_file(SAMPLE).findings if f.line and f.column)
    opened(browser, page_of(site, SAMPLE))
    block = browser.find(f'#L{finding.line} .finding[data-code="{finding.code}"]')
    text_box = browser.find(f"#L{finding.line} .t").rect
    next_box = browser.find(f"#L{finding.line + 1}").rect
    box = block.rect
    assert box["height"] > 0
    assert box["y"] >= text_box["y"] + text_box["height"]
    assert box["y"] + box["height"] <= next_box["y"]
    shown = block.text
    assert finding.code in shown and finding.message in shown


def test_a_hostile_report_runs_no_script(browser, hostile):  # noqa: F811
    """The label's markup is shown as text: no script ran, no element was made of it, nothing was
    even refused (the policy had nothing to refuse)."""
    opened(browser, hostile)
    state = browser.execute("return [typeof window.pwned, document.images.length, "
                            "document.querySelectorAll('script').length, document.getElementById('L95') !== null]")
    assert state == ["undefined", 0, 1, True]
    shown = browser.find("#L95 .t").text
    assert '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"></pre>\'q\' "dq" &amp;' in shown
    assert "\u2407\u241b[31m" in shown  # the bell and the escape as their pictures
    assert HOSTILE_LABEL.split("\x07")[0] in browser.find("#findings").text  # RG201 names the label
    assert [e for e in browser.logs() if e["level"] == "SEVERE"] == []


def test_the_policy_refuses_a_script_smuggled_into_a_page(browser, site, tmp_path):  # noqa: F811
    """A real page with an inline script added by hand: the browser refuses to run it and says why,
    while the page's own script still runs (the policy names it)."""
    real = page_of(site, SAMPLE).read_text(encoding="utf-8")
    assert real.count("</body>") == 1
    forged = tmp_path / "forged.html"
    forged.write_text(real.replace("</body>", "<script>window.pwned = 3</script></body>"), encoding="utf-8")
    opened(browser, forged)
    assert browser.execute("return typeof window.pwned") == "undefined"
    refused = [e["message"] for e in browser.logs() if e["level"] == "SEVERE"]
    assert any("Content Security Policy" in message for message in refused), refused
    assert browser.execute("return document.getElementById('controls').hidden") is False  # page.js ran


def test_the_page_runs_its_own_script_without_errors(browser, site):  # noqa: F811
    opened(browser, page_of(site, SAMPLE))
    assert browser.find("#controls").rect["height"] > 0
    assert [e for e in browser.logs() if e["level"] in ("SEVERE", "WARNING")] == []


def test_a_screenshot_of_a_page(browser, site, tmp_path):  # noqa: F811
    opened(browser, page_of(site, SAMPLE))
    shot = browser.screenshot(tmp_path / "page.png")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (1280, 900)
    assert len(data) > 20_000  # a page of text and colour, not a blank


# -- with scripts off ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def no_script(tmp_path_factory):
    """A second browser with JavaScript switched off (Chromium's content setting)."""
    session = start(tmp_path_factory.mktemp("noscript") / "profile", javascript=False)
    yield session
    session.quit()


def test_with_scripts_off_the_report_and_findings_are_visible(no_script, site):
    page = page_of(site, SAMPLE)
    no_script.get(page.as_uri())
    finding = next(f for f in check_file(SAMPLE).findings if f.line)
    assert no_script.execute("return document.getElementById('controls').hidden") is True  # page.js did not run
    assert "October 27, 2003" in no_script.find("#L11").text
    assert finding.message in no_script.find(f'#L{finding.line} .finding[data-code="{finding.code}"]').text
    assert finding.code in no_script.find("#findings").text
    assert no_script.find("#legend").rect["height"] > 0


def test_printed_the_page_keeps_every_line_and_finding_and_drops_the_controls(browser, site, tmp_path):  # noqa: F811
    """As the browser lays the page out for paper (print media emulated through DevTools), with a
    filter left on: no controls, every line shown and wrapped within the page, the findings kept."""
    opened(browser, page_of(site, SAMPLE))
    q = browser.find("#q")
    q.send_keys("classes[A-1]")
    browser.find("#only").click()
    shown = "return [...document.querySelectorAll('#report .l')].filter(l => l.getClientRects().length).length"
    every = browser.execute("return document.querySelectorAll('#report .l').length")
    assert browser.execute(shown) < every  # on screen, the filter hides lines
    browser.viewport(980, 900)  # a landscape page's width within its margins, as CSS pixels
    browser.call("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}})
    try:
        assert browser.execute(shown) == every
        assert browser.find("#controls").rect["height"] == 0
        assert browser.execute("return document.documentElement.scrollWidth <= innerWidth")  # nothing cut off
        wrapped = browser.execute("return [...document.querySelectorAll('#report .l > .t')].filter(t => "
                                  "t.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(t).lineHeight))"
                                  ".length")
        assert wrapped == 0  # the report's columns stay as printed: no line wraps
        finding = next(f for f in check_file(SAMPLE).findings if f.line)
        assert finding.message in browser.find(f'#L{finding.line} .finding[data-code="{finding.code}"]').text
        pdf = base64.b64decode(browser.call("POST", "/print", {"orientation": "landscape"}))
        assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") > 5
        (tmp_path / "page.pdf").write_bytes(pdf)
    finally:
        browser.call("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {"media": ""}})
        browser.viewport(1280, 900)


# -- a deal's page -------------------------------------------------------------------------------------


@pytest.mark.skipif(importlib.util.find_spec("matplotlib") is None, reason="charts need matplotlib (the view extra)")
def test_the_deal_page_shows_its_charts(browser, site):  # noqa: F811
    deal = page_of(site, SAMPLE).parent / "index.html"
    opened(browser, deal)
    charts = browser.find_all("svg")
    assert charts, "no <svg> chart on the deal page"
    assert all(chart.rect["height"] > 0 and chart.rect["width"] > 0 for chart in charts)
    assert [e for e in browser.logs() if e["level"] == "SEVERE"] == []


def test_typing_a_path_into_the_search_marks_and_filters_lines(browser, site):  # noqa: F811
    """Typing a field's path (as a person types, key by key) rings its marks; "only matching lines"
    then hides every other line."""
    path = "classes[A-1].ending_balance"
    entry = parse_file(SAMPLE, provenance=True)["provenance"][path]
    opened(browser, page_of(site, SAMPLE))
    browser.find("#q").send_keys(path)
    hits = browser.execute("return [...document.querySelectorAll('mark.v.hit')].map(m => m.dataset.path)")
    assert hits and set(hits) == {path}
    assert browser.find("#count").text.startswith(f"{len(hits)} marks")
    assert "hit" in browser.find(f'#L{entry["line"]} mark[data-path="{path}"]').attribute("class").split()
    browser.find("#only").click()
    shown = browser.execute("return [...document.querySelectorAll('#report .l')]"
                            ".filter(l => l.getClientRects().length).map(l => Number(l.dataset.line))")
    assert entry["line"] in shown and len(shown) == len(set(shown)) < 10
    assert browser.find("#L1").text == ""  # hidden: WebDriver gives no text of what is not displayed


def test_a_status_and_a_code_together_pick_what_shares_a_line(browser, site):  # noqa: F811
    """Repeats (a status) and RG207 (a code) chosen together: the repeated numbers and the findings
    that name them, on the same lines; either alone picks more."""
    opened(browser, page_of(site, SAMPLE))
    hits = ("return [[...document.querySelectorAll('mark.v.hit')].map(m => [m.dataset.status, m.closest('.l').id]),"
            " [...document.querySelectorAll('.finding.hit')].map(f => [f.dataset.code, f.closest('.l').id])]")
    browser.find('#status option[value="repeat"]').click()
    repeats, none = browser.execute(hits)
    assert repeats and none == [] and {s for s, _ in repeats} == {"repeat"}
    browser.find('#code option[value="RG207"]').click()
    marks, findings = browser.execute(hits)
    assert marks and findings and {s for s, _ in marks} == {"repeat"} and {c for c, _ in findings} == {"RG207"}
    assert {line for _, line in marks} == {line for _, line in findings}
    assert browser.find("#count").text == f"{len(marks)} marks, {len(findings)} findings match"


def test_from_the_index_to_a_report_by_its_links(browser, site):  # noqa: F811
    """A person starts at OUT/index.html, follows the deal, then its first month, and lands on that
    report's page; its link back leads to the deal again."""
    opened(browser, site / "index.html")
    deal = browser.find('a[href$="/index.html"]')
    assert "CARROWMERE ASSET BACKED TRUST 2002-NC4" in deal.text
    deal.click()
    first, second = page_of(site, SAMPLE), page_of(site, NEXT_MONTH)
    browser.loaded((first.parent / "index.html").as_uri())
    months = [a.text for a in browser.find_all(f'a[href="{first.name}"], a[href="{second.name}"]')]
    assert months == [str(SAMPLE), str(NEXT_MONTH)]  # in month order
    browser.find(f'a[href="{first.name}"]').click()
    browser.loaded(first.as_uri())
    assert browser.find("#name").text == str(SAMPLE)
    browser.find("#back").click()
    browser.loaded((first.parent / "index.html").as_uri())
