"""A canonical record as rows of tables, for SQL, CSV, Parquet and pandas (one schema for every export).

Every row carries its report (``report_id``), deal and month (deals.py). The long tables have one
row a value, keyed by where the value sits (class, loan group, status...), with ``field`` naming it.
A number is kept twice: ``exact``, its printed digits and no more, and ``number``, the same as a
float for arithmetic (or a Decimal, with ``numbers="decimal"``). A text value has ``exact`` only.
Nested fields are named by their path below the owner: ``per_1000.interest``,
``prior.cumulative_realized_losses``, ``class_amounts[CE].distribution``. The wide tables
(emit/wide.py) have a column per standard field instead.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..deals import deal_of, format_deal_paths, month_of
from ..records import Key, value_at
from . import wide

LONG = {
    "reports": ("report_id", "deal", "month", "source", "sha256", "accession", "cik", "registrant", "series",
                "distribution_date", "format", "printed", "canonical", "extra", "skipped", "lost", "ignored"),
    "classes": ("report_id", "deal", "month", "class", "tier", "field", "number", "exact"),
    "class_totals": ("report_id", "deal", "month", "tier", "field", "number", "exact"),
    "collateral": ("report_id", "deal", "month", "grp", "field", "number", "exact"),
    "delinquency": ("report_id", "deal", "month", "grp", "status", "bucket", "measure", "number", "exact"),
    "pool": ("report_id", "deal", "month", "field", "number", "exact"),
    "findings": ("report_id", "deal", "month", "code", "severity", "message", "path", "line", "col", "expected",
                 "actual"),
    "facts": ("report_id", "deal", "month", "path", "number", "exact", "printed", "line", "col"),
}
COUNTS = ("printed", "canonical", "extra", "skipped", "lost", "ignored")
PER_REPORT = {**LONG, **wide.TABLES}  # the tables keyed by ``report_id``
TABLES = {**PER_REPORT, "deals": wide.DEALS}  # every table (an export writes ``deals`` when it closes)
# each column's SQL type (Parquet's follows): TEXT unless named here
TYPES = {table: {"number": "REAL", "line": "INTEGER", "col": "INTEGER"} for table in LONG}
TYPES["reports"] = {key: "INTEGER" for key in COUNTS}
TYPES.update(wide.TYPES)
TYPES["deals"] = wide.DEAL_TYPES
_FIELD = re.compile(r"[a-z_][a-z0-9_]*")


def report_id(record: dict) -> str:
    """What identifies a report: the sha256 of its text, with the deal's place in an EDGAR submission
    that reports on several."""
    source = record.get("source") or {}
    edgar = source.get("edgar") or {}
    part = edgar.get("document") or edgar.get("sequence")
    if not source.get("sha256"):  # a report that did not parse: known by its name
        return f"path:{source.get('path', '')}"
    return source["sha256"] + (f":{part}" if part not in (None, "") else "")


def rows(record: dict, findings=(), numbers: str = "float", counts: dict | None = None,
         deal_paths: tuple | None = None) -> dict:
    """{table: [row dict]} of one record (with its ``provenance`` for ``facts``) and its findings;
    ``counts``: the report's coverage (check/coverage.py), where the record's printed numbers went;
    ``deal_paths``: the format's ``deal_key`` (None: looked up by the record's format)."""
    value = _number_maker(numbers)
    source, filing = record.get("source") or {}, record.get("filing") or {}
    deal = deal_of(record, format_deal_paths(source.get("format")) if deal_paths is None else deal_paths)
    head = {"report_id": report_id(record), "deal": deal.key if deal else None, "month": month_of(record)}
    out: dict = {name: [] for name in LONG}
    out["reports"].append({**head, "source": source.get("path"), "sha256": source.get("sha256"),
                           "accession": (source.get("edgar") or {}).get("accession"),
                           "cik": deal.cik if deal else (source.get("edgar") or {}).get("cik"),
                           "registrant": filing.get("registrant"), "series": filing.get("series"),
                           "distribution_date": record.get("distribution_date"), "format": source.get("format"),
                           **{key: (counts or {}).get(key) for key in COUNTS}})
    for entry in record.get("classes") or []:
        for field, v in _leaves(entry, skip=("class", "tier")):
            out["classes"].append({**head, "class": entry.get("class"), "tier": entry.get("tier"),
                                   "field": field, **value(v)})
    totals = [(None, record.get("class_totals") or {})] + list((record.get("tier_totals") or {}).items())
    for tier, fields in totals:
        out["class_totals"] += [{**head, "tier": tier, "field": f, **value(v)} for f, v in _leaves(fields)]
    for group, fields in (record.get("collateral") or {}).items():
        out["collateral"] += [{**head, "grp": group, "field": f, **value(v)} for f, v in _leaves(fields)]
    out["delinquency"] = list(_delinquency(head, record.get("delinquency") or {}, value))
    out["pool"] = [{**head, "field": f, **value(v)} for f, v in _leaves(record.get("pool") or {})]
    out["findings"] = [{**head, "code": f.code, "severity": f.severity, "message": f.message,
                        "path": f.path, "line": f.line, "col": f.column, "expected": f.expected,
                        "actual": f.actual} for f in findings]
    out["facts"] = list(_facts(head, record, value))
    out.update(wide.wide_rows(record, head, numbers))
    out["deals"] = wide.deal_rows(out["reports"])  # this report's deal alone: an export's is every report's
    return out


def _number_maker(numbers: str):
    if numbers not in ("float", "decimal"):
        raise ValueError(f"numbers is 'float' or 'decimal', not {numbers!r}")

    def value(v) -> dict:
        if isinstance(v, bool) or not isinstance(v, (Decimal, int)):
            return {"number": None, "exact": None if v is None else str(v)}
        return {"number": v if numbers == "decimal" else float(v), "exact": exact(v)}
    return value


def exact(v) -> str:
    """A number's printed digits and no more: a Decimal keeps its exponent (format "f": 0.00000000,
    not str()'s 0E-8), an integer (a count, days) has no decimals (format "f" would give 9.000000)."""
    return str(v) if isinstance(v, int) else format(v, "f")


