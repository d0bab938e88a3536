"""A deal's page and the home page of ``view`` (remitgrammar/view/deal.py) and the charts of a deal's
history (remitgrammar/view/charts.py): charts from real months of a deal, SVG fit for the page's
Content-Security-Policy (no style attribute, no script, ids unique across the page), the same bytes
every run, a hostile class name drawn as text, and a page that says how to get charts when
matplotlib is missing. One test opens a deal page in headless Chromium (tests/browser.py)."""

from __future__ import annotations

import base64
import copy
import hashlib
import re
import sys
import time
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import browser  # noqa: F401  (the session fixture)
from remitgrammar.deals import month_of
from remitgrammar.runner import run
from remitgrammar.view import charts as charts_module
from remitgrammar.view.charts import NOTE, ChartsUnavailable, deal_charts
from remitgrammar.view.deal import deal_page, home_page

CORPUS = Path(__file__).parent / "corpus" / "usbank-absc-2003"
HOSTILE = "<script>alert(1)</script>"
BROKEN = "</svg><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def he2():
    """The three months of ABSC 2003-HE2 in the corpus, as the runner gives them."""
    results = list(run(sorted(CORPUS.glob("absc_2003-he2_*.txt")), keep={"record", "findings"}))
    assert [r.ok for r in results] == [True, True, True]
    return results


@pytest.fixture(scope="module")
def months(he2):
    return [(month_of(r.record), r.record) for r in he2]


@pytest.fixture(scope="module")
def drawn(months):
    return deal_charts(months)


def rows_of(results) -> list:
    rows = []
    for result in results:
        counts = {s: sum(1 for f in result.findings if f.severity == s) for s in ("error", "warning", "info")}
        rows.append({"month": month_of(result.record), "name": result.name, "href": Path(result.name).name + ".html",
                     "ok": result.ok, "counts": counts})
    return rows


class Page(HTMLParser):
    """What a page holds, as a browser's parser reads it."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list = []
        self.styles: list = []
        self.links: list = []
        self.svg_text: list = []
        self._in: list = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data):
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        if self._in and self._in[-1] == "text":
            self.svg_text.append(data)

    def attrs(self, name: str) -> list:
        return [a[name] for _, a in self.tags if name in a]

    def policy(self) -> str:
        return next(a["content"] for t, a in self.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")


def svg_tree(chart) -> ET.Element:
    """The chart's <svg> as XML, its tags without the SVG namespace."""
    root = ET.fromstring(chart.svg)
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
    return root


def texts(chart) -> list:
    return [e.text for e in svg_tree(chart).iter("text") if e.text]


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# -- charts ---------------------------------------------------------------------------------------


def test_charts_of_real_months_draw_every_class_and_series(drawn, months):
    assert [c.title for c in drawn] == ["Class balances", "Pool balance and loan count", "Delinquency by status",
                                        "Cumulative realized losses"]
    classes = [c["class"] for c in months[0][1]["classes"]]
    assert {"A-1", "M-5", "B-IO"} <= set(classes)
    assert set(classes) <= set(texts(drawn[0]))  # the legend names each class, as text
    assert {"pool balance", "loan count"} <= set(texts(drawn[1]))
    assert {"30-59", "60-89", "90+", "foreclosure", "bankruptcy", "reo"} <= set(texts(drawn[2]))
    assert "outstanding" not in texts(drawn[2])  # the pool's balance, not a delinquency status
    assert {"2003-06", "2003-11", "2003-12"} <= set(texts(drawn[0]))


def test_chart_svg_has_no_style_attribute_script_or_metadata(drawn):
    for chart in drawn:
        root = svg_tree(chart)
        assert root.tag == "svg" and root.get("role") == "img" and root.get("aria-label") == chart.title
        tags = {e.tag for e in root.iter()}
        assert not tags & {"script", "style", "metadata"}, tags
        assert not [e for e in root.iter() if "style" in e.attrib]
        assert "<?xml" not in chart.svg and "<!--" not in chart.svg and "DOCTYPE" not in chart.svg
        assert all(e.get("class") for e in root.iter("path"))  # what was a style is a class ...
        for name in {c for e in root.iter() for c in (e.get("class") or "").split()} - {"chart"}:
            assert f".{name}" in chart.css  # ... and each class has its rule (chartN scopes the moved <style>)


def test_ids_are_unique_across_the_charts_of_a_page_and_references_resolve(drawn):
    ids: list = []
    for number, chart in enumerate(drawn, 1):
        own = [e.get("id") for e in svg_tree(chart).iter() if e.get("id")]
        assert own and all(i.startswith(f"chart{number}-") for i in own)
        ids += own
        refs = [e.get("href")[1:] for e in svg_tree(chart).iter() if (e.get("href") or "").startswith("#")]
        refs += [m for e in svg_tree(chart).iter() for v in e.attrib.values() for m in re.findall(r"url\(#([^)]+)\)", v)]
        assert refs and set(refs) <= set(own)  # markers and clip paths still found, in this chart
    assert len(ids) == len(set(ids))


