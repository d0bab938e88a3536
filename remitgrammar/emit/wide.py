"""The wide tables of an export, one row per deal, month and owner with a column per standard field
(an analyst queries them without a pivot), and the ``deals`` table built from the reports' rows.

The columns are specs/canonical.yaml's field lists, read when the module loads: a field added there
is a column here without code. A nested field is joined by ``_`` (``per_1000.interest`` is
``per_1000_interest``). A number is the column's value; where a float (SQLite's REAL, Parquet's
double) cannot hold every printed digit (more than 15 significant ones), the row's ``exact`` column
holds ``{"column": "digits"}`` as JSON, so that no digit is lost and the usual row carries none.
"""

from __future__ import annotations

import json
from decimal import Decimal

from ..formats.specs import canonical
from ..records import value_at

# canonical.yaml's types as a column's SQL type: a flag is 0/1, dates and names are text
_SQL = {"count": "INTEGER", "flag": "INTEGER", "amount": "REAL", "amount_or_text": "REAL", "factor": "REAL",
        "percent": "REAL"}
KEYS = {"class_months": ("class", "tier"), "pool_months": (), "group_months": ("grp",),
        "delinquency_months": ("grp", "status", "bucket")}
_OWN_KEYS = {"class", "tier"}  # a class's own fields that are key columns here


def _fields(node: dict, prefix: tuple = ()) -> list:
    """(path, type) of every field below a canonical.yaml section; ``*`` (any name) and lists skipped."""
    found = []
    for name, entry in node.items():
        if name == "*" or not isinstance(entry, dict):
            continue
        if isinstance(entry.get("type"), str):
            found.append((prefix + (name,), entry["type"]))
        else:
            found += _fields(entry, prefix + (name,))
    return found


def columns(spec: dict) -> dict:
    """{table: [(column, path below the owner, type)]} from a canonical catalogue (canonical.yaml's)."""
    pool = [(p, t) for p, t in _fields(spec.get("pool") or {})
            if not p[0].startswith("class_")]  # pool.class_*: keyed by class, no one figure of the pool
    group = _fields(spec.get("collateral") or {})
    # a pool fact printed per loan group sits in collateral under its pool name (SCHEMA.md)
    group += [(p, t) for p, t in pool if p not in {q for q, _ in group}]
    classes = [(p, t) for p, t in _fields(spec.get("classes") or {}) if p[0] not in _OWN_KEYS]
    delinquency = [(p, t) for p, t in _fields(spec.get("delinquency") or {})]
    return {table: [("_".join(p), p, t) for p, t in fields] for table, fields in
            (("class_months", classes), ("pool_months", pool), ("group_months", group),
             ("delinquency_months", delinquency))}


FIELDS = columns(canonical())
TABLES = {table: ("report_id", "deal", "month") + KEYS[table] + tuple(c for c, _, _ in FIELDS[table]) + ("exact",)
          for table in FIELDS}
TYPES = {table: {c: _SQL.get(t, "TEXT") for c, _, t in FIELDS[table]} for table in FIELDS}
DEALS = ("deal", "cik", "registrant", "series", "format", "first_month", "last_month", "months", "reports")
DEAL_TYPES = {"months": "INTEGER", "reports": "INTEGER"}


def wide_rows(record: dict, head: dict, numbers: str = "float") -> dict:
    """{table: [row]} of one record's wide tables; ``head``: the columns every row starts with
    (report_id, deal, month)."""
    out: dict = {table: [] for table in FIELDS}
    for entry in record.get("classes") or []:
        if isinstance(entry, dict):
            out["class_months"].append(_row("class_months", entry, {**head, "class": entry.get("class"),
                                                                    "tier": entry.get("tier")}, numbers))
    if record.get("pool"):
        out["pool_months"].append(_row("pool_months", record["pool"], dict(head), numbers))
    for group, fields in (record.get("collateral") or {}).items():
        out["group_months"].append(_row("group_months", fields, {**head, "grp": group}, numbers))
    for group, statuses in (record.get("delinquency") or {}).items():
        for status, measures in (statuses or {}).items():
            if not isinstance(measures, dict):
                continue
            keys = {**head, "grp": group, "status": status}
            out["delinquency_months"].append(_row("delinquency_months", measures, {**keys, "bucket": None}, numbers))
            for bucket, inner in (measures.get("by_bucket") or {}).items():
                out["delinquency_months"].append(_row("delinquency_months", inner, {**keys, "bucket": bucket},
                                                      numbers))
    return out


def _row(table: str, owner: dict, row: dict, numbers: str) -> dict:
    lost = {}
    for column, path, kind in FIELDS[table]:
        v = value_at(owner, path) if isinstance(owner, dict) else None
        row[column] = _cell(v, _SQL.get(kind, "TEXT"), numbers)
        if row[column] is None and v is not None and not isinstance(v, (dict, list)):
            lost[column] = str(v)  # text in a number's column (pi_advances: "Not Provided By Servicer")
        elif isinstance(v, Decimal) and numbers == "float" and Decimal(repr(float(v))) != v:
            lost[column] = format(v, "f")
    row["exact"] = json.dumps(lost, sort_keys=True) if lost else None
    return row


def _cell(v, sql: str, numbers: str):
    if isinstance(v, (dict, list)):
        return None
    if sql == "TEXT":
        return v if v is None or isinstance(v, str) else format(v, "f") if isinstance(v, Decimal) else str(v)
    if isinstance(v, bool):
        return int(v) if sql == "INTEGER" else None  # a flag is 0 or 1 in every export, CSV too
    if isinstance(v, int):
        return v
    if isinstance(v, Decimal):
        if sql == "INTEGER":
            return int(v) if v == v.to_integral_value() else None
        return v if numbers == "decimal" else float(v)
    return None


def deal_rows(reports) -> list:
    """The ``deals`` table from the ``reports`` rows of an export: one row per deal, its CIK where a
    report knows it, registrant, series and format as its latest month prints them."""
    deals: dict = {}
    for report in reports:
        if report.get("deal"):
            deals.setdefault(report["deal"], []).append(report)
    out = []
    for key in sorted(deals):
        found = deals[key]
        months = sorted({r["month"] for r in found if r.get("month")})
        latest = max(found, key=lambda r: (r.get("month") or "", r.get("report_id") or ""))
        ciks = sorted({r["cik"] for r in found if r.get("cik")})
        out.append({"deal": key, "cik": ciks[0] if ciks else None, "registrant": latest.get("registrant"),
                    "series": latest.get("series"), "format": latest.get("format"),
                    "first_month": months[0] if months else None, "last_month": months[-1] if months else None,
                    "months": len(months), "reports": len(found)})
    return out