def _leaves(node: dict, prefix: str = "", skip: tuple = ()):
    """(field, value) of every value below ``node``: field names joined by dots, any other key (a
    class, a loan group: ``CE``, ``A-1``) in brackets, as findings show paths."""
    for key, v in node.items():
        if key in skip:
            continue
        name = f"{prefix}.{key}" if prefix and _FIELD.fullmatch(str(key)) else \
            f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(v, dict):
            yield from _leaves(v, name)
        elif not isinstance(v, list):
            yield name, v


def _delinquency(head: dict, groups: dict, value):
    for group, statuses in groups.items():
        for status, measures in statuses.items():
            for measure, v in measures.items():
                if measure == "by_bucket":
                    for bucket, inner in v.items():
                        for m, x in inner.items():
                            yield {**head, "grp": group, "status": status, "bucket": bucket,
                                   "measure": m, **value(x)}
                else:
                    yield {**head, "grp": group, "status": status, "bucket": None, "measure": measure,
                           **value(v)}


def _facts(head: dict, record: dict, value):
    """Every value the report printed, with its record path, printed text, line and column."""
    for path, where in (record.get("provenance") or {}).items():
        yield {**head, "path": path, **value(value_at(record, tuple(_parts(path)))), "printed": where.get("text"),
               "line": where.get("line"), "col": where.get("column")}


def _parts(path: str) -> list:
    """A rendered path split back into its segments, keys as Key."""
    parts: list = []
    text = path
    while text:
        if text.startswith("["):
            end = text.index("]")
            parts.append(Key(text[1:end]))
            text = text[end + 1:].lstrip(".")
        else:
            cut = min((i for i in (text.find("."), text.find("[")) if i >= 0), default=len(text))
            parts.append(text[:cut])
            text = text[cut:].lstrip(".")
    return parts


def new_rows(seen: dict, tables: dict):
    """(table, rows) of each per-report table of a report not yet written (``seen``: report_id -> its
    reports row, which the deals table is made of on close); nothing for a report written already."""
    report = tables["reports"][0]
    if report["report_id"] in seen:
        return
    seen[report["report_id"]] = report
    for table in PER_REPORT:  # not the report's own deals row: a sink's close() writes every report's
        yield table, tables.get(table, ())
