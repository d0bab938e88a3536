"""What deal a report is about, and which month: the one answer `check` (the rules across months) and
the exports (their ``deal`` and ``month`` columns, the ``deals`` table) share.

A deal is named by its registrant and series, normalised so that the ways one trustee prints them
from month to month agree: case, spacing and punctuation ignored, ``Corporation`` as ``Corp``, and
the series taken out of the registrant's name (``..., Series 2003-HE2`` and ``... 2003-HE2`` and a
registrant that does not repeat it are one deal). The CIK of an EDGAR submission is kept beside the
key, not in it: the statement's text never prints it, so a key made of it would split a deal
between its EDGAR submissions and the same statements read as text.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from .records import value_at

DEFAULT_PATHS = ("filing.registrant", "filing.series")
_TOKEN = re.compile(r"[A-Z0-9]+")
# one word spelt two ways across a deal's months
_SAME = {"CORPORATION": "CORP", "INCORPORATED": "INC", "COMPANY": "CO", "LIMITED": "LTD"}


@dataclass(frozen=True)
class Deal:
    """A report's deal: ``key`` links its months; the rest as the report prints them."""

    key: str
    cik: str | None
    registrant: str | None
    series: str | None


def _tokens(text) -> list:
    return [_SAME.get(t, t) for t in _TOKEN.findall(str(text).upper())]


def series_tokens(series) -> list:
    """``Series 2003-HE2``, ``2003-HE2`` and ``2003 he2`` alike: ['2003', 'HE2']."""
    found = _tokens(series)
    return found[1:] if found[:1] == ["SERIES"] else found


def registrant_tokens(registrant, series=None) -> list:
    """The registrant's words without the series it may repeat (and the ``Series`` before it)."""
    found = _tokens(registrant)
    if found[:1] == ["THE"]:
        found = found[1:]
    wanted = series_tokens(series) if series else []
    for at in range(len(found) - len(wanted) + 1 if wanted else 0):
        if found[at:at + len(wanted)] == wanted:
            start = at - 1 if at and found[at - 1] == "SERIES" else at
            return found[:start] + found[at + len(wanted):]
    return found


def _value(record: dict, path: str):
    return value_at(record, tuple(path.split(".")))


def key_values(record: dict, paths=DEFAULT_PATHS) -> tuple | None:
    """The normalised value of each deal-key path (a format's ``deal_key:``, else registrant and
    series), or None when one is empty: a registrant without its series would link all its deals."""
    series = _value(record, "filing.series")
    values = []
    for path in paths:
        node = _value(record, path)
        if node is None:
            return None
        words = registrant_tokens(node, series) if path == "filing.registrant" else \
            series_tokens(node) if path == "filing.series" else _tokens(node)
        if not words:
            return None
        values.append(" ".join(words))
    return tuple(values) or None


def deal_of(record: dict, paths=DEFAULT_PATHS) -> Deal | None:
    """The report's deal, or None when the record does not name one."""
    values = key_values(record, paths or DEFAULT_PATHS)
    if values is None:
        return None
    shown = [v.replace(" ", "-") if p == "filing.series" else v for p, v in zip(paths or DEFAULT_PATHS, values, strict=True)]
    edgar = (record.get("source") or {}).get("edgar") or {}
    filing = record.get("filing") or {}
    return Deal(" / ".join(shown), edgar.get("cik") or None, filing.get("registrant"), filing.get("series"))


def format_deal_paths(format_name) -> tuple:
    """The format's ``deal_key:`` paths, as `check` links its months; the default for a format not on
    the search path (a record read back from JSON)."""
    from .errors import ConfigError
    from .formats.search import get_format

    try:
        return tuple(get_format(str(format_name)).deal_key) or DEFAULT_PATHS
    except (ConfigError, OSError, ValueError):
        return DEFAULT_PATHS


def month_of(record: dict) -> str | None:
    """``YYYY-MM`` of the distribution date, or None when the record has none."""
    try:
        return _dt.date.fromisoformat(str(record.get("distribution_date"))).strftime("%Y-%m")
    except ValueError:
        return None
