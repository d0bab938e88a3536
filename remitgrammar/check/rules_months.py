"""Rules across the months of one deal (RG4xx): what carries over, what never changes, what only
grows or falls. Each compares neighbouring months in date order: a violation between any two months
shows between two neighbours, so a deal's history is checked in linear time."""

from __future__ import annotations

import os

from dataclasses import dataclass, field
from decimal import Decimal

from .months import Month
from .registry import ACROSS, number, rule, slack
from ..records import render_path
from ..errors import Finding, visible

STATIC_FIELDS = ("original_balance", "cusip")


@dataclass
class Deal:
    """The months of one deal in date order, and the findings the rules give them."""

    months: list
    findings: list = field(default_factory=list)  # (Month, Finding)

    def neighbours(self):
        """(earlier, later) for each pair of neighbouring months of different dates."""
        return [(a, b) for a, b in zip(self.months, self.months[1:]) if a.date != b.date]

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


def _carries(deal: Deal, code: str, a: Month, b: Month, path: str, before, after, what: str) -> None:
    """``after`` (this month) must be ``before`` (last month's), within their printed precision."""
    if number(before) and number(after) and abs(after - before) > slack([before, after]):
        deal.finding(code, b, path, f"{what} is {after}, but {_at(a)} ended it at {before}", before, after)


@rule("RG401", "month to month", "error", into=ACROSS,
      tolerance="half a unit of the last printed digit of each of the two figures; loan counts exact",
      quirks="none seen in consecutive months; months further apart are not compared this way (RG404 says "
             "which are missing)")
def carry_over(deal: Deal) -> None:
    """In consecutive months of a deal, each class's beginning balance is the previous month's ending
    balance, and so is each loan group's; a group's beginning loan count is the previous ending count;
    what a report prints as last month's figures is what last month's report printed; and the O/C
    amount is last month's plus the increase less the release (less the realized losses, where the
    increase is counted before them)."""
    for a, b in deal.consecutive():
        for name in sorted(a.classes.keys() & b.classes.keys()):
            _carries(deal, "RG401", a, b, f"classes[{name}].beginning_balance",
                     a.classes[name].get("ending_balance"), b.classes[name].get("beginning_balance"),
                     f"class {name}'s beginning balance")
        for group in sorted(a.groups.keys() & b.groups.keys()):
            before, after = a.groups[group], b.groups[group]
            _carries(deal, "RG401", a, b, f"collateral[{group}].beginning_balance", before.get("ending_balance"),
                     after.get("beginning_balance"), f"group {group}'s beginning balance")
            _carries(deal, "RG401", a, b, f"collateral[{group}].beginning_loan_count", before.get("ending_count"),
                     after.get("beginning_loan_count"), f"group {group}'s beginning loan count")
        _priors(deal, a, b)
        _oc_roll(deal, a, b)


def _priors(deal: Deal, a: Month, b: Month) -> None:
    """What a report prints as last month's figures (``prior``) is what last month's report printed."""
    for owner, printed in b.prior.items():
        before = a.pool if owner == ("pool",) else a.groups.get(str(owner[1]), {})
        for name, value in printed.items():
            path = render_path(owner + ("prior", name))
            _carries(deal, "RG401", a, b, path, before.get(name), value, f"last month's {name} as printed here")


def _oc_roll(deal: Deal, a: Month, b: Month) -> None:
    """The O/C amount is last month's plus this month's increase less its release (less its realized
    losses, where the increase is counted before them), when the report does not print last month's."""
    before, now = a.pool.get("overcollateralization_amount"), b.pool
    if b.prior.get(("pool",), {}).get("overcollateralization_amount") is not None:
        return  # RG313 holds it to the prior amount printed in the report itself
    if not all(number(v) for v in (before, now.get("overcollateralization_amount"), now.get("oc_increase"),
                                      now.get("oc_release"))):
        return
    rolled = before + now["oc_increase"] - now["oc_release"]
    losses = now.get("realized_losses") if number(now.get("realized_losses")) else 0
    amount = now["overcollateralization_amount"]
    allowed = slack([before, amount, now["oc_increase"], now["oc_release"], losses])
    if min(abs(amount - rolled), abs(amount - rolled + losses)) > allowed:
        deal.finding("RG401", b, "pool.overcollateralization_amount", f"the O/C amount is {amount}, but {_at(a)}'s "
                     f"{before} plus this month's increase less its release is {rolled}"
                     + (f" ({rolled - losses} less its realized losses)" if losses else ""), rolled, amount)


