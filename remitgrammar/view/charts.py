"""A deal's history as SVG charts for its page: class balances, the pool's balance and loan count,
delinquency by status and cumulative losses, month by month (docs/view.md).

Drawn with matplotlib's object API (a ``Figure`` on an SVG canvas, never pyplot's global state),
imported only here and only when a deal is charted: ``remitgrammar`` starts without it, and a page
without it says how to get it (``ChartsUnavailable``). matplotlib's SVG is then made fit for a page
whose Content-Security-Policy allows one inline ``<style>`` and no ``style=`` attribute: every
``style`` becomes a class whose rule joins the page's stylesheet, every id (and every reference to
one) takes the chart's prefix so that several charts share a page, and what a page has no use for
(metadata, scripts, comments, the XML prolog) is dropped. That is done on the parsed tree, not the
text, so a class name a report prints stays a text node that ElementTree escapes.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from .html import visible

NOTE = "charts need: pip install 'remitgrammar[view]'"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# what each chart reads, in the order a reader expects them; the aggregate rows are left out
STATUSES = ("30-59", "60-89", "90+", "1-payment", "2-payments", "3+-payments", "foreclosure", "bankruptcy", "reo")
MAX_LABEL = 40  # characters of a class name in a legend; a longer one is cut with an ellipsis
MAX_TICKS = 8  # month labels under a chart: more would overlap
_DROPPED = {"script", "metadata", "style", "title"}
_URL = re.compile(r"url\(#([^)\s]*)\)")
# svg.fonttype "none": text stays text (searchable, escaped by ElementTree); hashsalt and the font
# list fixed so that one deal draws the same bytes every run; math text off, as a class name
# holding "$" is a name, not a formula
RC: dict = {"svg.fonttype": "none", "svg.hashsalt": "remitgrammar", "text.parse_math": False, "font.size": 9,
      "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"], "axes.unicode_minus": False}


class ChartsUnavailable(Exception):
    """matplotlib (the ``view`` extra) is not installed: the page says so instead of charting."""


@dataclass(frozen=True)
class Chart:
    """One chart of a deal's page: its caption, its ``<svg>`` element, the CSS rules it needs."""

    title: str
    svg: str
    css: str


@dataclass
class Series:
    label: str
    values: list  # a float or None per month


@dataclass
class Plan:
    """What one chart draws: series on the left axis, and on a right axis of their own."""

    title: str
    unit: str
    series: list
    right: list = field(default_factory=list)
    right_unit: str = ""

    def has_data(self) -> bool:
        return any(v is not None for s in self.series + self.right for v in s.values)


def deal_charts(months: list, *, prefix: str = "chart") -> list:
    """Charts of a deal's ``(month "YYYY-MM", record)`` pairs, in order; a chart with nothing to draw in
    any month is left out. Ids in the SVG start with ``prefix`` and the chart's number.

    Raises:
        ChartsUnavailable: matplotlib is not installed.
    """
    try:
        import matplotlib
        from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: F401  (checked here, used in _draw)
    except ImportError as exc:
        raise ChartsUnavailable(NOTE) from exc
    plans = [p for p in (class_plan(months), pool_plan(months), delinquency_plan(months), loss_plan(months))
             if p.has_data()]
    x, ticks, labels = _axis([str(m) for m, _ in months])
    charts = []
    with matplotlib.rc_context(RC):
        for number, plan in enumerate(plans, 1):
            svg, css = clean_svg(_draw(plan, x, ticks, labels), f"{prefix}{number}", plan.title)
            charts.append(Chart(plan.title, svg, css))
    return charts


# -- what each chart reads ---------------------------------------------------------------------


def number(value) -> float | None:
    """A record's number as a float to draw; None for anything else (text, a flag, no value)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    result = float(value)
    return result if math.isfinite(result) else None


def _groups(section) -> dict:
    return {str(k): v for k, v in section.items() if isinstance(v, dict)} if isinstance(section, dict) else {}


def group_total(groups: dict, key: str) -> float | None:
    """``key`` of the ``total`` group when it prints one, else the sum over the groups that print it."""
    total = number((groups.get("total") or {}).get(key))
    if total is not None:
        return total
    found = [v for v in (number(g.get(key)) for name, g in groups.items() if name != "total") if v is not None]
    return sum(found) if found else None


def class_plan(months: list) -> Plan:
    """Each class's ending balance, a line per class in the order the deal first prints them."""
    columns: dict = {}
    for at, (_, record) in enumerate(months):
        for entry in record.get("classes") or ():
            if isinstance(entry, dict) and entry.get("class") is not None:
                values = columns.setdefault(str(entry["class"]), [None] * len(months))
                if values[at] is None:
                    values[at] = number(entry.get("ending_balance"))
    series = [Series(label, values) for label, values in columns.items() if any(v is not None for v in values)]
    return Plan("Class balances", "USD", series)


