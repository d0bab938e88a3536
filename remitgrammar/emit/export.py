"""Write exported reports: a SQLite database, JSON lines, or a directory of CSV files (emit/tables.py
gives the rows). A sink takes one report at a time, so a corpus is never held whole.

SQLite: re-exporting a report replaces its rows (every table is keyed by ``report_id``, the
sha256 of its text), so a database grows only by reports it has not seen. CSV: a directory
written afresh by each export, one file per table; a report met twice in one export is written
once. JSON lines: one record a line, with its provenance.

Every sink writes into temporary files beside its target and renames them into place in ``close``,
when the export is complete; ``abandon`` removes them, so a failed export (a full disk) leaves the
old target as it was. Only regular files are replaced, and a SQLite file is added to only when it
is ours (its ``application_id``, or the tables of an export from before the mark).
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import sqlite3
import stat
import tempfile
from pathlib import Path
from urllib.parse import quote

from .tables import NUMERIC, TABLES

INTEGER = {"line", "col", "printed", "canonical", "extra", "skipped", "lost", "ignored"}
APPLICATION_ID = 0x52474D52  # "RGMR" at offset 68 of the SQLite header: a database remitgrammar wrote
SQLITE_MAGIC = b"SQLite format 3\x00"


def sink_for(target: Path):
    """The sink a target's form asks for: ``.sqlite``/``.db``, ``.jsonl``, else a directory of CSV files.

    Raises:
        OSError: the target cannot be created or opened.
        ValueError: the target is a file of another kind (not a regular file; a SQLite database of
            another application).
    """
    target = Path(target)
    if target.suffix in (".sqlite", ".db"):
        return SqliteSink(target)
    if target.suffix == ".jsonl":
        return JsonlSink(target)
    if target.suffix or (target.exists() and not target.is_dir()):
        raise ValueError("export to a .sqlite or .db database, a .jsonl file or a directory (CSV)")
    return CsvSink(target)


class Partial:
    """A temporary file beside ``target`` that replaces it only when complete (``commit``).

    Raises:
        ValueError: the target exists and is not a regular file (a device, a FIFO, a directory).
        OSError: the temporary file cannot be made.
    """

    def __init__(self, target: Path):
        self.target = target
        self.mode = _replaceable(target)
        self.fd, self.path = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                              dir=target.parent if str(target.parent) else ".")

    def commit(self) -> None:
        """Flush the file to disk (a full disk may only say so here), then put it in place."""
        os.fsync(self.fd)
        os.chmod(self.path, self.mode)
        os.replace(self.path, self.target)

    def abandon(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def _replaceable(target: Path) -> int:
    """The mode the target's replacement gets: the old file's, else what the umask gives a new file."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file; an export replaces only a regular file")
    return stat.S_IMODE(info.st_mode)


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
            _create(self.db)
        except BaseException:
            self.abandon()
            raise

    def add(self, tables: dict, record_json: str = "") -> None:
        rid = tables["reports"][0]["report_id"]
        with self.db:  # one transaction a report: its rows are replaced whole
            for table, columns in TABLES.items():
                self.db.execute(f"DELETE FROM {table} WHERE report_id = ?", (rid,))
                self.db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                    f"({', '.join('?' for _ in columns)})",
                                    [tuple(_text(row[c]) for c in columns) for row in tables[table]])

    def close(self) -> None:
        self.db.close()
        self.partial.commit()
        os.close(self.partial.fd)

    def abandon(self) -> None:
        with contextlib.suppress(sqlite3.Error, AttributeError):
            self.db.close()
        with contextlib.suppress(OSError):
            os.close(self.partial.fd)
        self.partial.abandon()


def _create(db) -> None:
    for table, columns in TABLES.items():
        typed = ", ".join(f"{c} {_sql_type(c)}" + (" PRIMARY KEY" if table == "reports" and c == "report_id"
                                                   else "") for c in columns)
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({typed})")
        if table != "reports":
            db.execute(f"CREATE INDEX IF NOT EXISTS {table}_report ON {table} (report_id)")


