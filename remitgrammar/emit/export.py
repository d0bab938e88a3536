"""Write exported reports: a SQLite database, JSON lines, or a directory of CSV files (emit/tables.py
gives the rows). A sink takes one report at a time, so a corpus is never held whole.

SQLite: re-exporting a report replaces its rows (every table is keyed by ``report_id``, the
sha256 of its text), so a database grows only by reports it has not seen. CSV: a directory
written afresh by each export, one file per table; a report met twice in one export is written
once. JSON lines: one record a line, with its provenance.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

from .tables import NUMERIC, TABLES

INTEGER = {"line", "col", "printed", "canonical", "extra", "skipped", "lost", "ignored"}


def sink_for(target: Path):
    """The sink a target's form asks for: ``.sqlite``/``.db``, ``.jsonl``, else a directory of CSV files.

    Raises:
        OSError: the target cannot be created or opened.
        ValueError: the target is a file of another kind.
    """
    target = Path(target)
    if target.suffix in (".sqlite", ".db"):
        return SqliteSink(target)
    if target.suffix == ".jsonl":
        return JsonlSink(target)
    if target.suffix or (target.exists() and not target.is_dir()):
        raise ValueError(f"{target}: export to a .sqlite or .db database, a .jsonl file or a directory (CSV)")
    return CsvSink(target)


class SqliteSink:
    """A SQLite database (the standard library's sqlite3; no server)."""

    def __init__(self, target: Path):
        self.db = sqlite3.connect(str(target))
        for table, columns in TABLES.items():
            typed = ", ".join(f"{c} {_sql_type(c)}" + (" PRIMARY KEY" if table == "reports" and c == "report_id"
                                                       else "") for c in columns)
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({typed})")
            if table != "reports":
                self.db.execute(f"CREATE INDEX IF NOT EXISTS {table}_report ON {table} (report_id)")

    def add(self, tables: dict, record_json: str = "") -> None:
        rid = tables["reports"][0]["report_id"]
        with self.db:  # one transaction a report: its rows are replaced whole or not at all
            for table, columns in TABLES.items():
                self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", (rid,))
                self.db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                    f"({', '.join('?' for _ in columns)})",
                                    [tuple(row[c] for c in columns) for row in tables[table]])

    def close(self) -> None:
        self.db.close()


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


_NUMBER_TEXT = re.compile(r"[-+(]?[\d.,]+\)?%?|-")


def _safe(row: dict) -> dict:
    """A row a spreadsheet opens without running it: a text that would start a formula (a label or a
    message from a hostile filing) is written after an apostrophe. A number as printed (-1,234.00,
    (4,179)) and '-' (standard input) are left as they are."""
    return {k: "'" + v if isinstance(v, str) and v.startswith(_FORMULA) and not _NUMBER_TEXT.fullmatch(v)
            else v for k, v in row.items()}


def _sql_type(column: str) -> str:
    return "REAL" if column in NUMERIC else "INTEGER" if column in INTEGER else "TEXT"


class JsonlSink:
    """One JSON record a line."""

    def __init__(self, target: Path):
        self.file = open(target, "w", encoding="utf-8")

    def add(self, tables: dict, record_json: str = "") -> None:
        self.file.write(record_json + "\n")

    def close(self) -> None:
        self.file.close()


class CsvSink:
    """A directory with one CSV file per table, header first."""

    def __init__(self, target: Path):
        target.mkdir(parents=True, exist_ok=True)
        self.files = {table: open(target / f"{table}.csv", "w", encoding="utf-8", newline="") for table in TABLES}
        self.writers = {table: csv.DictWriter(self.files[table], TABLES[table]) for table in TABLES}
        for writer in self.writers.values():
            writer.writeheader()
        self.seen: set = set()

    def add(self, tables: dict, record_json: str = "") -> None:
        rid = tables["reports"][0]["report_id"]
        if rid in self.seen:
            return
        self.seen.add(rid)
        for table, rows in tables.items():
            self.writers[table].writerows(_safe(row) for row in rows)

    def close(self) -> None:
        for file in self.files.values():
            file.close()
