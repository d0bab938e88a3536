"""The Python API over reports: a parsed and checked report as one object.

    >>> from remitgrammar import check_file
    >>> report = check_file("tests/corpus/usbank-absc-2003/absc_2003-he2_2003-11-17.txt")
    >>> report.record["distribution_date"], report.record["classes"][0]["ending_balance"]
    ('2003-11-17', Decimal('328979574'))
    >>> sorted({f.code for f in report.findings if f.severity == "warning"})
    ['RG304', 'RG311', 'RG316']
    >>> row = next(r for r in report.rows("classes") if r["class"] == "A-1" and r["field"] == "ending_balance")
    >>> row["number"], row["exact"]
    (328979574.0, '328979574')

``iter_reports(paths, jobs=...)`` gives the same for every report of files and directories, in
order, parsed in worker processes when ``jobs`` > 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .errors import Finding, RemitError
from .pipeline import check_result, month_of_outcome, parse_reports


@dataclass
class Report:
    """One report: its canonical record (numbers as Decimal), where each value was printed, and the
    findings of parsing and of `check`. ``ok`` is False when it did not parse in full (the record
    then holds what did, possibly nothing)."""

    name: str
    record: dict
    provenance: dict
    findings: list = field(default_factory=list)
    ok: bool = True

    def to_json(self, indent: int | None = 2, provenance: bool = False) -> str:
        """The record as JSON, numbers exact (as ``remitgrammar parse`` writes it)."""
        from .emit.json_record import to_json

        return to_json({**self.record, "provenance": self.provenance} if provenance else self.record, indent)

    def rows(self, table: str, numbers: str = "float") -> list:
        """The rows of one export table (docs/export.md): ``reports``, ``classes``, ``class_totals``,
        ``collateral``, ``delinquency``, ``pool``, ``findings`` or ``facts``. Numbers as floats (what
        pandas' ``to_sql`` stores), or ``numbers="decimal"``; the exact text is in ``exact``."""
        from .emit.tables import TABLES, rows

        if table not in TABLES:
            raise ValueError(f"no table {table!r}: {', '.join(TABLES)}")
        return rows({**self.record, "provenance": self.provenance}, self.findings, numbers)[table]


def _report(name: str, outcome) -> Report:
    result = outcome.result if isinstance(outcome, RemitError) else outcome
    record = result.record if result is not None else {"source": {"path": name}}
    provenance = result.provenance if result is not None else {}
    return Report(name, record, provenance, check_result(outcome), not isinstance(outcome, RemitError))


def iter_reports(paths: Iterable, jobs: int = 1, format: str | None = None, repair: bool = True) -> Iterator[Report]:
    """Every report of the files and directories ``paths`` (as the command line takes them), in order,
    parsed and checked on its own (the rules across months need the whole corpus: `check_file` with
    ``history``, or the `check` command). ``jobs`` > 1 uses that many worker processes.

    Raises:
        ConfigError: a format name or spec is wrong.
    """
    from .corpus import Settings, run
    from .intake.sources import expand

    inputs = expand([Path(p) for p in paths], None)
    for done in run(inputs, _report, Settings(format_name=format, repair=repair), max(1, jobs)):
        yield from done


def check_file(path, history: Iterable | None = None, format: str | None = None) -> Report:
    """The one report of a file, parsed and checked, and compared month by month with the reports of
    ``history`` (files or directories of the same deal's other months) where given.

    Raises:
        ValueError: the file holds several reports (an EDGAR submission on several deals): use
            iter_reports.
    """
    outcomes = list(parse_reports(path, format))
    if len(outcomes) != 1:
        raise ValueError(f"{path} holds {len(outcomes)} reports: use iter_reports")
    name, outcome = outcomes[0]
    report = _report(name, outcome)
    if history:
        report.findings += _across(name, outcome, history, format)
    return report


def _across(name: str, outcome, history: Iterable, format: str | None) -> list[Finding]:
    from .check.across import check_months
    from .intake.sources import expand

    months = [month_of_outcome(name, outcome, ref="checked")]
    for source in expand([Path(p) for p in history], None):
        if source.problem is not None:  # a history directory that could not be walked holds no month
            continue
        months += [month_of_outcome(n, o, reported=False) for n, o in parse_reports(source.name, format)]
    return check_months([m for m in months if m is not None]).get("checked", [])
