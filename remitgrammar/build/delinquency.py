"""Delinquency and loan status tables, keyed by loan group or servicer, then bucket.

Two shapes: bucket rows under group columns each split into Count / Balance
(``30-59 days  90  12,494,252  29  4198567.42``), and status rows of one group or
one status (``Foreclosure`` under ``GROUP 1``, ``Fairbanks`` under ``Foreclosure``).
"""

from __future__ import annotations

from ..parse.columns import Column, assign, heading_columns, widen
from .keyvalues import group_key
from .record import Builder, Key
from ..formats.specs import field_type
from ..parse.values import Cell, split_row


class Delinquency:
    """Maps delinquency and status tables into ``delinquency``."""

    def __init__(self, builder: Builder):
        self.b = builder

    def bucket_table(self, groups: list[Column], heading: list, rows: list) -> None:
        """Bucket rows under group columns, each group owning an equal share of the sub-columns."""
        columns = heading_columns(heading)
        split = [split_row(str(t), t.line, t.column) for t in rows]
        widen(columns, [cells for _, cells in split])
        share = len(columns) // max(len(groups), 1)
        owners = [groups[min(i // max(share, 1), len(groups) - 1)].name for i in range(len(columns))]
        for labels, cells in split:
            label = self._label(labels)
            bucket = self._bucket(label, cells)
            if bucket is None:
                continue
            self._cells(label, cells, columns, lambda col: owners[columns.index(col)], bucket)

    def status_rows(self, heading: list, rows: list, group: str | None = None,
                    bucket: str | None = None) -> None:
        """Status rows: each row is a bucket of ``group``, or a group (servicer) of ``bucket``."""
        columns = heading_columns(heading)
        split = [split_row(str(t), t.line, t.column) for t in rows]
        widen(columns, [cells for _, cells in split])
        for labels, cells in split:
            label = self._label(labels)
            if group is not None:
                row_bucket = self._bucket(label, cells)
                if row_bucket is not None:
                    self._cells(label, cells, columns, lambda col: group, row_bucket)
            else:
                self._cells(label, cells, columns, lambda col, g=group_key(label.text): g, bucket)

    def title_bucket(self, token) -> str | None:
        """The bucket a status table's title names (``Bankruptcies`` -> ``bankruptcy``)."""
        labels, _ = split_row(str(token), token.line, token.column)
        label = self._label(labels)
        return self._bucket(label, [])

    @staticmethod
    def _label(labels: list[Cell]) -> Cell:
        return Cell(" ".join(p.text for p in labels), labels[0].line, labels[0].column)

    def _bucket(self, label: Cell, cells: list[Cell]) -> str | None:
        bucket, _ = self.b.spec.table("rows.buckets").lookup(label.text)
        self.b.note_label("rows.buckets", label.text, bucket, label)
        if bucket is None:
            self.b.unmapped("delinquency", label, cells, "rows.buckets")
        return bucket

    def _cells(self, label: Cell, cells: list[Cell], columns: list[Column], owner, bucket: str) -> None:
        table = self.b.spec.table("columns.delinquency")
        pairs = assign(cells, columns)
        if pairs is None:
            self.b.add_extra("delinquency", label.text, cells, label.line)
            self.b.warn("RG104", f"values of '{label.text}' do not line up with the column headings", label)
            return
        for column, cell in pairs:
            target, _ = table.lookup(column.name)
            self.b.note_label("columns.delinquency", column.name, target, column.anchor)
            if target is None:
                self.b.unmapped("delinquency", Cell(f"{label.text} / {column.name}", cell.line, cell.column),
                                [cell], "columns.delinquency")
                continue
            self.b.put(("delinquency", Key(owner(column)), Key(bucket), target), cell,
                       field_type("delinquency", target))

    def empty_row(self, token) -> None:
        """A labelled row with no values (``Total`` under the buckets): kept in extra."""
        labels, cells = split_row(str(token), token.line, token.column)
        self.b.add_extra("delinquency", self._label(labels).text, cells, token.line)
