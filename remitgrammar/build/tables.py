"""Class tables: map column headings, stitch unlabelled blocks, match class names.

The distribution summary names the classes; later tables (per $1,000 unit,
shortfalls) attach their values to those classes, matching names without
hyphens, spaces and case (``BIO`` is ``B-IO``). A block printed without class
names lines up row by row with the labelled block above it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..parse.columns import assign, heading_columns, widen
from .record import Builder, Key
from .shift import FACTOR_SOURCES, find_shift
from ..formats.specs import field_type
from ..parse.values import Cell, parse_number, split_row

TOTAL = "Total"


@dataclass
class Block:
    """One block of a class table, as the grammar found it.

    Attributes:
        heading: the heading line tokens.
        rows: the row tokens (class rows, then the total row if any).
        labelled: False for a block whose rows carry no class names.
        has_total: True when the last row is the block's total row.
    """

    heading: list
    rows: list
    labelled: bool
    has_total: bool


@functools.lru_cache(maxsize=4096)
def class_key(name: str) -> str:
    """The form in which class names are compared across tables."""
    return "".join(ch for ch in name if ch not in "- ").casefold()


class ClassTables:
    """Turns the class tables of one report into ``classes`` and ``class_totals``."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.by_key: dict[str, str] = {}

    def section(self, scope: str, blocks: list[Block]) -> None:
        """Map every block of one section (``summary``, ``per_1000``, ``shortfall``)."""
        previous_names: list[str | None] = []
        for block in blocks:
            rows = [self._split(tok, block.labelled) for tok in block.rows]
            if block.labelled:
                names = [(label.text if label else TOTAL) for label, _ in rows]
                if block.has_total:
                    names[-1] = TOTAL
                previous_names = names
            elif len(rows) != len(previous_names):
                self._misaligned(block, rows, previous_names, scope)
                continue
            else:
                names = previous_names
            self._block(scope, block, rows, names)

    def _split(self, token, labelled: bool) -> tuple[Cell | None, list[Cell]]:
        labels, cells = split_row(str(token), token.line, token.column)
        label = labels[0] if labels and (labelled or token.type.endswith("TOTAL_ROW")) else None
        return label, cells

    def _block(self, scope: str, block: Block, rows: list, names: list) -> None:
        columns = heading_columns(block.heading)
        table = self.b.spec.table(f"columns.{scope}")
        targets = {id(c): table.lookup(c.name)[0] for c in columns}
        fields = {key: tuple(t.split(".")) for key, t in targets.items() if t not in (None, "extra")}
        kinds = {key: field_type("classes", targets[key]) for key in fields}  # once per column
        value_columns = [c for c in columns if targets[id(c)] != "class"]
        widen(value_columns, [cells for _, cells in rows])
        for column in value_columns:
            self.b.note_label(f"columns.{scope}", column.name, targets[id(column)], column.anchor)
            if targets[id(column)] is None:  # "extra" columns go to extra without a warning
                self.b.warn("RG202", f"column heading '{column.name}' maps to no canonical field",
                            column.anchor, hint=f"add it under columns.{scope} in the alias spec")
        placed = [assign(cells, value_columns) for _, cells in rows]
        if scope == "per_1000" and block.labelled:
            names = self._shifted(block, rows, names, placed, fields)
        for (label, cells), name, pairs in zip(rows, names, placed):
            owner = self._owner(scope, name, label, cells)
            if owner is None:
                continue
            if pairs is None:
                self._unassigned(scope, name, cells)
                continue
            for column, cell in pairs:
                field = fields.get(id(column))
                if field is None:
                    self.b.add_extra(scope, f"{name} / {column.name}", [cell], cell.line)
                else:
                    self.b.put(owner + field, cell, kinds[id(column)])

    def _shifted(self, block: Block, rows: list, names: list, placed: list, fields: dict) -> list:
        """Names re-aligned when the block's labels are printed rows off (see shift.py)."""
        factors = []
        for pairs in placed:
            row = {}
            for column, cell in pairs or ():
                field = ".".join(fields.get(id(column), ()))
                if field in FACTOR_SOURCES:
                    row[field] = parse_number(cell.text)
            factors.append(row)
        summary_names = [self.by_key.get(class_key(n), n) for n in names]
        extended = summary_names + ([] if block.has_total else [TOTAL])
        shift, result = find_shift(factors, extended, self.b.data["classes"])
        first, last = block.rows[0], block.rows[-1]
        where = Cell(str(first).strip(), first.line, first.column)
        if shift is None:
            self.b.findings.add(
                "RG322", "error",
                f"AMOUNTS PER $1,000 UNIT rows {first.line}-{last.line}: {result.checked - result.matched} of "
                f"{result.checked} rows contradict their class labels, and no shift of the labels explains them",
                where, source_line=self.b.source_line(first.line), path="classes[*].per_1000",
                hint="kept as printed; check the report")
            return names
        if shift == 0:
            return names
        moved = "down" if shift > 0 else "up"
        applied = "moved to the classes they belong to" if self.b.repair else "kept as printed (--no-repair)"
        self.b.findings.add(
            "RG320", "warning",
            f"AMOUNTS PER $1,000 UNIT rows {first.line}-{last.line} carry their class labels {abs(shift)} "
            f"row(s) off: each row's values belong to the class printed {abs(shift)} row(s) {moved} "
            f"({result.matched} of {result.checked} rows agree that way); values {applied}",
            where, source_line=self.b.source_line(first.line), path="classes[*].per_1000",
            expected=f"labels shifted by {shift}", actual="labels as printed")
        if not self.b.repair:
            return names
        return [extended[i + shift] if 0 <= i + shift < len(extended) else f"row {i + 1}"
                for i in range(len(names))]

    def _owner(self, scope: str, name: str, label: Cell | None, cells: list[Cell]):
        """The record path prefix a row's values go under, or None if it has none."""
        if name == TOTAL:
            return ("class_totals",)
        key = class_key(name)
        if scope == "summary" and key not in self.by_key:
            self.by_key[key] = name
            self.b.class_order.append(name)
            if label is not None:
                self.b.put(("classes", Key(name), "class"), label, value=name)
        if key in self.by_key:
            return ("classes", Key(self.by_key[key]))
        where = label or (cells[0] if cells else None)
        self.b.add_extra(scope, name, cells, where.line if where else 0)
        self.b.warn("RG203", f"row '{name}' names no class of the distribution summary", where,
                    hint="a shifted label or a class the summary leaves out; see `remitgrammar check`")
        return None

    def _unassigned(self, scope: str, name: str, cells: list[Cell]) -> None:
        self.b.add_extra(scope, name, cells, cells[0].line)
        self.b.warn("RG104", f"cells of row '{name}' do not line up with the column headings",
                    cells[0])

    def _misaligned(self, block: Block, rows: list, names: list, scope: str) -> None:
        first = block.rows[0]
        for label, cells in rows:
            if cells:
                self.b.add_extra(scope, "unlabelled row", cells, cells[0].line)
        self.b.findings.add(
            "RG103", "error",
            f"unlabelled block has {len(rows)} rows but the labelled block above has {len(names)}",
            Cell("", first.line, first.column), source_line=self.b.source_line(first.line),
            hint="its rows cannot be matched to classes; they are kept in extra")