def pool_plan(months: list) -> Plan:
    """The pool's balance (left) and loan count (right)."""
    balances, counts = [], []
    for _, record in months:
        pool = record.get("pool") if isinstance(record.get("pool"), dict) else {}
        groups = _groups(record.get("collateral"))
        balance = number(pool.get("pool_balance"))
        balance = balance if balance is not None else number(pool.get("aggregate_ending_collateral_balance"))
        balances.append(balance if balance is not None else group_total(groups, "ending_balance"))
        count = number(pool.get("loan_count"))
        counts.append(count if count is not None else group_total(groups, "ending_count"))
    return Plan("Pool balance and loan count", "USD", [Series("pool balance", balances)],
                [Series("loan count", counts)], "loans")


def delinquency_plan(months: list) -> Plan:
    """The balance of each delinquency status, the deal's total (or the sum of its groups)."""
    table: dict[str, list[float | None]] = {status: [None] * len(months) for status in STATUSES}
    for at, (_, record) in enumerate(months):
        groups = _groups(record.get("delinquency"))
        if any(status in groups for status in STATUSES):  # one table of buckets, no groups
            groups = {"total": groups}
        for status, values in table.items():
            values[at] = group_total({name: _groups(g).get(status) or {} for name, g in groups.items()}, "balance")
    return Plan("Delinquency by status", "USD", [Series(s, v) for s, v in table.items() if any(x is not None for x in v)])


def loss_plan(months: list) -> Plan:
    """Cumulative realized losses as printed; when no month prints them, the running sum of each
    month's realized losses (over the months given only, and titled so)."""
    printed = [number(_pool(record).get("cumulative_realized_losses")) for _, record in months]
    if any(v is not None for v in printed):
        return Plan("Cumulative realized losses", "USD", [Series("cumulative realized losses", printed)])
    running, total = [], None
    for _, record in months:
        loss = number(_pool(record).get("realized_losses"))
        loss = loss if loss is not None else group_total(_groups(record.get("collateral")), "realized_losses")
        if loss is not None:
            total = (total or 0.0) + loss
        running.append(total if loss is not None else None)
    return Plan("Realized losses summed over the months shown", "USD", [Series("realized losses, summed", running)])


def _pool(record: dict) -> dict:
    pool = record.get("pool")
    return pool if isinstance(pool, dict) else {}


# -- drawing -----------------------------------------------------------------------------------


def label(value) -> str:
    """A printed name fit for a legend: control characters as their pictures, bounded, never hidden
    (matplotlib leaves a label that starts with ``_`` out of a legend)."""
    shown = visible(str(value).replace("\t", " "))
    shown = shown if len(shown) <= MAX_LABEL else shown[:MAX_LABEL - 1] + "\u2026"
    return "\u200b" + shown if shown.startswith("_") else shown


def _axis(months: list) -> tuple:
    """Each month's position (months apart as the calendar has them; in turn when one is no
    ``YYYY-MM``), and at most MAX_TICKS of them labelled."""
    try:
        x = [int(m[:4]) * 12 + int(m[5:7]) - 1 for m in months]
        if any(len(m) != 7 or m[4] != "-" for m in months):
            raise ValueError(months)
    except ValueError:
        x = list(range(len(months)))
    step = max(1, math.ceil(len(months) / MAX_TICKS))
    shown = list(range(0, len(months), step))
    return x, [x[i] for i in shown], [label(months[i]) for i in shown]


def _short(value: float, _position=None) -> str:
    """An axis figure: 1.2B, 340M, 12k."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.4g}{suffix}"
    return f"{value:,.4g}"


def _lines(axes, x: list, series: list, first: int) -> list:
    colors = [f"C{n}" for n in range(10)]
    styles = ["-", "--", ":", "-."]
    handles = []
    for n, one in enumerate(series, first):
        values = [math.nan if v is None else v for v in one.values]
        line, = axes.plot(x, values, color=colors[n % 10], linestyle=styles[n // 10 % 4], marker="o", markersize=3,
                          linewidth=1.4, label=label(one.label))
        handles.append(line)
    return handles


WIDTH, HEIGHT = 8.5, 3.4  # inches at matplotlib's 72 points an inch: a chart about 800 pixels wide


def _fixed_margins(figure, handles: list, columns: int, right_axis: bool) -> None:
    """Room for the legend from its longest label, rather than matplotlib's layout engine: measuring
    every text again for the layout was about half of a chart's time, and the bound was 5 s a deal."""
    longest = max((len(h.get_label()) for h in handles), default=0)
    legend = columns * (longest * 5.6 + 28) / (WIDTH * 72)  # small text: about 5.6 points a character
    right = max(0.45, 0.97 - legend - (0.07 if right_axis else 0.0))
    figure.subplots_adjust(left=0.09, right=right, top=0.95, bottom=0.2)


