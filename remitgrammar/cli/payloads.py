"""What a worker process sends back of each report for `parse` and `check`: small, picklable parts.

A corpus run parses in worker processes (remitgrammar/corpus.py); a ParseResult, with its tree and
format spec, stays there. These functions run where the report was parsed and keep what the
command writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..emit.json_record import to_json
from ..emit.tables import rows
from ..errors import RemitError
from ..pipeline import check_result, month_of_outcome


@dataclass
class Parsed:
    """A report for `parse`: its record (None when nothing parsed) and, when it failed, why."""

    name: str
    record: dict | None
    error: str | None = None   # the rendered findings of a report that did not parse in full
    debug: str | None = None   # the traceback of an internal error, for --debug


@dataclass
class Checked:
    """A report for `check`: its findings and the month the rules across months compare."""

    name: str
    findings: list
    month: object
    debug: str | None = None
    identity: str | None = None  # the sha256 of the report's text: baselines follow a report that moves


def parsed(name: str, outcome, provenance: bool = False) -> Parsed:
    """The part of a parse outcome that `parse` writes."""
    result = outcome.result if isinstance(outcome, RemitError) else outcome
    record = None
    if result is not None:
        record = {**result.record, "provenance": result.provenance} if provenance else result.record
    error = outcome.render() if isinstance(outcome, RemitError) else None
    return Parsed(name, record, error, getattr(outcome, "debug", None))


def checked(name: str, outcome) -> Checked:
    """The part of a parse outcome that `check` reports."""
    result = outcome.result if isinstance(outcome, RemitError) else outcome
    identity = (result.record.get("source") or {}).get("sha256") if result is not None else None
    return Checked(name, check_result(outcome), month_of_outcome(name, outcome), getattr(outcome, "debug", None),
                   identity)


def context_month(name: str, outcome) -> tuple:
    """(name, month) of a report read for context (--history): compared, never reported."""
    return name, month_of_outcome(name, outcome, reported=False)


@dataclass
class Exported:
    """A report for `export`: its table rows and its record as one JSON line (None when it failed)."""

    name: str
    tables: dict | None
    record_json: str | None
    error: str | None = None
    debug: str | None = None


def exported(name: str, outcome) -> Exported:
    """The rows `export` writes of a report that parsed in full; of one that did not, why."""
    if isinstance(outcome, RemitError):
        return Exported(name, None, None, outcome.render(), getattr(outcome, "debug", None))
    from ..check.coverage import coverage

    record = {**outcome.record, "provenance": outcome.provenance}
    counts = coverage(outcome).as_dict()
    return Exported(name, rows(record, check_result(outcome), counts=counts), to_json(record, indent=None))
