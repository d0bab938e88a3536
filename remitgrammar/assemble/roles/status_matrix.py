"""Role ``status_matrix``: delinquency, foreclosure, REO and bankruptcy tables into ``delinquency``.

A matrix has row labels, column headings and values. Its parameters
(formats/roles.py) say what each axis names: ``rows`` (bucket, group or
measure) and ``columns`` (measure or bucket); where the loan group comes from
(``groups_from``: a line of group names whose columns it splits evenly, the
title naming one group, or a fixed ``group``); and the status of the whole
table (``status_from: title`` or a fixed ``status``). Lines before the column
headings are its title; a labelled line after the rows with no values is kept
in ``extra``. Buckets, statuses and groups map through the format's aliases
(``rows.buckets``, ``rows.groups``); measures through ``columns.delinquency``.
"""

from __future__ import annotations

import re

from ...parse.columns import Column, assign, heading_columns, snap, widen
from ...parse.lines import expand
from ...parse.values import Cell, split_row
from ..groups import group_columns, group_key, is_group_name, phrase_cell
from ..items import Heading
from ..record import Builder, Key

_TITLE_PARTS = re.compile(r"\s+-\s+|\s*:\s*|\s{2,}")


def _has_values(token) -> bool:
    first = expand(token)[0]
    return bool(split_row(first.text, first.line, first.column)[1])


def _holding_values(columns: list[Column], rows: list) -> list[Column]:
    """The columns some value sits under: a heading over the row labels ("Status") is not one."""
    used = set()
    for cells in rows:
        for column, _ in assign(cells, columns) or ():
            used.add(id(column))
    return [c for c in columns if id(c) in used] or columns


class StatusMatrix:
    """Maps status tables into ``delinquency[group][bucket][measure]``."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        titles, heading, rows = [], None, []
        has_heading = any(isinstance(item, Heading) for item in items)
        for item in items:
            if isinstance(item, Heading):
                heading = item.tokens
            elif hasattr(item, "type"):
                if not rows and (heading is None if has_heading else not _has_values(item)):
                    titles.append(item)
                else:
                    rows.extend(expand(item))
        if heading is None and titles:
            heading = [titles.pop()]  # the line right above the rows names their columns
        if heading is None:
            return
        self.b.heading_lines(titles + heading)
        self.b.heading = phrase_cell(titles[0]).text if titles else None
        columns = heading_columns(heading)
        split = [(row, *split_row(row.text, row.line, row.column)) for row in rows]
        widen(columns, [cells for _, _, cells in split])
        snap(columns, self.b.column_starts.get(rows[0].line) if rows else None)
        columns = _holding_values(columns, [cells for _, _, cells in split])
        context = self._context(params, titles, columns)
        for row, labels, cells in split:
            if not labels:
                continue
            label = Cell(" ".join(p.text for p in labels), labels[0].line, labels[0].column)
            if not cells:
                self.b.add_extra("delinquency", label.text, cells, row.line)
                continue
            self._row(params, context, label, cells, columns)

    def _context(self, params: dict, titles: list, columns: list[Column]) -> dict:
        """The group(s) and status the whole table shares."""
        context = {"status": params.get("status"), "group": params.get("group"), "owners": None}
        source = params.get("groups_from", "fixed")
        if source == "header" and titles:
            groups = group_columns(titles[0], self.b.spec, skip=params.get("title_skip", 0))
            share = max(len(columns) // max(len(groups), 1), 1)
            context["owners"] = [groups[min(i // share, len(groups) - 1)].name for i in range(len(columns))]
        parts = [Cell(p, t.line, t.column) for t in titles for p in _TITLE_PARTS.split(phrase_cell(t).text) if p]
        if source == "title":
            named = [p for p in parts if is_group_name(p.text, self.b.spec)]
            context["group"] = group_key(named[0].text, self.b.spec) if named else None
        if params.get("status_from") == "title":
            found = [self.b.spec.table("rows.buckets").lookup(p.text)[0] for p in parts]
            context["status"] = next((s for s in found if s), None)
            if context["status"] is None and parts:
                self.b.unmapped("delinquency", parts[-1], [], "rows.buckets (the table's status)")
        return context

    def _row(self, params: dict, context: dict, label: Cell, cells: list[Cell], columns: list[Column]) -> None:
        pairs = assign(cells, columns)
        if pairs is None:
            self.b.add_extra("delinquency", label.text, cells, label.line)
            self.b.warn("RG104", f"values of '{label.text}' do not line up with the column headings", label)
            return
        row_kind = params.get("rows", "bucket")
        row_key = self._key(row_kind, label, cells)
        if row_key is None:
            return
        index = {id(column): i for i, column in enumerate(columns)}
        for column, cell in pairs:
            col_key = self._key(params.get("columns", "measure"), Cell(column.name, cell.line, cell.column),
                                [cell], column.anchor)
            if col_key is None:
                continue
            keys = {row_kind: row_key, params.get("columns", "measure"): col_key}
            group = keys.get("group") or context["group"]
            if group is None and context["owners"]:
                group = context["owners"][index[id(column)]]
            self._put(params, group or "total", context["status"], keys.get("bucket"), keys["measure"], cell)

    def _key(self, kind: str, label: Cell, cells: list[Cell], anchor: Cell | None = None) -> str | None:
        """What a row label or column heading names, or None (kept in extra) when nothing maps it."""
        if kind == "group":
            return group_key(label.text, self.b.spec)
        scope = "rows.buckets" if kind == "bucket" else "columns.delinquency"
        target, _ = self.b.spec.table(scope).lookup(label.text)
        self.b.note_label(scope, label.text, target, anchor or label)
        if target is None:
            self.b.unmapped("delinquency", label, cells, scope, [anchor.text] if anchor is not None else None)
        return target

    def _put(self, params: dict, group: str, status, bucket, measure: str, cell: Cell) -> None:
        base = params.get("base_status", "delinquent")
        if bucket == "total" and status == base:
            bucket = base  # the total column of the base status: all its buckets together
        if status is None or status == base:
            path = (Key(bucket or base),)
        elif bucket in (None, "total", status):
            path = (Key(status),)
        else:
            path = (Key(status), "by_bucket", Key(bucket))
        self.b.put(("delinquency", Key(group)) + path + (measure,), cell)
