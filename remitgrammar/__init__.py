"""remitgrammar: trustee remittance reports (SEC Form 8-K exhibits) into canonical records.

Python API:
    parse_text(text, name=...) -> dict   the canonical record (Decimal numbers)
    parse_file(path) -> dict
Both raise RemitError for input that cannot be read as a report.
    check_file(path, history=None) -> Report     parsed, checked (and compared with other months)
    iter_reports(paths, jobs=1) -> Report...     every report of files and directories, in order
A Report has ``record``, ``provenance``, ``findings`` (code, severity, message, path, line,
column), ``to_json()`` and ``rows(table)`` (the export tables; see docs/export.md).
"""

from __future__ import annotations

from .api import Report, check_file, iter_reports
from .errors import ConfigError, Finding, RemitError
from .pipeline import parse_path as _parse_path
from .pipeline import parse_text as _parse_text

from .version import VERSION as __version__
__all__ = ["parse_text", "parse_file", "check_file", "iter_reports", "Report", "Finding", "RemitError",
           "ConfigError", "__version__"]


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
        RemitError: the text is empty, in no known format, or does not parse.
    """
    result = _parse_text(text, name, format, repair=repair)
    return _with_provenance(result, provenance)


def parse_file(path, format: str | None = None, provenance: bool = False, repair: bool = True) -> dict:
    """Read and parse one report file; see parse_text.

    Raises:
        RemitError: the file cannot be read, is binary or empty, or does not parse.
    """
    return _with_provenance(_parse_path(path, format, repair), provenance)


def _with_provenance(result, provenance: bool) -> dict:
    record = result.record
    if provenance:
        record = {**record, "provenance": result.provenance}
    return record
