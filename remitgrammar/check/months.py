"""One report as the rules across months see it: its deal, its distribution date, and the figures that
its format's month declarations (formats/months.py) compare with other months: kept small, a corpus
holds thousands of months."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..deals import DEFAULT_PATHS, key_values
from ..formats.months import MonthRules
from ..records import PERIODS, Key, parse_rendered, render_path, value_at
from .registry import Context, number
from .suspects import suspects_of

MONTH_PERIODS = {"prior": -1, "next": 1}  # canonical.yaml's periods that name another month
WILD = "[*]"
FALLING = ("classes", WILD, "ending_balance")  # RG405: a class's balance never grows


@dataclass
class Month:
    """The figures of one report that the rules across months compare."""

    name: str                     # the report as the run names it
    deal: tuple                   # what links the months of one deal
    date: _dt.date                # its distribution date
    figures: dict                 # rendered record path -> printed value (numbers, ids)
    where: dict                   # rendered record path -> (line, column, source line)
    growing: frozenset            # classes whose balance may grow: accreting, or the O/C class
    rules: MonthRules = field(default_factory=MonthRules)  # its format's declarations across months
    keys: dict = field(default_factory=dict)  # rendered path of a keyed section -> its keys, as printed
    reported: bool = True         # False for a report read for context (--history)
    ref: object = None            # what findings are returned under, when not the name (reports share one)
    checked: list = field(default_factory=list)   # its identities that mention a figure of a failed one (data)
    suspects: dict = field(default_factory=dict)  # rendered path of such a figure -> indexes into ``checked``

    @property
    def index(self) -> int:
        """Months since year 0: consecutive distributions differ by one."""
        return self.date.year * 12 + self.date.month

    def bound(self, pattern: tuple) -> list:
        """The rendered paths a pattern stands for in this month: ``[*]`` takes each key its section
        prints, ``[key]`` is that key."""
        if WILD not in pattern:
            return [render_path(keyed(pattern))]
        at = pattern.index(WILD)
        keys = self.keys.get(render_path(keyed(pattern[:at])), ())
        return [render_path(keyed(pattern[:at]) + (Key(k),) + keyed(pattern[at + 1:])) for k in keys]


def month_of(name: str, result, reported: bool = True, ref=None) -> Month | None:
    """The month of a parsed report, or None when it names no deal or no distribution date.

    ``ref`` identifies the report to the caller (the deals of one EDGAR submission share its name)."""
    record = result.record
    try:
        date = _dt.date.fromisoformat(str(record.get("distribution_date")))
    except ValueError:
        return None
    deal = deal_key(record, getattr(result.spec, "deal_key", ()) or DEFAULT_PATHS)
    if deal is None:
        return None
    rules = getattr(result.spec, "months", None) or _shared_rules()
    month = Month(name, deal, date, {}, {}, _growing(result), rules, reported=reported, ref=ref)
    patterns = _patterns(rules)
    month.keys = {render_path(keyed(p[:p.index(WILD)])): _keys_at(record, keyed(p[:p.index(WILD)]))
                  for p in patterns if WILD in p}
    paths = {path for pattern in patterns for path in month.bound(pattern)} | _periods(result.provenance)
    for rendered in sorted(paths):
        value = value_at(record, parse_rendered(rendered))
        if number(value) or isinstance(value, str):
            month.figures[rendered] = value
    month.where = _where(month, result)
    month.checked, month.suspects = suspects_of(getattr(result, "identities", ()))
    return month


def _shared_rules() -> MonthRules:
    from ..formats.search import canonical_months  # a spec built by hand (tests, the API) carries none
    return canonical_months()


def _patterns(rules: MonthRules) -> set:
    """Every path pattern the declarations read, each as this month (the month after reads its
    ``last.`` figures from it) and the falling class balances."""
    patterns = set(rules.same) | {FALLING}
    for carry in rules.carries:
        patterns.update(carry.paths(last=False))
        patterns.update(carry.paths(last=True))
    return patterns


def keyed(pattern: tuple) -> tuple:
    """A declared path (``[key]`` segments in brackets) as a record path (Key segments)."""
    return tuple(Key(s[1:-1]) if s.startswith("[") and s != WILD else s for s in pattern)


def _keys_at(record: dict, prefix: tuple) -> tuple:
    node = value_at(record, prefix)
    if isinstance(node, dict):
        return tuple(str(k) for k, v in node.items() if isinstance(v, dict))
    if isinstance(node, list):
        return tuple(str(e["class"]) for e in node if isinstance(e, dict) and "class" in e)
    return ()


def _periods(provenance: dict) -> set:
    """Every printed figure of another month (under ``prior.`` or ``next.``), and this month's figure
    of the same path: the month before or after compares them."""
    found = set()
    for rendered in provenance:
        path = parse_rendered(rendered)
        if period_of(path) is not None:
            found.add(rendered)
            found.add(render_path(strip_period(path)))
    return found


def period_of(path: tuple) -> str | None:
    """``prior`` or ``next`` where a path names a figure of another month, else None."""
    found = [s for s in path if not isinstance(s, Key) and s in MONTH_PERIODS]
    return found[0] if len(found) == 1 else None


def strip_period(path: tuple) -> tuple:
    """The path of the same figure for its own month: ``pool.prior.wac_pct`` -> ``pool.wac_pct``."""
    return tuple(s for s in path if isinstance(s, Key) or s not in PERIODS)


def deal_key(record: dict, paths) -> tuple | None:
    """The normalised values of the deal-key paths (deals.py: the one answer `check` and the exports
    share), or None when one is empty: a registrant without its series would link all of its deals."""
    return key_values(record, tuple(paths))


def _growing(result) -> frozenset:
    ctx = Context(result.record, result.provenance, result.spec, [])
    accreting = {e["class"] for e in ctx.classes if number(e.get("deferred_interest")) and e["deferred_interest"] > 0}
    oc_class = ctx.oc_class()
    return frozenset(accreting | ({oc_class} if oc_class else set()))


def _where(month: Month, result) -> dict:
    """Where each kept figure was printed: rendered path -> (line, column, source line)."""
    found = {}
    for rendered in list(month.figures) + ["distribution_date"]:
        at = result.provenance.get(rendered)
        if at:
            line = at["line"]
            source = result.lines[line - 1] if 0 < line <= len(result.lines) else None
            found[rendered] = (line, at["column"], source)
    return found
