"""A corpus through `check` in flat memory: each report's own findings, then those across months.

The reports arrive one at a time (from the worker pool, in input order). Their findings and months
go to a spill file; in memory stays only each month's deal, date and offset. Once every report
(and every month read for context) has been seen, the months are read back one deal at a time
for the rules across months, and the reports come out in input order with all their findings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Iterator

from .across import check_months
from .spill import Spill, findings_in, findings_out, month_in, month_out


def check_corpus(reports: Iterable, context: Callable | None = None) -> Iterator[tuple]:
    """(name, findings, identity) of each report, in order.

    ``reports`` yields objects with ``name``, ``findings``, ``month`` (a Month or None) and optionally
    ``identity`` (what baselines know the report by);
    ``context``, given the names of the reports, yields the months of reports read only for
    comparison (``reported`` False).
    """
    spill = Spill()
    try:
        names, offsets, deals = [], [], {}
        for index, report in enumerate(reports):
            names.append(report.name)
            offsets.append(spill.add([getattr(report, "identity", None), findings_out(report.findings)]))
            if report.month is not None:  # the deals of a submission share its name: findings come back by index
                _keep(spill, deals, replace(report.month, ref=index))
        for month in context(names) if context is not None else ():
            if month is not None:
                _keep(spill, deals, month)
        across = _across(spill, deals)
        for index, name in enumerate(names):
            identity, findings = spill.get(offsets[index])
            yield name, findings_in(findings) + across.get(index, []), identity
    finally:
        spill.close()


def _keep(spill: Spill, deals: dict, month) -> None:
    deals.setdefault(month.deal, []).append(spill.add(month_out(month)))


def _across(spill: Spill, deals: dict) -> dict:
    """The findings across months by report index, one deal in memory at a time."""
    found: dict = {}
    for offsets in deals.values():
        for ref, findings in check_months([month_in(spill.get(o)) for o in offsets]).items():
            found.setdefault(ref, []).extend(findings)
    return found