def _ours(target: Path) -> bool:
    """Whether ``target`` is a database to add to (False: there is none, or it is an empty file).

    Raises:
        ValueError: it is not a regular file, not a SQLite database, or a database of another application.
    """
    _replaceable(target)
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
    indexes = {f"{table}_report" for table in TABLES} | {"sqlite_autoindex_reports_1"}
    with contextlib.closing(sqlite3.connect(_read_only(target), uri=True)) as db:
        for kind, name in db.execute("SELECT type, name FROM sqlite_master ORDER BY name"):
            if kind == "index" and name in indexes:
                continue
            if kind != "table" or name not in TABLES:
                return f"{kind} {name!r}"
            columns = tuple(row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,)))
            if columns != TABLES[name]:
                return f"table {name!r} with other columns"
    return None


def _read_only(target: Path) -> str:
    return "file:" + quote(os.fsencode(os.path.abspath(target))) + "?mode=ro"


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


_NUMBER_TEXT = re.compile(r"[-+(]?[\d.,]+\)?%?|-")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text(value):
    """A value UTF-8 can hold: a lone surrogate (a byte of a file name that is not UTF-8, read with
    surrogateescape) is written ``\\xff``, as the human output shows it."""
    if not isinstance(value, str) or not _SURROGATE.search(value):
        return value
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF
                          else f"\\u{ord(m.group()):04x}", value)


def _safe(row: dict) -> dict:
    """A row a spreadsheet opens without running it: a text that would start a formula (a label or a
    message from a hostile filing) is written after an apostrophe. A number as printed (-1,234.00,
    (4,179)) and '-' (standard input) are left as they are."""
    return {k: "'" + v if isinstance(v, str) and v.startswith(_FORMULA) and not _NUMBER_TEXT.fullmatch(v)
            else v for k, v in ((k, _text(v)) for k, v in row.items())}


def _sql_type(column: str) -> str:
    return "REAL" if column in NUMERIC else "INTEGER" if column in INTEGER else "TEXT"


class JsonlSink:
    """One JSON record a line (to_json escapes what UTF-8 cannot hold)."""

    def __init__(self, target: Path):
        self.partial = Partial(target)
        self.file = os.fdopen(self.partial.fd, "w", encoding="utf-8", closefd=False)

    def add(self, tables: dict, record_json: str = "") -> None:
        self.file.write(record_json + "\n")

    def close(self) -> None:
        self.file.flush()
        self.partial.commit()
        self.file.close()
        os.close(self.partial.fd)

    def abandon(self) -> None:
        _discard(self.file, self.partial)


class CsvSink:
    """A directory with one CSV file per table, header first. Other files in it are left alone."""

    def __init__(self, target: Path):
        self.created = not target.exists()
        target.mkdir(parents=True, exist_ok=True)
        self.target, self.partials, self.files = target, {}, {}
        try:
            for table in TABLES:
                self.partials[table] = Partial(target / f"{table}.csv")
                self.files[table] = os.fdopen(self.partials[table].fd, "w", encoding="utf-8", newline="",
                                              closefd=False)
        except BaseException:
            self.abandon()
            raise
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
        """Every table's file on disk first, then each renamed into place."""
        for table, file in self.files.items():
            file.flush()
            os.fsync(self.partials[table].fd)
        for table, file in self.files.items():
            self.partials[table].commit()
            file.close()
            os.close(self.partials[table].fd)

    def abandon(self) -> None:
        for table, partial in self.partials.items():
            _discard(self.files.get(table), partial)
        if self.created:  # a directory this export made, and nothing else wrote into
            with contextlib.suppress(OSError):
                self.target.rmdir()


def _discard(file, partial: Partial) -> None:
    """Close a sink's file without caring what it still held, and remove its temporary file."""
    if file is not None:
        with contextlib.suppress(OSError, ValueError):
            file.close()
    with contextlib.suppress(OSError):
        os.close(partial.fd)
    partial.abandon()
