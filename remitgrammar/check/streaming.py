"""A corpus held in flat memory until its months are compared: each report's part on disk, then
the findings across months.

The reports arrive one at a time (from the worker pool, in input order). What the run keeps of each
(its findings, its record when asked for) and its month go to a spill file; in memory stays only
each month's deal and offset. Once every report (and every month read only for comparison) has been
seen, the months are read back one deal at a time for the rules across months, and the reports are
read back in input order with the findings across months of each.

With a memo of deals (cache.DealMemo), a deal whose months are, byte for byte and in the same order, those
of a deal an earlier run compared takes that run's findings across months: its months are never read
back. The findings depend on nothing else (the memo's key holds the code and the formats), and they are
kept by each month's place in its deal, not by report index, so that a corpus given in another order or
with other deals beside still finds them.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from .across import check_months
from .spill import Spill, dumps, findings_in, findings_out, month_in, month_out


class Held:
    """Reports on disk until every month of their deals is in: ``add`` each reported one (in input
    order), ``compare`` each month read for comparison only, then ``across`` and ``get``."""

    def __init__(self, memo=None):
        self.spill = Spill()
        self.offsets: list = []  # report index -> offset of its part
        self.deals: dict = {}    # deal -> offsets of its months
        self.memo = memo         # findings across months by a deal's digest (cache.DealMemo), or None
        self.digests: dict = {}  # deal -> the sha256 of its months as stored, in order

    def add(self, part, month=None) -> int:
        """Keep a reported report's part (JSON values and Decimals) and its month; its index."""
        return self.add_dumped(dumps(part), None if month is None else dumps(month_out(month)),
                               None if month is None else month.deal)

    def add_dumped(self, part: bytes, month: bytes | None, deal) -> int:
        """``add`` for a part and month already in spill.dumps' form (as the result cache keeps them):
        stored as they are, never decoded here; ``deal`` is the month's."""
        index = len(self.offsets)
        self.offsets.append(self.spill.add_dumped(part))
        if month is not None:  # the deals of a submission share its name: findings come back by index
            self._month(deal, month, index)
        return index

    def compare(self, month) -> None:
        """A month read for comparison only (``reported`` False): compared, never reported."""
        if month is not None:
            self._month(month.deal, dumps(month_out(month)), None)

    def across(self) -> dict:
        """The findings across months by report index, one deal in memory at a time."""
        found: dict = {}
        for deal, offsets in self.deals.items():
            digest = self.digests[deal].hexdigest() if self.memo is not None else ""
            placed = _placed(self.memo.get(digest), offsets) if self.memo is not None else None
            if placed is None:
                placed = self._compared(offsets)
                if self.memo is not None:
                    self.memo.put(digest, [[at, findings_out(f)] for at, f in placed])
            for at, findings in placed:
                found.setdefault(offsets[at][1], []).extend(findings)
        return found

    def _compared(self, offsets: list) -> list:
        """(place in the deal, findings) of the reported months of one deal, its rules run."""
        months = [_as_ref(month_in(self.spill.get(o)), ref) for o, ref in offsets]
        by_ref = check_months(months)
        return [(at, by_ref[ref]) for at, (_, ref) in enumerate(offsets) if ref is not None and ref in by_ref]

    def get(self, index: int):
        """The part of the report ``add`` numbered ``index``, as it went in."""
        return self.spill.get(self.offsets[index])

    def __len__(self) -> int:
        return len(self.offsets)

    def close(self) -> None:
        self.spill.close()

    def _month(self, deal, month: bytes, ref) -> None:
        """Keep a month as stored, and fold it into its deal's digest (whether reported, and its bytes)."""
        self.deals.setdefault(deal, []).append((self.spill.add_dumped(month), ref))
        if self.memo is not None:
            digest = self.digests.setdefault(deal, hashlib.sha256())
            digest.update(b"%c%d:" % (b"h" if ref is None else b"r", len(month)) + month)


def _placed(stored, offsets: list) -> list | None:
    """(place, findings) as a memo kept them, or None when they do not fit this deal's months."""
    if stored is None:
        return None
    try:
        placed = [(int(at), findings_in(rows)) for at, rows in stored]
    except (TypeError, ValueError, AttributeError):
        return None
    if any(not 0 <= at < len(offsets) or offsets[at][1] is None for at, _ in placed):
        return None
    return placed


def _as_ref(month, ref):
    """A reported month under its report's index (the deals of a submission share its name)."""
    return month if ref is None else replace(month, ref=ref)
