"""Write exported reports: a SQLite database (emit/sqlite.py), JSON lines, a directory of CSV files,
or a directory of Parquet files (emit/parquet.py); emit/tables.py gives the rows. A sink takes one
report at a time, so a corpus is never held whole.

SQLite: re-exporting a report replaces its rows (every table is keyed by ``report_id``, the
sha256 of its text), so a database grows only by reports it has not seen. CSV and Parquet: a
directory written afresh by each export, one file per table; a report met twice in one export is
written once. JSON lines: one record a line, with its provenance. The ``deals`` table is written
in ``close``, when every report is in.

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
from pathlib import Path

from .files import Partial, discard, text
from .sqlite import SqliteSink
from .tables import TABLES, new_rows
from .wide import deal_rows


def sink_for(target: Path):
    """The sink a target's form asks for: ``.sqlite``/``.db``, ``.jsonl``, a ``DIR.parquet`` directory (the
    parquet extra), else a directory of CSV files.

    Raises:
        OSError: the target cannot be created or opened.
        ValueError: the target is a file of another kind (not a regular file; a SQLite database of
            another application; Parquet without pyarrow).
    """
    target = Path(target)
    if target.suffix == ".parquet":
        from .parquet import ParquetSink  # pyarrow: an optional extra, imported only when asked for

        return ParquetSink(target)
    if target.suffix in (".sqlite", ".db"):
        return SqliteSink(target)
    if target.suffix == ".jsonl":
        return JsonlSink(target)
    if target.suffix or (target.exists() and not target.is_dir()):
        raise ValueError("export to a .sqlite or .db database, a .jsonl file, a DIR.parquet directory or a "
                         "directory (CSV)")
    return CsvSink(target)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_TEXT = re.compile(r"[-+(]?[\d.,]+\)?%?|-")


def _safe(row: dict) -> dict:
    """A row a spreadsheet opens without running it: a text that would start a formula (a label or a
    message from a hostile filing) is written after an apostrophe. A number as printed (-1,234.00,
    (4,179)) and '-' (standard input) are left as they are."""
    return {k: "'" + v if isinstance(v, str) and v.startswith(_FORMULA) and not _NUMBER_TEXT.fullmatch(v)
            else v for k, v in ((k, text(v)) for k, v in row.items())}


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
        discard(self.file, self.partial)


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
        self.seen: dict = {}  # report_id -> its reports row, for the deals table

    def add(self, tables: dict, record_json: str = "") -> None:
        for table, rows in new_rows(self.seen, tables):
            self.writers[table].writerows(_safe(row) for row in rows)

    def close(self) -> None:
        """The deals table, every table's file on disk, then each renamed into place."""
        self.writers["deals"].writerows(_safe(row) for row in deal_rows(self.seen.values()))
        for table, file in self.files.items():
            file.flush()
            os.fsync(self.partials[table].fd)
        for table, file in self.files.items():
            self.partials[table].commit()
            file.close()
            os.close(self.partials[table].fd)

    def abandon(self) -> None:
        for table, partial in self.partials.items():
            discard(self.files.get(table), partial)
        if self.created:  # a directory this export made, and nothing else wrote into
            with contextlib.suppress(OSError):
                self.target.rmdir()
