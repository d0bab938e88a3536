"""One report as the rules across months see it: its deal, its distribution date, and the figures
that carry from one month to the next (kept small: a corpus holds thousands of months)."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from ..records import Key, render_path
from .registry import Context, number

CLASS_FIELDS = ("original_balance", "beginning_balance", "ending_balance", "cusip", "realized_loss",
                "cumulative_realized_loss", "deferred_interest")
GROUP_FIELDS = ("beginning_balance", "ending_balance", "beginning_loan_count", "ending_count", "realized_losses",
                "cumulative_realized_losses")
POOL_FIELDS = ("realized_losses", "cumulative_realized_losses", "overcollateralization_amount", "oc_increase",
               "oc_release")
DEFAULT_DEAL_KEY = ("filing.registrant", "filing.series")


@dataclass
class Month:
    """The figures of one report that the rules across months compare."""

    name: str                     # the report as the run names it
    deal: tuple                   # what links the months of one deal
    date: _dt.date                # its distribution date
    classes: dict                 # class -> {field: value}
    groups: dict                  # loan group -> {field: value}
    pool: dict                    # {field: value}
    where: dict                   # record path -> (line, column, source line)
    growing: frozenset            # classes whose balance may grow: accreting, or the O/C class
    reported: bool = True         # False for a report read for context (--history)
    ref: object = None            # what findings are returned under, when not the name (reports share one)
    prior: dict = field(default_factory=dict)  # owner path -> what it prints as last month's figures

    @property
    def index(self) -> int:
        """Months since year 0: consecutive distributions differ by one."""
        return self.date.year * 12 + self.date.month


def month_of(name: str, result, reported: bool = True, ref=None) -> Month | None:
    """The month of a parsed report, or None when it names no deal or no distribution date.

    ``ref`` identifies the report to the caller (the deals of one EDGAR submission share its name)."""
    record = result.record
    try:
        date = _dt.date.fromisoformat(str(record.get("distribution_date")))
    except ValueError:
        return None
    deal = deal_key(record, getattr(result.spec, "deal_key", ()) or DEFAULT_DEAL_KEY)
    if deal is None:
        return None
    classes = {e["class"]: {k: e[k] for k in CLASS_FIELDS if k in e} for e in record.get("classes", [])}
    collateral = record.get("collateral") or {}
    groups = {g: {k: v[k] for k in GROUP_FIELDS if k in v} for g, v in collateral.items()}
    pool = {k: record["pool"][k] for k in POOL_FIELDS if k in record.get("pool", {})}
    month = Month(name, deal, date, classes, groups, pool, {}, _growing(result), reported)
    month.prior = {("pool",): _scalars(record.get("pool", {}).get("prior"))}
    month.prior.update({("collateral", Key(g)): _scalars(v.get("prior")) for g, v in collateral.items()})
    month.where = _where(month, result)
    month.ref = ref
    return month


def _scalars(prior) -> dict:
    """The numbers an owner prints as last month's (``prior``), without the nested tables."""
    return {k: v for k, v in (prior or {}).items() if number(v)}


def deal_key(record: dict, paths) -> tuple | None:
    """The values of the deal-key paths, normalized (case, spacing, punctuation), or None when one is
    empty: a registrant without its series would link all of its deals as one."""
    values = []
    for path in paths:
        node = record
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        values.append(" ".join(re.findall(r"[A-Z0-9]+", str(node).upper())) if node is not None else "")
    return tuple(values) if all(values) else None


def _growing(result) -> frozenset:
    ctx = Context(result.record, result.provenance, result.spec, [])
    accreting = {e["class"] for e in ctx.classes if number(e.get("deferred_interest")) and e["deferred_interest"] > 0}
    oc_class = ctx.oc_class()
    return frozenset(accreting | ({oc_class} if oc_class else set()))


def _where(month: Month, result) -> dict:
    """Where each kept figure was printed: record path -> (line, column, source line)."""
    paths = [("classes", Key(c), f) for c, values in month.classes.items() for f in values]
    paths += [("collateral", Key(g), f) for g, values in month.groups.items() for f in values]
    paths += [("pool", f) for f in month.pool] + [("distribution_date",)]
    paths += [owner + ("prior", f) for owner, values in month.prior.items() for f in values]
    found = {}
    for path in paths:
        rendered = render_path(path)
        at = result.provenance.get(rendered)
        if at:
            line = at["line"]
            source = result.lines[line - 1] if 0 < line <= len(result.lines) else None
            found[rendered] = (line, at["column"], source)
    return found
