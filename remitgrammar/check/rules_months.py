"""Rules across the months of one deal (RG4xx): what carries over, what never changes, what only
grows or falls. Each compares neighbouring months in date order: a violation between any two months
shows between two neighbours, so a deal's history is checked in linear time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise

from .intervals import evaluate
from .months import Month, keyed, period_of, strip_period
from .registry import ACROSS, number, rule
from ..errors import Finding, visible
from ..records import Key, parse_rendered, render_path

THIS, LAST = "this", "last"  # the month a carry's figure is of


@dataclass
class Deal:
    """The months of one deal in date order, and the findings the rules give them."""

    months: list
    findings: list = field(default_factory=list)  # (Month, Finding)

    def neighbours(self):
        """(earlier, later) for each pair of neighbouring months of different dates."""
        return [(a, b) for a, b in pairwise(self.months) if a.date != b.date]

    def consecutive(self):
        """(earlier, later) for each pair of neighbouring months one distribution apart."""
        return [(a, b) for a, b in self.neighbours() if b.index - a.index == 1]

    def finding(self, code: str, month: Month, path: str, message: str, expected=None, actual=None,
                severity: str | None = None) -> None:
        """A finding on ``month``, located where it printed ``path`` (else at its distribution date)."""
        line, column, source = month.where.get(path) or month.where.get("distribution_date") or (None, None, None)
        self.findings.append((month, Finding(code, severity or ACROSS[code].severity, message, path=path,
                                             line=line, column=column, source_line=source,
                                             expected=None if expected is None else _show(expected),
                                             actual=None if actual is None else _show(actual))))


def _show(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _at(month: Month) -> str:
    # the file's name, not its path: a message is part of what a baseline knows a finding by, and a
    # corpus that moves keeps its file names; shown escaped: a name may hold a newline or an escape sequence
    return f"{visible(os.path.basename(month.name) or month.name)} ({month.date.isoformat()})"


def _identity(deal: Deal, code: str, a: Month, b: Month, carry, path: str) -> None:
    """A declared carry for one key, reported where it fails."""
    failed = evaluate_carry(a, b, carry, path)
    if failed is not None:
        deal.finding(code, b, path, f"{carry.title}: {_show(failed.printed)} printed, but {_at(a)} gives "
                     f"{_show(failed.computed)} (off by {_show(failed.printed - failed.computed)}, rounding "
                     f"allows {_show(failed.allowed)})", failed.computed, failed.printed)


def evaluate_carry(a: Month, b: Month, carry, path: str):
    """The carry for one key (this month's figure at ``path`` is one of its sums), evaluated over the
    intervals of every figure in it (check/intervals.py, as every rule over one report): None when it
    holds or cannot be checked (a figure either month does not print), else its nearest failing sum.
    Each figure's path is (``this`` or ``last``, its rendered path)."""
    value = b.figures.get(path)
    if not number(value):
        return None
    tried = []
    for terms in carry.sums:
        figures = []
        for sign, pattern, earlier in terms:
            rendered = _bind(pattern, path, carry.value)
            figures.append((sign, (a if earlier else b).figures.get(rendered), (LAST if earlier else THIS, rendered)))
        identity = evaluate("RG401", (THIS, path), figures, value, carry.title)
        if identity is None:
            continue
        if not identity.failed:
            return None
        tried.append(identity)
    return min(tried, key=lambda i: abs(i.printed - i.computed)) if tried else None


def _bind(pattern: tuple, value_path: str, value_pattern: tuple) -> str:
    """A term's rendered path for the key the value's path took (``[*]`` -> that key)."""
    if "[*]" not in pattern:
        return render_path(keyed(pattern))
    key = _key_of(value_path, value_pattern)
    at = pattern.index("[*]")
    return render_path(keyed(pattern[:at]) + (Key(key),) + keyed(pattern[at + 1:]))


def _key_of(rendered: str, pattern: tuple) -> str:
    """The key a rendered path gives the pattern's ``[*]``."""
    path = parse_rendered(rendered)
    return str(path[pattern.index("[*]")])


def carried(deal: Deal, cumulative: bool | None = None):
    """(earlier, later, carry, rendered path of the later month's figure) of every declared carry of
    consecutive months: the later month's format says what carries."""
    for a, b in deal.consecutive():
        for carry in b.rules.carries:
            if cumulative is None or carry.cumulative == cumulative:
                for path in b.bound(carry.value):
                    yield a, b, carry, path


@rule("RG401", "month to month", "error", into=ACROSS,
      tolerance="half a unit of the last printed digit of each figure of the identity; loan counts exact",
      quirks="none seen in consecutive months; months further apart are not compared this way (RG404 says "
             "which are missing)")
def carry_over(deal: Deal) -> None:
    """In consecutive months of a deal, every figure a month states about the month before or after
    is that month's figure: what specs/canonical.yaml and the format declare under ``months: carries``
    (a class's or a loan group's beginning balance is last month's ending balance, its rate the rate
    last month gave for this one, the O/C amount last month's plus the increase less the release, ...),
    what a report prints as last month's figures (``prior.``) and as next month's (``next.``)."""
    for a, b, carry, path in carried(deal, cumulative=False):
        _identity(deal, "RG401", a, b, carry, path)
    for a, b in deal.consecutive():
        _periods(deal, a, b)


def _periods(deal: Deal, a: Month, b: Month) -> None:
    """A figure printed under ``prior.`` is last month's; one printed under ``next.`` next month's."""
    for earlier, later, period in ((a, b, "prior"), (b, a, "next")):
        for rendered, printed in later.figures.items():
            path = parse_rendered(rendered)
            if period_of(path) != period:
                continue
            own = render_path(strip_period(path))
            actual = earlier.figures.get(own)
            identity = evaluate("RG401", None, [(1, actual)], printed, period)
            if identity is None or not identity.failed:
                continue
            if period == "prior":
                deal.finding("RG401", b, rendered, f"last month's {own} is printed {_show(printed)}, but "
                             f"{_at(a)} printed {_show(actual)}", actual, printed)
            else:
                deal.finding("RG401", b, own, f"{own} is {_show(actual)}, but {_at(a)} gave it as "
                             f"{_show(printed)} for this month", printed, actual)


@rule("RG402", "cumulative figures", "error", into=ACROSS, also=("warning",),
      tolerance="half a unit of the last printed digit of each amount",
      quirks="Subsequent recoveries on liquidated loans can lower cumulative losses: a fall is a warning, "
             "not an error. In consecutive months the month's realized losses are taken net of recoveries, "
             "as printed.")
def cumulative_figures(deal: Deal) -> None:
    """A figure the declarations carry by itself (``months: carries`` whose sum holds last month's same
    figure and only additions: cumulative realized losses of the deal, a loan group, a class) is last
    month's plus this month's in consecutive months, and does not fall between any two months."""
    for a, b, carry, path in carried(deal, cumulative=True):
        _identity(deal, "RG402", a, b, carry, path)
    for a, b in deal.neighbours():
        for carry in b.rules.carries:
            if not carry.cumulative:
                continue
            for path in b.bound(carry.value):
                before, after = a.figures.get(path), b.figures.get(path)
                never_fell = evaluate("RG402", None, [(1, before)], after, path, relation=">=")
                if never_fell is not None and never_fell.failed:
                    deal.finding("RG402", b, path, f"{path} fell from {_show(before)} ({_at(a)}) to "
                                 f"{_show(after)}: recoveries, or a misprint", f"at least {before}", after,
                                 severity="warning")


@rule("RG403", "static facts", "error", into=ACROSS, also=("warning",),
      tolerance="exact: an original balance or a CUSIP is the same in every month",
      quirks="A class that appears or disappears (a table that leaves R out one month) is a warning.")
def static_facts(deal: Deal) -> None:
    """What specs/canonical.yaml and the format declare under ``months: same`` (a class's original
    balance and CUSIP, a loan group's cut-off balance) never changes from month to month, and the
    deal's classes are the same in every month."""
    for a, b in deal.neighbours():
        for pattern in b.rules.same:
            for path in b.bound(pattern):
                before, after = a.figures.get(path), b.figures.get(path)
                if before is not None and after is not None and before != after:
                    deal.finding("RG403", b, path, f"{path} is {_show(after)}, but {_at(a)} printed "
                                 f"{_show(before)}", before, after)
        classes_a, classes_b = set(a.keys.get("classes", ())), set(b.keys.get("classes", ()))
        for gone in sorted(classes_a - classes_b):
            deal.finding("RG403", b, "distribution_date", f"class {gone} of {_at(a)} is not in this report",
                         severity="warning")
        for new in sorted(classes_b - classes_a):
            deal.finding("RG403", b, f"classes[{new}].ending_balance", f"class {new} is not in {_at(a)}",
                         severity="warning")


@rule("RG404", "missing months", "info", into=ACROSS,
      tolerance="by calendar month of the distribution date",
      quirks="The 2003-HE2 seeds are June and November: four months are missing between them.")
def missing_months(deal: Deal) -> None:
    """Months of a deal that fall between two of its reports but are not among them: a note, since the
    rules of consecutive months cannot run across the gap."""
    for a, b in deal.neighbours():
        gap = b.index - a.index - 1
        if gap > 0:
            deal.finding("RG404", b, "distribution_date", f"{gap} month(s) of the deal between {_at(a)} and "
                         f"this report are not among the reports: consecutive-month rules skip the gap")


@rule("RG405", "balances never grow", "error", into=ACROSS,
      tolerance="half a unit of the last printed digit of each of the two balances",
      quirks="An accreting class (deferred interest) and the overcollateralization class grow by design "
             "and are not checked (X of the 2003-HE2 deal, 55 in June, 14,344,337 in November).")
def never_grow(deal: Deal) -> None:
    """A class's ending balance never grows from one month to a later one, unless it accretes."""
    for a, b in deal.neighbours():
        for name in sorted(set(a.keys.get("classes", ())) & set(b.keys.get("classes", ()))):
            if name in a.growing or name in b.growing:
                continue
            path = render_path(("classes", Key(name), "ending_balance"))
            before, after = a.figures.get(path), b.figures.get(path)
            never_grew = evaluate("RG405", None, [(1, before)], after, path, relation="<=")
            if never_grew is not None and never_grew.failed:
                deal.finding("RG405", b, path, f"class {name}'s ending balance grew "
                             f"from {before} ({_at(a)}) to {after}", f"at most {before}", after)


@rule("RG406", "one month twice", "warning", into=ACROSS,
      tolerance="exact",
      quirks="An amended filing repeats a month; when its figures agree it is information only.")
def same_month(deal: Deal) -> None:
    """Two reports of one deal for the same distribution date: their figures should agree."""
    for a, b in pairwise(deal.months):
        if a.date != b.date:
            continue
        differ = a.figures != b.figures
        deal.finding("RG406", b, "distribution_date",
                     f"{_at(a)} reports the same month" + (" with different figures" if differ else ", alike"),
                     severity=None if differ else "info")


@rule("RG408", "steady rates", "warning", into=ACROSS,
      tolerance="half a unit of the last printed digit of each rate",
      quirks="A step-up coupon (after the clean-up call date) or a cap that starts to bind changes a steady "
             "rate: a warning, not an error. A class whose rate moved in either of the two months (a floater, "
             "a capped class) is not checked.")
def steady_rates(deal: Deal) -> None:
    """In consecutive months, a class whose rate last month, the rate last month gave for this one and its
    rate this month are the same pays a fixed rate: the rate it gives for next month is that rate too."""
    for a, b in deal.consecutive():
        for name in sorted(set(a.keys.get("classes", ())) & set(b.keys.get("classes", ()))):
            rate, following = (render_path(("classes", Key(name), f)) for f in ("interest_rate_pct",
                                                                                "interest_rate_next_pct"))
            steady = [a.figures.get(rate), a.figures.get(following), b.figures.get(rate)]
            if not all(number(v) for v in steady) or len(set(steady)) != 1:
                continue
            kept = evaluate("RG408", None, [(1, steady[0])], b.figures.get(following), following)
            if kept is not None and kept.failed:
                deal.finding("RG408", b, following, f"class {name}'s rate was {_show(steady[0])} last month, for "
                             f"this month as {_at(a)} gave it, and this month: its rate for next month is printed "
                             f"{_show(b.figures[following])}", steady[0], b.figures[following])
