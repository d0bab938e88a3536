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
from typing import Iterable, Iterator

from .errors import RemitError
from .runner import Result, run


@dataclass
class Report:
    """One report: its canonical record (numbers as Decimal), where each value was printed, and the
    findings of parsing and of `check` (across months too). ``ok`` is False when it did not parse in
    full (the record then holds what did, possibly nothing). ``identity`` is the filing it is (its
    accession number, else the sha256 of its text); a copy of a filing given earlier in the same run
    has ``duplicate_of`` (the earlier name), one RG130 finding and no figures."""

    name: str
    record: dict
    provenance: dict
    findings: list = field(default_factory=list)
    ok: bool = True
    identity: str | None = None
    duplicate_of: str | None = None

    def to_json(self, indent: int | None = 2, provenance: bool = False) -> str:
        """The record as JSON, numbers exact (as ``remitgrammar parse`` writes it)."""
        from .emit.json_record import to_json

        return to_json({**self.record, "provenance": self.provenance} if provenance else self.record, indent)

    def rows(self, table: str, numbers: str = "float") -> list:
        """The rows of one export table (docs/export.md), as ``remitgrammar export`` writes them:
        ``reports``, ``classes``, ``findings``... Numbers as floats (what pandas' ``to_sql`` stores),
        or ``numbers="decimal"``; the exact text is in ``exact``."""
        from .emit.tables import TABLES, rows

        if table not in TABLES:
            raise ValueError(f"no table {table!r}: {', '.join(TABLES)}")
        return rows({**self.record, "provenance": self.provenance}, self.findings, numbers)[table]


def _report(result: Result) -> Report:
    record = result.record if result.record is not None else {"source": {"path": result.name}}
    return Report(result.name, record, result.provenance or {}, result.findings, result.ok, result.identity,
                  result.duplicate_of)


def iter_reports(paths: Iterable, jobs: int = 1, format: str | None = None, repair: bool = True,
                 history: Iterable | None = None) -> Iterator[Report]:
    """Every report of the files and directories ``paths`` (as the command line takes them), in order,
    parsed and checked as `check` checks them: the reports of one deal compared month by month, with
    those of ``history`` (compared, not given back). ``jobs`` > 1 uses that many worker processes.

    Raises:
        ConfigError: a format name or spec is wrong.
    """
    for result in run([str(p) for p in paths], history=[str(p) for p in history or ()], format_name=format,
                      repair=repair, jobs=max(1, jobs), keep=("record", "provenance", "findings")):
        yield _report(result)


def check_file(path, history: Iterable | None = None, format: str | None = None) -> Report:
    """The one report of a file, parsed and checked, and compared month by month with the reports of
    ``history`` (files or directories of the same deal's other months) where given; the file itself,
    when ``history`` holds it, is not compared with itself.

    Raises:
        ValueError: the file holds several reports (an EDGAR submission on several deals): use
            iter_reports.
    """
    reports = list(iter_reports([path], format=format, history=history))
    if len(reports) != 1:
        raise ValueError(f"{path} holds {len(reports)} reports: use iter_reports")
    return reports[0]


def parse_text(text: str, name: str = "<text>", format: str | None = None,
               provenance: bool = False, repair: bool = True) -> dict:
    """Parse a report's text into its canonical record.

    Args:
        text: the report as text.
        name: the name shown in errors and in ``source.path``.
        format: a format name to force (``remitgrammar formats`` lists them).
        provenance: add a ``provenance`` map (value path -> line, column, text).
        repair: move values printed under labels that are rows off to the classes
            they belong to (a finding says so); False keeps them as printed.

    Returns:
        The record as a dict, numbers as ``decimal.Decimal``.

    Raises:
        RemitError: the text is empty, in no known format, or does not parse; its ``record`` holds
            what did parse, if anything.
    """
    from .pipeline import parse_result

    try:
        return _with_provenance(parse_result(text, name, format, repair=repair), provenance)
    except RemitError as exc:
        raise _public(exc, provenance) from None


def parse_file(path, format: str | None = None, provenance: bool = False, repair: bool = True) -> dict:
    """Read and parse one report file (the first report of a submission that holds several); see
    parse_text.

    Raises:
        RemitError: the file cannot be read, is binary or empty, or does not parse.
    """
    from .pipeline import parse_path

    try:
        return _with_provenance(parse_path(path, format, repair), provenance)
    except RemitError as exc:
        raise _public(exc, provenance) from None


def _with_provenance(result, provenance: bool) -> dict:
    return _plain({**result.record, "provenance": result.provenance} if provenance else result.record)


def _public(error: RemitError, provenance: bool) -> RemitError:
    error = error.public(provenance)
    error.record = _plain(error.record)
    return error


def _plain(value):
    """A record with every key a plain ``str`` (the assembler keys groups and statuses by records.Key,
    a str of its own kind): what a caller gets back is dicts, lists, str, int, bool and Decimal only."""
    if isinstance(value, dict):
        return {str(k) if type(k) is not str and isinstance(k, str) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