def _draw(plan: Plan, x: list, ticks: list, labels: list) -> str:
    """One plan as matplotlib's SVG text (rcParams set by the caller)."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=(WIDTH, HEIGHT))
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    handles = _lines(axes, x, plan.series, 0)
    axes.set_ylabel(plan.unit)
    if plan.right:
        other = axes.twinx()
        handles += _lines(other, x, plan.right, len(plan.series))
        other.set_ylabel(plan.right_unit)
        other.yaxis.set_major_formatter(FuncFormatter(_short))
    axes.set_xticks(ticks, labels, rotation=30 if len(ticks) > 4 else 0)
    axes.yaxis.set_major_formatter(FuncFormatter(_short))
    axes.grid(True, linewidth=0.4, alpha=0.5)
    axes.set_ylim(bottom=min(0.0, axes.get_ylim()[0]))
    columns = 1 if len(handles) <= 14 else 2
    _fixed_margins(figure, handles, columns, bool(plan.right))
    figure.legend(handles=handles, labels=[h.get_label() for h in handles], loc="upper left",
                  bbox_to_anchor=(figure.subplotpars.right + (0.07 if plan.right else 0.01), 0.97),
                  fontsize="small", ncols=columns, frameon=False)
    out = io.StringIO()
    with warnings.catch_warnings():  # a glyph the font lacks is drawn by the browser's: no word to the user
        warnings.simplefilter("ignore")
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


# -- matplotlib's SVG made fit for the page ----------------------------------------------------


def clean_svg(source: str, prefix: str, title: str = "") -> tuple:
    """``(svg element, css)``: ``source`` without style attributes, style elements, scripts, metadata,
    comments or prolog, every id and reference to one prefixed with ``prefix``."""
    root = ET.fromstring(source)  # the parser drops the prolog, the DOCTYPE and comments
    sheet = [_scoped(text, prefix) for text in _drop(root)]
    classes: dict = {}
    for element in root.iter():
        _rename(element, prefix, classes)
    sheet += [f".{name}{{{style}}}" for style, name in classes.items()]
    root.set("xmlns", SVG_NS)
    root.set("class", f"{prefix} chart")
    root.set("role", "img")
    if title:
        root.set("aria-label", title)
    # "<" has no place in a stylesheet: it could close the page's <style>
    return ET.tostring(root, encoding="unicode"), "\n".join(sheet).replace("<", "\\3c ") + "\n"


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _drop(root) -> list:
    """Remove what a page has no use for; the text of the style elements removed."""
    styles = []
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or _local(child.tag) in _DROPPED:
                if isinstance(child.tag, str) and _local(child.tag) == "style":
                    styles.append(child.text or "")
                parent.remove(child)
    return styles


def _rename(element, prefix: str, classes: dict) -> None:
    """The element's tag without its namespace, its id prefixed, references to ids prefixed, and its
    style made a class."""
    element.tag = _local(element.tag)
    for name, value in list(element.attrib.items()):
        local = _local(name)
        if name != local:  # xlink:href, the one namespaced attribute: SVG 2 reads it as href
            del element.attrib[name]
        if local == "id":
            value = f"{prefix}-{value}"
        elif local == "href" and value.startswith("#"):
            value = f"#{prefix}-{value[1:]}"
        else:
            value = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value)
        if local == "style":
            del element.attrib[name]
            style = value.strip()
            if style:
                name_of = classes.setdefault(style, f"{prefix}-s{len(classes) + 1}")
                element.set("class", f"{element.get('class', '')} {name_of}".strip())
            continue
        element.set(local, value)


def _scoped(css: str, scope: str) -> str:
    """A style element's rules, each selector limited to this chart's <svg>."""
    rules = []
    for rule in css.split("}"):
        if "{" in rule:
            selectors, body = rule.split("{", 1)
            chosen = ", ".join(f".{scope} {s.strip()}" for s in selectors.split(",") if s.strip())
            rules.append(f"{chosen}{{{_URL.sub(lambda m: f'url(#{scope}-{m.group(1)})', body.strip())}}}")
    return "\n".join(rules)