def test_charts_are_the_same_bytes_every_run(months, drawn):
    again = deal_charts(months)
    assert [(c.svg, c.css) for c in again] == [(c.svg, c.css) for c in drawn]


def test_a_hostile_class_name_is_drawn_as_text(months):
    record = copy.deepcopy(months[0][1])
    names = [HOSTILE, BROKEN, "$x^2$", "_hidden", "bell\x07"]
    record["classes"] = [{"class": name, "ending_balance": Decimal(1000 * (n + 1))} for n, name in enumerate(names)]
    chart = deal_charts([("2003-06", record)])[0]
    shown = texts(chart)
    assert HOSTILE in shown and BROKEN in shown  # one text node each, escaped by ElementTree
    assert "$x^2$" in shown  # not read as math
    assert "\u200b_hidden" in shown  # still in the legend
    assert "bell\u2407" in shown  # a control character as its picture
    long = deal_charts([("2003-06", {"classes": [{"class": "L" * 100, "ending_balance": Decimal(1)}]})])[0]
    assert "L" * 39 + "\u2026" in texts(long)  # a legend stays a legend
    page = Page(deal_page("deal", [], [chart]))
    assert not [t for t, _ in page.tags if t in ("script", "img")]
    assert HOSTILE in page.svg_text and BROKEN in page.svg_text


def test_a_chart_with_no_data_in_any_month_is_left_out():
    bare = {"classes": [{"class": "A", "ending_balance": Decimal("5")}], "pool": {"loan_count": None}}
    assert [c.title for c in deal_charts([("2004-01", bare), ("2004-02", bare)])] == ["Class balances"]
    assert deal_charts([("2004-01", {}), ("2004-02", {"classes": [{"class": "A"}]})]) == []


def test_figures_come_from_groups_when_the_pool_prints_none():
    record = {"collateral": {"1": {"ending_balance": Decimal("100"), "ending_count": 2, "realized_losses": Decimal("3")},
                             "2": {"ending_balance": Decimal("50"), "ending_count": 1, "realized_losses": Decimal("4")}},
              "delinquency": {"1": {"30-59": {"balance": Decimal("7")}}, "2": {"30-59": {"balance": Decimal("8")}}}}
    pairs = [("2004-01", record), ("2004-02", {}), ("2004-03", record)]
    assert charts_module.pool_plan(pairs).series[0].values == [150.0, None, 150.0]
    assert charts_module.pool_plan(pairs).right[0].values == [3.0, None, 3.0]
    assert charts_module.delinquency_plan(pairs).series[0].values == [15.0, None, 15.0]
    losses = charts_module.loss_plan(pairs)
    assert losses.title == "Realized losses summed over the months shown"
    assert losses.series[0].values == [7.0, None, 14.0]
    printed = {"pool": {"cumulative_realized_losses": Decimal("9")}, "collateral": record["collateral"]}
    assert charts_module.loss_plan([("2004-01", printed)]).series[0].values == [9.0]


def test_without_matplotlib_the_page_says_how_to_get_charts(monkeypatch, months, he2):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ChartsUnavailable, match=re.escape(NOTE)):
        deal_charts(months)
    page = deal_page("ABSC 2003-HE2", rows_of(he2), None)
    assert "charts need: pip install 'remitgrammar[view]'" in page
    assert "<svg" not in page and "<figure" not in page


# -- pages ----------------------------------------------------------------------------------------


def test_deal_page_lists_its_months_links_their_findings_and_holds_the_charts(he2, drawn):
    rows = rows_of(he2)
    page = Page(deal_page("ABSC <b>2003-HE2</b>", rows, drawn))
    names = [Path(r.name).name + ".html" for r in he2]
    assert [link for link in page.links if link.endswith(".html") and "#" not in link] == ["../index.html"] + names
    assert [link for link in page.links if "#" in link] == [f"{n}#findings" for n in names for _ in range(3)]
    assert [t for t, _ in page.tags].count("figure") == 4 and [t for t, _ in page.tags].count("figcaption") == 4
    assert "b" not in [t for t, _ in page.tags]  # the title is text
    body = deal_page("ABSC <b>2003-HE2</b>", rows, drawn)
    assert body.index("<td>2003-06</td>") < body.index("<td>2003-11</td>") < body.index("<td>2003-12</td>")
    assert "ABSC &lt;b&gt;2003-HE2&lt;/b&gt;" in body


