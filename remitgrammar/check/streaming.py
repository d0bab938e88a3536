"""A corpus held in flat memory until its months are compared: each report's part on disk, then
the findings across months.

The reports arrive one at a time (from the worker pool, in input order). What the run keeps of each
(its findings, its record when asked for) and its month go to a spill file; in memory stays only
each month's deal and offset. Once every report (and every month read only for comparison) has been
seen, the months are read back one deal at a time for the rules across months, and the reports are
read back in input order with the findings across months of each.
"""

from __future__ import annotations

from dataclasses import replace

from .across import check_months
from .spill import Spill, month_in, month_out


class Held:
    """Reports on disk until every month of their deals is in: ``add`` each reported one (in input
    order), ``compare`` each month read for comparison only, then ``across`` and ``get``."""

    def __init__(self):
        self.spill = Spill()
        self.offsets: list = []  # report index -> offset of its part
        self.deals: dict = {}    # deal -> offsets of its months

    def add(self, part, month=None) -> int:
        """Keep a reported report's part (JSON values and Decimals) and its month; its index."""
        index = len(self.offsets)
        self.offsets.append(self.spill.add(part))
        if month is not None:  # the deals of a submission share its name: findings come back by index
            self.deals.setdefault(month.deal, []).append((self.spill.add(month_out(month)), index))
        return index

    def add_dumped(self, part: bytes, month: bytes | None, deal) -> int:
        """``add`` for a part and month already in spill.dumps' form (as the result cache keeps them):
        stored as they are, never decoded here; ``deal`` is the month's."""
        index = len(self.offsets)
        self.offsets.append(self.spill.add_dumped(part))
        if month is not None:
            self.deals.setdefault(deal, []).append((self.spill.add_dumped(month), index))
        return index

    def compare(self, month) -> None:
        """A month read for comparison only (``reported`` False): compared, never reported."""
        if month is not None:
            self._keep(month)

    def across(self) -> dict:
        """The findings across months by report index, one deal in memory at a time."""
        found: dict = {}
        for offsets in self.deals.values():
            months = [_as_ref(month_in(self.spill.get(o)), ref) for o, ref in offsets]
            for ref, findings in check_months(months).items():
                found.setdefault(ref, []).extend(findings)
        return found

    def get(self, index: int):
        """The part of the report ``add`` numbered ``index``, as it went in."""
        return self.spill.get(self.offsets[index])

    def __len__(self) -> int:
        return len(self.offsets)

    def close(self) -> None:
        self.spill.close()

    def _keep(self, month) -> None:
        self.deals.setdefault(month.deal, []).append((self.spill.add(month_out(month)), None))


def _as_ref(month, ref):
    """A reported month under its report's index (the deals of a submission share its name)."""
    return month if ref is None else replace(month, ref=ref)
