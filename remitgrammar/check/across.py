"""Run the rules across months (RG4xx): group the months by deal, order them by date, run each rule."""

from __future__ import annotations

from decimal import localcontext

from ..errors import Finding
from . import misprints_months, rules_months  # noqa: F401  (registers the rules)
from .months import Month
from .registry import ACROSS
from .rules_months import Deal


def check_months(months: list[Month]) -> dict:
    """The findings across months, by the ``ref`` of the month they concern (its report's name unless
    the caller gave another), for reported months only.

    Months read for context (``reported=False``) take part in every comparison, but what is found on
    them is not reported. A rule that stops on an unexpected error gives an RG901 finding.
    """
    deals: dict[tuple, list[Month]] = {}
    for month in months:
        deals.setdefault(month.deal, []).append(month)
    found: dict = {}
    with localcontext() as decimal:
        decimal.prec = 80
        for members in deals.values():
            members.sort(key=lambda m: (m.date, m.reported))
            for month, finding in _run(Deal(members)):
                if month.reported:
                    found.setdefault(month.name if month.ref is None else month.ref, []).append(finding)
    return found


def _run(deal: Deal) -> list:
    """The findings of every rule over one deal: rule by rule, and within a rule in one order whatever
    the hash seed (a rule may walk the classes two months share as a set)."""
    position = {id(month): i for i, month in enumerate(deal.months)}
    for code in sorted(ACROSS):
        start = len(deal.findings)
        try:
            ACROSS[code].run(deal)
        except Exception as exc:  # noqa: BLE001 - one rule's failure must not hide the others
            deal.findings.append((deal.months[-1], Finding(
                "RG901", "error", f"rule {code} stopped: internal error: {type(exc).__name__}: {str(exc)[:200]}; "
                "please report it, with the files")))
        deal.findings[start:] = sorted(deal.findings[start:], key=lambda found: _order(position, *found))
    return deal.findings


def _order(position: dict, month, finding: Finding) -> tuple:
    return (position[id(month)], finding.line or 0, finding.column or 0, finding.path or "", finding.message,
            finding.code, finding.severity)
