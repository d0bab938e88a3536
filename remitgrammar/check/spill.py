"""Findings and months of a corpus kept on disk while `check` runs, so that its memory stays flat.

A report's findings are known only after every month of its deal has been seen (the rules across
months add to them), so a corpus check must keep something of every report until the end. It
keeps an offset: the findings and the month go to an anonymous temporary file (unlinked at once,
readable by no other process) as JSON values, the large ones compressed, and come back one report or one
deal at a time.
JSON, not pickle: reading the file back runs no code whatever it holds. A Decimal (a record's
numbers, held whole when a run keeps records) goes in as its exact text and comes back as a Decimal.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import json
import tempfile
import zlib
from decimal import Decimal

from ..errors import Finding
from ..formats.months import Carry, MonthRules
from .months import Month

_FINDING_FIELDS = tuple(f.name for f in dataclasses.fields(Finding))  # every one: a field added is kept too


PACK_FROM = 64 * 1024  # a value this large is compressed: a record with provenance; findings and months are
# smaller, and compressing each of a cached corpus's thousands cost more time than their bytes are worth


class Spill:
    """An append-only file of JSON values, the large ones compressed (a record with its provenance, every
    number tagged, is five times its report's text as JSON, and about its size compressed), read back by
    offset."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(mode="w+b")

    def add(self, value) -> int:
        """Store ``value`` (JSON-able); return the offset that reads it back."""
        return self.add_dumped(dumps(value))

    def add_dumped(self, text: bytes) -> int:
        """Store what ``dumps`` wrote of a value (a cached one, kept so); the offset that reads it back."""
        self.file.seek(0, 2)
        offset = self.file.tell()
        packed = len(text) >= PACK_FROM
        data = zlib.compress(text, 1) if packed else text
        self.file.write(len(data).to_bytes(8, "big") + (b"z" if packed else b"=") + data)
        return offset

    def get(self, offset: int):
        self.file.seek(offset)
        size = int.from_bytes(self.file.read(8), "big")
        packed = self.file.read(1) == b"z"
        data = self.file.read(size)
        return loads(zlib.decompress(data) if packed else data)

    def close(self) -> None:
        self.file.close()


def dumps(value) -> bytes:
    """``value`` as JSON bytes, every Decimal tagged (the result cache stores its entries so too)."""
    # ASCII escapes: a file name read with surrogate escapes (not UTF-8 on disk) round-trips too
    return json.dumps(value, separators=(",", ":"), default=_tagged).encode("ascii")


def loads(data: bytes):
    """What ``dumps`` wrote, its Decimals back."""
    if _DECIMAL_JSON not in data:  # no Decimal in it: no hook to call on every object
        return json.loads(data)
    return json.loads(data, object_hook=_untagged)


_DECIMAL = "\x00decimal"  # a key no record holds: a report's NUL makes it binary (RG100), never a label
_DECIMAL_JSON = json.dumps(_DECIMAL).encode("ascii")[1:-1]  # the key as dumps writes it


def _tagged(value):
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    raise TypeError(f"{type(value).__name__} is not kept in a spill file")


def _untagged(value: dict):
    return Decimal(value[_DECIMAL]) if len(value) == 1 and _DECIMAL in value else value


def findings_out(findings: list) -> list:
    return [[getattr(f, k) for k in _FINDING_FIELDS] for f in findings]


def findings_in(rows: list) -> list:
    """The findings as they went in: not through Finding() again, which would clip a clipped message."""
    found = []
    for row in rows:
        finding = object.__new__(Finding)
        finding.__dict__.update(zip(_FINDING_FIELDS, row, strict=True))
        grounds = getattr(finding, "rests_on", None)
        if grounds is not None:  # a tuple, written as a JSON list
            finding.rests_on = tuple(grounds)
        found.append(finding)
    return found


def month_out(month: Month) -> dict:
    """A month as JSON: numbers as their exact text, dates as ISO dates, its declarations as data."""
    return {"name": month.name, "deal": list(month.deal), "date": month.date.isoformat(),
            "figures": _values_out(month.figures), "where": month.where, "growing": sorted(month.growing),
            "rules": _rules_out(month.rules), "keys": {k: list(v) for k, v in month.keys.items()},
            "reported": month.reported, "ref": month.ref, "checked": month.checked, "suspects": month.suspects}


def month_in(data: dict) -> Month:
    return Month(data["name"], tuple(data["deal"]), _dt.date.fromisoformat(data["date"]),
                 _values_in(data["figures"]), {path: tuple(at) for path, at in data["where"].items()},
                 frozenset(data["growing"]), _rules_in(json.dumps(data["rules"])),
                 {k: tuple(v) for k, v in data["keys"].items()}, data["reported"], data["ref"], data["checked"],
                 data["suspects"])


def _rules_out(rules: MonthRules) -> list:
    return [[list(p) for p in rules.same],
            [[c.title, list(c.value), [[[sign, list(path), last] for sign, path, last in terms] for terms in c.sums]]
             for c in rules.carries]]


@functools.lru_cache(maxsize=64)
def _rules_in(text: str) -> MonthRules:
    """The declarations of a month; the months of one format share one copy (cached by their text)."""
    same, carries = json.loads(text)
    return MonthRules(tuple(tuple(p) for p in same),
                      tuple(Carry(title, tuple(value), tuple(tuple((sign, tuple(path), last) for sign, path, last in terms)
                                                          for terms in sums))
                            for title, value, sums in carries))


def _values_out(values: dict) -> dict:
    return {k: {"decimal": str(v)} if isinstance(v, Decimal) else v for k, v in values.items()}


def _values_in(values: dict) -> dict:
    return {k: Decimal(v["decimal"]) if isinstance(v, dict) else v for k, v in values.items()}