@rule("RG402", "cumulative losses", "error", into=ACROSS, also=("warning",),
      tolerance="half a unit of the last printed digit of each amount",
      quirks="Subsequent recoveries on liquidated loans can lower cumulative losses: a fall is a warning, "
             "not an error. In consecutive months the month's realized losses are taken net of recoveries, "
             "as printed.")
def cumulative_losses(deal: Deal) -> None:
    """In consecutive months cumulative realized losses grow by the month's realized losses (for the
    pool, each loan group and each class that prints them); between any two months they do not fall."""
    for a, b in deal.neighbours():
        for path, before, after, month_loss in _cumulatives(a, b):
            if not (number(before) and number(after)):
                continue
            if after < before - slack([before, after]):
                deal.finding("RG402", b, path, f"cumulative losses fell from {before} ({_at(a)}) to {after}: "
                             "recoveries, or a misprint", f"at least {before}", after, severity="warning")
            elif b.index - a.index == 1 and number(month_loss):
                _carries(deal, "RG402", a, b, path, before + month_loss, after,
                         f"cumulative losses (last month's plus this month's {month_loss})")


def _cumulatives(a: Month, b: Month):
    """(path, earlier cumulative, later cumulative, later month's loss) for every owner of cumulative losses."""
    yield "pool.cumulative_realized_losses", a.pool.get("cumulative_realized_losses"), \
        b.pool.get("cumulative_realized_losses"), b.pool.get("realized_losses")
    for group in sorted(a.groups.keys() & b.groups.keys()):
        yield (f"collateral[{group}].cumulative_realized_losses", a.groups[group].get("cumulative_realized_losses"),
               b.groups[group].get("cumulative_realized_losses"), b.groups[group].get("realized_losses"))
    for name in sorted(a.classes.keys() & b.classes.keys()):
        yield (f"classes[{name}].cumulative_realized_loss", a.classes[name].get("cumulative_realized_loss"),
               b.classes[name].get("cumulative_realized_loss"), b.classes[name].get("realized_loss"))


@rule("RG403", "static facts", "error", into=ACROSS, also=("warning",),
      tolerance="exact: an original balance or a CUSIP is the same in every month",
      quirks="A class that appears or disappears (a table that leaves R out one month) is a warning.")
def static_facts(deal: Deal) -> None:
    """A class's original balance and CUSIP never change from month to month, and the deal's classes
    are the same in every month."""
    for a, b in deal.neighbours():
        for name in sorted(a.classes.keys() & b.classes.keys()):
            for fieldname in STATIC_FIELDS:
                before, after = a.classes[name].get(fieldname), b.classes[name].get(fieldname)
                if before is not None and after is not None and before != after:
                    deal.finding("RG403", b, f"classes[{name}].{fieldname}", f"class {name}'s {fieldname} is "
                                 f"{after}, but {_at(a)} printed {before}", before, after)
        for gone in sorted(a.classes.keys() - b.classes.keys()):
            deal.finding("RG403", b, "distribution_date", f"class {gone} of {_at(a)} is not in this report",
                         severity="warning")
        for new in sorted(b.classes.keys() - a.classes.keys()):
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
        for name in sorted(a.classes.keys() & b.classes.keys()):
            if name in a.growing or name in b.growing:
                continue
            before, after = a.classes[name].get("ending_balance"), b.classes[name].get("ending_balance")
            if number(before) and number(after) and after > before + slack([before, after]):
                deal.finding("RG405", b, f"classes[{name}].ending_balance", f"class {name}'s ending balance grew "
                             f"from {before} ({_at(a)}) to {after}", f"at most {before}", after)


@rule("RG406", "one month twice", "warning", into=ACROSS,
      tolerance="exact",
      quirks="An amended filing repeats a month; when its figures agree it is information only.")
def same_month(deal: Deal) -> None:
    """Two reports of one deal for the same distribution date: their figures should agree."""
    for a, b in zip(deal.months, deal.months[1:]):
        if a.date != b.date:
            continue
        differ = a.classes != b.classes or a.groups != b.groups or a.pool != b.pool
        deal.finding("RG406", b, "distribution_date",
                     f"{_at(a)} reports the same month" + (" with different figures" if differ else ", alike"),
                     severity=None if differ else "info")