def test_the_page_policy_allows_exactly_its_one_style(he2, drawn):
    source = deal_page("ABSC 2003-HE2", rows_of(he2), drawn)
    page = Page(source)
    assert [t for t, _ in page.tags].count("style") == 1 and "script" not in [t for t, _ in page.tags]
    assert page.attrs("style") == []  # no style attribute anywhere, the SVG's included
    assert re.search(r"\bon[a-z]+\s*=", source.split("<body>", 1)[1]) is None
    policy = page.policy()
    assert f"style-src {sha256(page.styles[0])};" in policy and "script-src 'none'" in policy
    assert all(chart.css in page.styles[0] for chart in drawn)


def test_a_deal_of_one_month_gets_its_page(he2, months):
    one = deal_charts(months[:1])
    page = Page(deal_page("one", rows_of(he2[:1]), one))
    assert [t for t, _ in page.tags].count("figure") == len(one) == 4
    assert "1 report, 2003-06" in deal_page("one", rows_of(he2[:1]), one)


def test_a_link_with_a_scheme_is_not_made():
    row = {"month": "2004-01", "name": "x.txt", "href": "javascript:alert(1)", "ok": False,
           "counts": {"error": 2, "warning": 0, "info": 0}}
    page = deal_page("d", [row], [], back_href="JavaScript:alert(2)")
    assert "javascript:" not in page.lower() and "not in full" in page


def test_home_page_lists_deals_reports_of_no_deal_and_copies():
    deals = [{"title": "ABSC 2003-HE2 <script>", "href": "absc/index.html", "reports": 3, "first": "2003-06",
              "last": "2003-12", "counts": {"error": 1, "warning": 11, "info": 10}, "deal": True},
             {"title": "Reports of no deal", "href": "no-deal/index.html", "reports": 2, "first": None, "last": None,
              "counts": {"error": 0, "warning": 0, "info": 0}, "deal": False}]
    source = home_page(deals, copies=[("copy.txt", "first.txt")])
    page = Page(source)
    assert "absc/index.html" in page.links and "no-deal/index.html" in page.links
    assert "script" not in [t for t, _ in page.tags] and "ABSC 2003-HE2 &lt;script&gt;" in source
    assert "1 deal, 5 reports" in source and "Reports that name no deal" in source
    assert "copy.txt: the same filing as first.txt" in source
    assert f"style-src {sha256(page.styles[0])};" in page.policy()


def test_charts_of_24_months_take_under_5_seconds(months):
    record = months[1][1]
    pairs = [(f"{2004 + n // 12}-{n % 12 + 1:02d}", record) for n in range(24)]
    start = time.perf_counter()
    drawn = deal_charts(pairs)
    page = deal_page("24 months", [{"month": m, "name": m, "href": f"{m}.html", "ok": True, "counts": {}}
                                   for m, _ in pairs], drawn)
    elapsed = time.perf_counter() - start
    assert len(drawn) == 4 and elapsed < 5, elapsed
    assert len(texts(drawn[0])) >= 13 and "2004-01" in page


# -- in a browser ---------------------------------------------------------------------------------


def test_a_deal_page_in_chromium_draws_its_charts_and_runs_nothing(browser, months, tmp_path):  # noqa: F811
    record = copy.deepcopy(months[0][1])
    record["classes"] = record["classes"][:3] + [{"class": HOSTILE, "ending_balance": Decimal(5)},
                                                 {"class": BROKEN, "ending_balance": Decimal(6)}]
    pairs = [("2003-06", record), ("2003-07", record)]
    rows = [{"month": m, "name": f"<img src=x onerror=\"document.title='ran'\">{m}", "href": f"{m}.html", "ok": True,
             "counts": {"error": 1}} for m, _ in pairs]
    page = tmp_path / "index.html"
    page.write_text(deal_page("hostile deal", rows, deal_charts(pairs)), encoding="utf-8")
    browser.get(page.as_uri())
    shown = browser.execute(
        "return [document.title, [...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().height),"
        " [...document.querySelectorAll('svg text')].map(t => t.textContent),"
        " getComputedStyle(document.querySelector('svg.chart path')).fill]")
    assert shown[0] == "hostile deal"  # no script or handler ran
    assert len(shown[1]) == 4 and all(height > 100 for height in shown[1])
    assert HOSTILE in shown[2] and BROKEN in shown[2]
    assert shown[3] == "rgb(255, 255, 255)"  # the class rules apply: the policy let the stylesheet in
    assert not [entry for entry in browser.logs() if "Content Security Policy" in entry.get("message", "")]
    assert browser.screenshot(tmp_path / "deal.png").stat().st_size > 0
