"""remitgrammar: trustee remittance reports (SEC Form 8-K exhibits) into canonical records.

Python API (plain data: dicts, Decimal numbers, Finding objects):
    parse_text(text, name=...) -> dict   the canonical record (Decimal numbers)
    parse_file(path) -> dict
Both raise RemitError for input that cannot be read as a report (its ``record``: what did parse).
    check_file(path, history=None) -> Report     parsed, checked (and compared with other months)
    iter_reports(paths, jobs=1) -> Report...     every report of files and directories, in order
A Report has ``record``, ``provenance``, ``findings`` (code, severity, message, path, line,
column), ``ok``, ``identity``, ``to_json()`` and ``rows(table)`` (the export tables; see
docs/export.md). The command line runs reports through the same runner (runner.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ConfigError, Finding, RemitError
from .version import VERSION as __version__

if TYPE_CHECKING:
    from .api import Report, check_file, iter_reports, parse_file, parse_text

__all__ = ["parse_text", "parse_file", "check_file", "iter_reports", "Report", "Finding", "RemitError",
           "ConfigError", "__version__"]
_API = ("parse_text", "parse_file", "check_file", "iter_reports", "Report")


def __getattr__(name: str) -> Any:
    """The API's names, imported when first used (PEP 562): the command line, which imports this
    package first, does not pay for the API's imports on a run that does not need them."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
