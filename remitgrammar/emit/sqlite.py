"""The SQLite sink of an export (the standard library's sqlite3; no server): a database built in a copy
of the old one, renamed over it when the export is complete; only a database of ours is added to
(its ``application_id``, or the tables of an export from before the mark), and one of an older
export is brought to the new tables' columns first.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from ..deals import deal_of, month_of
from .files import Partial, replaceable, text
from .tables import PER_REPORT, TABLES, TYPES
from .wide import deal_rows

APPLICATION_ID = 0x52474D52  # "RGMR" at offset 68 of the SQLite header: a database remitgrammar wrote
SQLITE_MAGIC = b"SQLite format 3\x00"


class SqliteSink:
    """A SQLite database (the standard library's sqlite3; no server), built in a copy of the old one."""

    def __init__(self, target: Path):
        existing = _ours(target)  # before anything is written, a temporary file included
        self.partial = Partial(target)
        try:
            self.db = sqlite3.connect(self.partial.path)
            if existing:
                with contextlib.closing(sqlite3.connect(_read_only(target), uri=True)) as old:
                    old.backup(self.db)
            # the copy is thrown away on any failure: no journal, one sync at the end (Partial.commit)
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            older = _upgrade(self.db)
            _create(self.db)
            if "reports" in older:
                _fill_deals(self.db)
        except BaseException:
            self.abandon()
            raise

    def add(self, tables: dict, record_json: str = "") -> None:
        rid = tables["reports"][0]["report_id"]
        with self.db:  # one transaction a report: its rows are replaced whole
            for table in PER_REPORT:
                self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", (rid,))
                _insert(self.db, table, tables.get(table, ()))

    def close(self) -> None:
        """The ``deals`` table from every report the database holds (earlier exports' too), then the file."""
        names = ("report_id", "deal", "month", "cik", "registrant", "series", "format")
        found = [dict(zip(names, row, strict=True)) for row in self.db.execute(f"SELECT {', '.join(names)} FROM reports")]
        with self.db:
            self.db.execute("DELETE FROM deals")
            _insert(self.db, "deals", deal_rows(found))
        self.db.close()
        self.partial.commit()
        os.close(self.partial.fd)

    def abandon(self) -> None:
        with contextlib.suppress(sqlite3.Error, AttributeError):
            self.db.close()
        with contextlib.suppress(OSError):
            os.close(self.partial.fd)
        self.partial.abandon()


def _insert(db, table: str, rows) -> None:
    columns = TABLES[table]
    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                   [tuple(text(row[c]) for c in columns) for row in rows])


def _declared(table: str) -> list:
    return [(c, _sql_type(table, c) + (" PRIMARY KEY" if table == "reports" and c == "report_id" else ""))
            for c in TABLES[table]]


def _create(db) -> None:
    for table in TABLES:
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(' '.join(c) for c in _declared(table))})")
        if table in PER_REPORT and table != "reports":
            db.execute(f"CREATE INDEX IF NOT EXISTS {table}_report ON {table} (report_id)")
        if table in PER_REPORT:
            db.execute(f"CREATE INDEX IF NOT EXISTS {table}_deal ON {table} (deal, month)")


def _upgrade(db) -> set:
    """A database of an older export, made like a new one: a table of other columns or types is built
    again with the columns both have; which were."""
    rebuilt = set()
    for table in TABLES:
        old = [(row[1], row[2]) for row in db.execute("SELECT * FROM pragma_table_info(?)", (table,))]
        new = [(c, kind.replace(" PRIMARY KEY", "")) for c, kind in _declared(table)]
        if not old or old == new:
            continue
        kept = ", ".join(c for c, _ in old if c in TABLES[table])
        db.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
        db.execute(f"DROP INDEX IF EXISTS {table}_report")
        db.execute(f"CREATE TABLE {table} ({', '.join(' '.join(c) for c in _declared(table))})")
        db.execute(f"INSERT INTO {table} ({kept}) SELECT {kept} FROM {table}_old")
        db.execute(f"DROP TABLE {table}_old")
        rebuilt.add(table)
    db.commit()
    return rebuilt


def _fill_deals(db) -> None:
    """The deal and month of the reports an older export wrote (it had no such columns), from what its
    reports table holds."""
    missing = db.execute("SELECT report_id, registrant, series, distribution_date FROM reports "
                         "WHERE deal IS NULL OR month IS NULL").fetchall()
    for rid, registrant, series, date in missing:
        record = {"filing": {"registrant": registrant, "series": series}, "distribution_date": date}
        deal = deal_of(record)
        for table in PER_REPORT:
            db.execute(f"UPDATE {table} SET deal = ?, month = ? WHERE report_id = ?",
                       (deal.key if deal else None, month_of(record), rid))
    db.commit()


def _ours(target: Path) -> bool:
    """Whether ``target`` is a database to add to (False: there is none, or it is an empty file).

    Raises:
        ValueError: it is not a regular file, not a SQLite database, or a database of another application.
    """
    replaceable(target)
    if not target.exists() or target.stat().st_size == 0:
        return False
    with open(target, "rb") as file:
        header = file.read(100)
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise ValueError("not a SQLite database; an export replaces only its own")
    marked = int.from_bytes(header[68:72], "big", signed=True)
    if marked == APPLICATION_ID:
        return True
    if marked != 0:
        raise ValueError(f"a SQLite database of another application (application_id {marked}); it is left as it is")
    foreign = _foreign(target)
    if foreign:  # an unmarked database is ours only when it holds nothing an export does not make
        raise ValueError(f"a SQLite database remitgrammar did not write (it holds {foreign}); it is left as it is")
    return True


def _foreign(target: Path) -> str | None:
    """The first table or index of an unmarked database that an export does not make, with its columns
    (None: the database is empty or an export from before the mark)."""
    indexes = {f"{table}_{on}" for table in TABLES for on in ("report", "deal")} | {"sqlite_autoindex_reports_1"}
    with contextlib.closing(sqlite3.connect(_read_only(target), uri=True)) as db:
        for kind, name in db.execute("SELECT type, name FROM sqlite_master ORDER BY name"):
            if kind == "index" and name in indexes:
                continue
            if kind != "table" or name not in TABLES:
                return f"{kind} {name!r}"
            columns = {row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,))}
            if not columns <= set(TABLES[name]):  # an older export's has fewer
                return f"table {name!r} with other columns"
    return None


def _read_only(target: Path) -> str:
    return "file:" + quote(os.fsencode(os.path.abspath(target))) + "?mode=ro"


def _sql_type(table: str, column: str) -> str:
    return TYPES.get(table, {}).get(column, "TEXT")


