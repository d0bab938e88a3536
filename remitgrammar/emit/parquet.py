"""The Parquet sink of an export (``--to DIR.parquet``): a directory with one Parquet file per table,
which DuckDB (``read_parquet``) and pandas (``read_parquet``) read with no extension.

pyarrow is the optional ``parquet`` extra (``pip install 'remitgrammar[parquet]'``), imported only
here. Columns are typed as in SQLite (emit/tables.py ``TYPES``): text as UTF-8 strings, REAL as
doubles, INTEGER as 64-bit integers; every column may be null. Rows are buffered and written in row
groups of ``ROW_GROUP`` rows, so memory stays bounded however large the corpus. Each file is
written beside its target and renamed into place when the export is complete, as the CSV sink does.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from pathlib import Path

from .files import Partial, discard, text
from .tables import TABLES, TYPES, new_rows
from .wide import deal_rows

EXTRA = "Parquet needs the parquet extra: pip install 'remitgrammar[parquet]' (pyarrow)"
ROW_GROUP = 50_000


def _pyarrow():
    """(pyarrow, pyarrow.parquet), or ValueError naming the extra: the CLI's one line, exit 2."""
    try:
        import pyarrow
        from pyarrow import parquet
    except ImportError:
        raise ValueError(EXTRA) from None
    return pyarrow, parquet


class ParquetSink:
    """A directory with one ``TABLE.parquet`` per table. Other files in it are left alone."""

    def __init__(self, target: Path):
        self.pa, self.pq = _pyarrow()
        if target.exists() and not target.is_dir():
            raise ValueError("not a directory; a .parquet export is a directory of one file per table")
        self.created = not target.exists()
        target.mkdir(parents=True, exist_ok=True)
        self.target, self.partials, self.writers = target, {}, {}
        self.schemas = {table: self._schema(table) for table in TABLES}
        self.buffers: dict = {table: [] for table in TABLES}
        self.seen: dict = {}  # report_id -> its reports row, for the deals table
        try:
            for table in TABLES:
                self.partials[table] = Partial(target / f"{table}.parquet")
                self.writers[table] = self.pq.ParquetWriter(self.partials[table].path, self.schemas[table])
        except BaseException:
            self.abandon()
            raise

    def _schema(self, table: str):
        kinds = {"TEXT": self.pa.string(), "REAL": self.pa.float64(), "INTEGER": self.pa.int64()}
        return self.pa.schema([(c, kinds[TYPES.get(table, {}).get(c, "TEXT")]) for c in TABLES[table]])

    def add(self, tables: dict, record_json: str = "") -> None:
        for table, rows in new_rows(self.seen, tables):
            self.buffers[table].extend(rows)
            if len(self.buffers[table]) >= ROW_GROUP:
                self._flush(table)

    def _flush(self, table: str) -> None:
        rows, self.buffers[table] = self.buffers[table], []
        if not rows:
            return
        schema = self.schemas[table]
        columns = [self.pa.array([_cell(row.get(f.name)) for row in rows], f.type) for f in schema]
        self.writers[table].write_table(self.pa.Table.from_arrays(columns, schema=schema))

    def close(self) -> None:
        """The deals table, every table's remaining rows, each file closed, then renamed into place."""
        self.buffers["deals"] = deal_rows(self.seen.values())
        for table in TABLES:
            self._flush(table)
            self.writers[table].close()
        for partial in self.partials.values():
            partial.commit()
            partial.close()

    def abandon(self) -> None:
        for table, partial in self.partials.items():
            with contextlib.suppress(Exception):  # pyarrow's own errors too: the file is removed anyway
                self.writers[table].close()
            discard(None, partial)
        if self.created:  # a directory this export made, and nothing else wrote into
            with contextlib.suppress(OSError):
                self.target.rmdir()


def _cell(value):
    """A value Parquet's column takes: a flag as 0/1 (an INTEGER column), a Decimal (rows made with
    ``numbers="decimal"``) as the double the column holds, text UTF-8 can hold."""
    if isinstance(value, bool):
        return int(value)
    return float(value) if isinstance(value, Decimal) else text(value)
