"""The index pages of ``view``: a deal's page (its months in order, each month's findings linked to
its report's page, then the charts of its history) and the home page over every deal (docs/view.md).

Both are made with ``html.document``: every text from a report or a record goes through ``text`` or
``attr``, the charts' SVG comes from charts.py (already fit for the page's policy) and their rules
join the one stylesheet; no script is needed. The pages print as they read.
"""

from __future__ import annotations

import re

from .charts import NOTE
from .html import attr, document, text

SEVERITIES = ("error", "warning", "info")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # a link with a scheme leaves the pages: never made

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem auto;max-width:72rem;
padding:0 1rem;color:#1d1d1f;background:#fff;line-height:1.4}
h1{font-size:1.5rem;margin:.4rem 0 1rem}h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
a{color:#0b57d0}nav{font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border-bottom:1px solid #d9d9de;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f3f3f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.name{word-break:break-all}
.error{color:#b3261e;font-weight:600}.warning{color:#8a5300}.info{color:#3c4a5c}.zero{color:#8e8e93}
.full{color:#1b6e2e}.partial{color:#b3261e;font-weight:600}
.note{border-left:4px solid #8a5300;background:#fff7e6;padding:.5rem .8rem}
figure{margin:1.2rem 0;break-inside:avoid;page-break-inside:avoid}
figcaption{font-weight:600;margin-bottom:.3rem}
svg.chart{max-width:100%;height:auto;display:block}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}nav{display:none}
th{background:none}figure{break-inside:avoid}}
"""


def deal_page(title: str, months: list, charts, *, back_href: str = "../index.html") -> str:
    """One deal's page. ``months``: in order, each ``{"month", "name", "href", "counts" (error, warning,
    info), "ok"}``; ``charts``: charts.Chart's, ``[]`` for none, None when matplotlib is missing
    (the page says how to get them)."""
    parts = [f'<nav><a href="{attr(_href(back_href))}">All deals</a></nav>',
             f"<header><h1>{text(title)}</h1><p>{_plural(len(months), 'report')}"
             f"{_span(months)}</p></header>",
             "<section><h2>Months</h2>", _month_table(months), "</section>"]
    parts.append(_charts(charts))
    style = STYLE + "".join(chart.css for chart in charts or ())
    return document(title, "\n".join(p for p in parts if p), style)


def home_page(deals: list, copies=()) -> str:
    """The index over every deal. ``deals``: each ``{"title", "href", "reports", "first", "last",
    "counts", "deal"}`` (``deal`` False for the reports that name no deal); ``copies``: (report, the
    report it is a copy of) for a filing given twice."""
    named = [d for d in deals if d.get("deal", True)]
    others = [d for d in deals if not d.get("deal", True)]
    reports = sum(int(d.get("reports") or 0) for d in deals)
    parts = ["<header><h1>Reports by deal</h1>"
             f"<p>{_plural(len(named), 'deal')}, {_plural(reports, 'report')}</p></header>"]
    if named:
        parts += ["<section><h2>Deals</h2>", _deal_table(named), "</section>"]
    if others:
        parts += ["<section><h2>Reports that name no deal</h2>", _deal_table(others), "</section>"]
    if copies:
        items = "".join(f"<li>{text(name)}: the same filing as {text(first)}, shown once</li>" for name, first in copies)
        parts += ["<section><h2>Filings given twice</h2><ul>", items, "</ul></section>"]
    return document("Reports by deal", "\n".join(parts), STYLE)


def _month_table(months: list) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("Month", "Report", "Errors", "Warnings", "Info", "Parsed"))
    rows = []
    for month in months:
        href = _href(month.get("href") or "")
        report = f'<a href="{attr(href)}">{text(month.get("name", ""))}</a>' if href else text(month.get("name", ""))
        parsed = '<td class="full">in full</td>' if month.get("ok") else '<td class="partial">not in full</td>'
        rows.append(f"<tr><td>{text(month.get('month') or 'no date')}</td><td class=\"name\">{report}</td>"
                    f"{_counts(month.get('counts') or {}, href + '#findings' if href else '')}{parsed}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _deal_table(deals: list) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("Deal", "Reports", "First month", "Last month", "Errors", "Warnings",
                                              "Info"))
    rows = []
    for deal in deals:
        href = _href(deal.get("href") or "")
        name = f'<a href="{attr(href)}">{text(deal.get("title", ""))}</a>' if href else text(deal.get("title", ""))
        rows.append(f"<tr><td>{name}</td><td class=\"n\">{text(deal.get('reports') or 0)}</td>"
                    f"<td>{text(deal.get('first') or '')}</td><td>{text(deal.get('last') or '')}</td>"
                    f"{_counts(deal.get('counts') or {}, href)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _counts(counts: dict, href: str) -> str:
    """A cell per severity, each count a link to ``href`` (where the findings are listed)."""
    cells = []
    for severity in SEVERITIES:
        count = int(counts.get(severity) or 0)
        shown = f'<a href="{attr(href)}">{count}</a>' if href else str(count)
        cells.append(f'<td class="n {severity if count else "zero"}">{shown}</td>')
    return "".join(cells)


def _charts(charts) -> str:
    if charts is None:
        return f'<section><h2>History</h2><p class="note">{text(NOTE)}</p></section>'
    if not charts:
        return ""
    figures = "".join(f"<figure><figcaption>{text(chart.title)}</figcaption>{chart.svg}</figure>" for chart in charts)
    return f"<section><h2>History</h2>{figures}</section>"


def _span(months: list) -> str:
    dated = [m["month"] for m in months if m.get("month")]
    if not dated:
        return ""
    first, last = min(dated), max(dated)
    return f", {text(first)}" if first == last else f", {text(first)} to {text(last)}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _href(href: str) -> str:
    """A link between the pages: relative only (a ``javascript:`` or other scheme becomes no link)."""
    return "" if _SCHEME.match(str(href)) else str(href)
