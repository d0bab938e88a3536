"""Findings and months of a corpus kept on disk while `check` runs, so that its memory stays flat.

A report's findings are known only after every month of its deal has been seen (the rules across
months add to them), so a corpus check must keep something of every report until the end. It
keeps an offset: the findings and the month go to an anonymous temporary file (unlinked at once,
readable by no other process) as JSON lines, and come back one report or one deal at a time.
JSON, not pickle: reading the file back runs no code whatever it holds.
"""

from __future__ import annotations

import datetime as _dt
import json
import tempfile
from decimal import Decimal

from ..records import Key
from ..errors import Finding
from .months import Month

_FINDING_FIELDS = ("code", "severity", "message", "path", "line", "column", "source_line", "expected",
                   "actual", "hint")


class Spill:
    """An append-only file of JSON values, read back by offset."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(mode="w+b")

    def add(self, value) -> int:
        """Store ``value`` (JSON-able); return the offset that reads it back."""
        self.file.seek(0, 2)
        offset = self.file.tell()
        # ASCII escapes: a file name read with surrogate escapes (not UTF-8 on disk) round-trips too
        self.file.write(json.dumps(value, separators=(",", ":")).encode("ascii") + b"\n")
        return offset

    def get(self, offset: int):
        self.file.seek(offset)
        return json.loads(self.file.readline())

    def close(self) -> None:
        self.file.close()


def findings_out(findings: list) -> list:
    return [[getattr(f, k) for k in _FINDING_FIELDS] for f in findings]


def findings_in(rows: list) -> list:
    """The findings as they went in: not through Finding() again, which would clip a clipped message."""
    found = []
    for row in rows:
        finding = object.__new__(Finding)
        finding.__dict__.update(zip(_FINDING_FIELDS, row))
        found.append(finding)
    return found


def month_out(month: Month) -> dict:
    """A month as JSON: numbers as their exact text, dates as ISO dates, path keys marked."""
    return {"name": month.name, "deal": list(month.deal), "date": month.date.isoformat(),
            "classes": _figures_out(month.classes), "groups": _figures_out(month.groups),
            "pool": _values_out(month.pool), "where": month.where, "growing": sorted(month.growing),
            "reported": month.reported, "ref": month.ref,
            "prior": [[_path_out(owner), _values_out(values)] for owner, values in month.prior.items()]}


def month_in(data: dict) -> Month:
    month = Month(data["name"], tuple(data["deal"]), _dt.date.fromisoformat(data["date"]),
                  _figures_in(data["classes"]), _figures_in(data["groups"]), _values_in(data["pool"]),
                  {path: tuple(at) for path, at in data["where"].items()}, frozenset(data["growing"]),
                  data["reported"], data["ref"])
    month.prior = {_path_in(owner): _values_in(values) for owner, values in data["prior"]}
    return month


def _figures_out(owners: dict) -> dict:
    return {name: _values_out(values) for name, values in owners.items()}


def _figures_in(owners: dict) -> dict:
    return {name: _values_in(values) for name, values in owners.items()}


def _values_out(values: dict) -> dict:
    return {k: {"decimal": str(v)} if isinstance(v, Decimal) else v for k, v in values.items()}


def _values_in(values: dict) -> dict:
    return {k: Decimal(v["decimal"]) if isinstance(v, dict) else v for k, v in values.items()}


def _path_out(path: tuple) -> list:
    return [[isinstance(part, Key), str(part)] for part in path]


def _path_in(parts: list) -> tuple:
    return tuple(Key(text) if is_key else text for is_key, text in parts)
