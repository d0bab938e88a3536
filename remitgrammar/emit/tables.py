"""A canonical record as rows of tables, for SQL, CSV and pandas (one schema for every export).

Every table but ``reports`` is long: one row a value, keyed by the report and where the value sits
(class, loan group, status...), with ``field`` naming it. A number is kept twice: ``exact``, its
decimal text exactly as the record holds it, and ``number``, the same as a float for arithmetic
(or a Decimal, with ``numbers="decimal"``). A text value has ``exact`` only. Nested fields are
named by their path below the owner: ``per_1000.interest``, ``prior.cumulative_realized_losses``,
``class_amounts[CE].distribution``.
"""

from __future__ import annotations

from decimal import Decimal

import re

from ..records import Key, value_at

TABLES = {
    "reports": ("report_id", "source", "sha256", "accession", "registrant", "series", "distribution_date",
                "format", "printed", "canonical", "extra", "skipped", "lost", "ignored"),
    "classes": ("report_id", "class", "tier", "field", "number", "exact"),
    "class_totals": ("report_id", "tier", "field", "number", "exact"),
    "collateral": ("report_id", "grp", "field", "number", "exact"),
    "delinquency": ("report_id", "grp", "status", "bucket", "measure", "number", "exact"),
    "pool": ("report_id", "field", "number", "exact"),
    "findings": ("report_id", "code", "severity", "message", "path", "line", "col", "expected", "actual"),
    "facts": ("report_id", "path", "number", "exact", "printed", "line", "col"),
}
COUNTS = ("printed", "canonical", "extra", "skipped", "lost", "ignored")
NUMERIC = {"number"}  # the columns that hold numbers (REAL in SQLite)
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


def rows(record: dict, findings: list = (), numbers: str = "float", counts: dict | None = None) -> dict:
    """{table: [row dict]} of one record (with its ``provenance`` for ``facts``) and its findings;
    ``counts``: the report's coverage (check/coverage.py), where the record's printed numbers went."""
    rid = report_id(record)
    value = _number_maker(numbers)
    source, filing = record.get("source") or {}, record.get("filing") or {}
    out = {name: [] for name in TABLES}
    out["reports"].append({"report_id": rid, "source": source.get("path"), "sha256": source.get("sha256"),
                           "accession": (source.get("edgar") or {}).get("accession"),
                           "registrant": filing.get("registrant"), "series": filing.get("series"),
                           "distribution_date": record.get("distribution_date"), "format": source.get("format"),
                           **{key: (counts or {}).get(key) for key in COUNTS}})
    for entry in record.get("classes") or []:
        for field, v in _leaves(entry, skip=("class", "tier")):
            out["classes"].append({"report_id": rid, "class": entry.get("class"), "tier": entry.get("tier"),
                                   "field": field, **value(v)})
    totals = [(None, record.get("class_totals") or {})] + list((record.get("tier_totals") or {}).items())
    for tier, fields in totals:
        out["class_totals"] += [{"report_id": rid, "tier": tier, "field": f, **value(v)} for f, v in _leaves(fields)]
    for group, fields in (record.get("collateral") or {}).items():
        out["collateral"] += [{"report_id": rid, "grp": group, "field": f, **value(v)} for f, v in _leaves(fields)]
    out["delinquency"] = list(_delinquency(rid, record.get("delinquency") or {}, value))
    out["pool"] = [{"report_id": rid, "field": f, **value(v)} for f, v in _leaves(record.get("pool") or {})]
    out["findings"] = [{"report_id": rid, "code": f.code, "severity": f.severity, "message": f.message,
                        "path": f.path, "line": f.line, "col": f.column, "expected": f.expected,
                        "actual": f.actual} for f in findings]
    out["facts"] = list(_facts(rid, record, value))
    return out


def _number_maker(numbers: str):
    if numbers not in ("float", "decimal"):
        raise ValueError(f"numbers is 'float' or 'decimal', not {numbers!r}")

    def value(v) -> dict:
        if isinstance(v, bool) or not isinstance(v, (Decimal, int)):
            return {"number": None, "exact": None if v is None else str(v)}
        # format "f": the digits as printed (0.00000000, not str()'s 0E-8)
        return {"number": v if numbers == "decimal" else float(v), "exact": format(v, "f")}
    return value


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


def _delinquency(rid: str, groups: dict, value):
    for group, statuses in groups.items():
        for status, measures in statuses.items():
            for measure, v in measures.items():
                if measure == "by_bucket":
                    for bucket, inner in v.items():
                        for m, x in inner.items():
                            yield {"report_id": rid, "grp": group, "status": status, "bucket": bucket,
                                   "measure": m, **value(x)}
                else:
                    yield {"report_id": rid, "grp": group, "status": status, "bucket": None, "measure": measure,
                           **value(v)}


def _facts(rid: str, record: dict, value):
    """Every value the report printed, with its record path, printed text, line and column."""
    for path, where in (record.get("provenance") or {}).items():
        yield {"report_id": rid, "path": path, **value(value_at(record, tuple(_parts(path)))), "printed": where.get("text"),
               "line": where.get("line"), "col": where.get("column")}


def _parts(path: str) -> list:
    """A rendered path split back into its segments, keys as Key."""
    parts, text = [], path
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

