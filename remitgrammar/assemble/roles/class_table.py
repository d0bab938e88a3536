"""Role ``class_table``: class-keyed columns into ``classes``, Total rows into ``class_totals``.

Parameters (formats/roles.py): ``scope`` (the alias table of its column
headings), ``defines_classes`` (its rows name the report's classes: the
distribution summary), ``tier`` or ``tier_from: title``, ``total_labels``,
``realign_labels``, ``total_row`` (``class_totals``, ``extra``, or ``own``: a table
whose Total adds up only the rows it prints keeps its amounts under
``pool.table_totals[<scope>]``, for ``check`` to add up). Later tables attach their
values to the classes the summary named, matching names without hyphens, spaces and
case (``BIO`` is ``B-IO``). A block printed without class names lines up row by row
with the labelled block above it; a tier's Total row goes to ``tier_totals``.
"""

from __future__ import annotations

import re

from ...formats.specs import normalize_label
from ...parse.columns import column_of, column_title, heading_words, lookup_column, snap
from ...parse.layout import lay_out, redivide, straddles
from ...parse.values import MAX_DIGITS, Cell, parse_number, split_row, text_cache, too_long
from ..groups import phrase_cell
from ..items import Block
from ..record import Builder, Key
from ..shift import FACTOR_SOURCES, find_shift

TOTAL = "Total"
MAX_ROWS = 2_000  # rows of one class block read: a deal prints a few hundred at most; the rest cost memory only
_CLASS_AND_TYPE = re.compile(r"(\S+) ([A-Z]{1,4})")  # a class name, then its type one space after it


@text_cache
def class_key(name: str) -> str:
    """The form in which class names are compared across tables."""
    return "".join(ch for ch in name if ch not in "- ").casefold()


class ClassTables:
    """Turns the class tables of one report into ``classes``, ``class_totals`` and ``tier_totals``."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.by_key: dict[str, str] = {}
        self.wrapped: dict[tuple, tuple] = {}  # where a wrapped class name starts -> (its first part, last line)

    def run(self, rule: str, params: dict, items: list) -> None:
        """Map every block of one class-table section."""
        scope = params["scope"]
        titles = [i for i in items if not isinstance(i, Block)]
        tier = self._tier(params, titles)
        self.b.heading_lines(titles)
        self.b.heading = phrase_cell(titles[0]).text if titles else None
        totals = {normalize_label(t) for t in params["total_labels"]}
        previous_names: list[str | None] = []
        for block in (i for i in items if isinstance(i, Block)):
            self._bounded(block)
            rows = [self._split(tok, block.labelled) for tok in block.rows]
            if block.labelled:
                names = [(label.text if label else TOTAL) for label, _ in rows]
                names = [TOTAL if normalize_label(n) in totals else n for n in names]
                if block.has_total:
                    names[-1] = TOTAL
                previous_names = self._with_skipped(block, names)
            elif len(rows) != len(previous_names):
                self._misaligned(block, rows, previous_names, scope)
                continue
            else:
                aligned = previous_names
                rows = self._drop_skipped(scope, rows, aligned)
                names = [n for n in aligned if n is not None]
            self._block(scope, params, tier, block, rows, names)

    def _bounded(self, block: Block) -> None:
        """A block of more than MAX_ROWS rows is read up to that row, with RG121 for the rest."""
        if len(block.rows) <= MAX_ROWS:
            return
        first = block.rows[MAX_ROWS]
        self.b.findings.add("RG121", "error", f"a block of {len(block.rows):,} class rows: no report prints more "
                            f"than {MAX_ROWS:,}, and rows past it are not read", first,
                            source_line=self.b.source_line(first.line),
                            hint="check the file: rows copied over and over, or a table that is not a class table")
        block.rows, block.has_total = block.rows[:MAX_ROWS], False

    def _with_skipped(self, block: Block, names: list) -> list:
        """The block's row names with a None where the parser skipped a row line between them (a
        misfit, RG101), so that a block printed without class names below still lines up."""
        if not block.rows or not self.b.skipped:
            return names
        out, rows = [], block.rows
        for index, (row, name) in enumerate(zip(rows, names, strict=True)):  # a name per row
            out.append(name)
            following = rows[index + 1].line if index + 1 < len(rows) else row.line
            out.extend(None for line in range(row.line + 1, following) if line in self.b.skipped)
        return out

    def _drop_skipped(self, scope: str, rows: list, names: list) -> list:
        """The rows of an unlabelled block without those beside a skipped labelled row (kept in extra)."""
        kept = []
        for (label, cells), name in zip(rows, names, strict=True):  # lengths checked by run()
            if name is None:
                if cells:
                    self.b.add_extra(scope, "row beside a skipped line", cells, cells[0].line)
            else:
                kept.append((label, cells))
        return kept

    def _tier(self, params: dict, titles: list) -> tuple | None:
        """(tier name, its cell) from the parameters or the section's title line."""
        if params["tier"] is not None:
            cell = phrase_cell(titles[0]) if titles else Cell(params["tier"], 0, 0)
            return params["tier"], cell
        if params.get("tier_from") == "title" and titles:
            cell = phrase_cell(titles[0])
            target, _ = self.b.spec.table("rows.tiers").lookup(cell.text)
            return (target or cell.text), cell
        return None

    def _split(self, token, labelled: bool) -> tuple[Cell | None, list[Cell]]:
        labels, cells = split_row(str(token), token.line, token.column)
        label = labels[0] if labels and (labelled or "TOTAL" in token.type) else None
        wrapped = getattr(token, "wrapped", None)
        if label is not None and wrapped is not None:  # "LT-" over "ACCRUAL": one name, LT-ACCRUAL
            self.wrapped[(label.line, label.column)] = (label, wrapped.line)
            label = Cell(label.text + wrapped.text, label.line, label.column)
        # The class name is the row's first phrase: words after it are cells of text
        # columns (a CUSIP followed by a class type: "A-1  96147WAA9  SEN  5.25000%"), even
        # one space after it ("AF-IO IO  42,000,000.00").
        typed = _CLASS_AND_TYPE.fullmatch(label.text) if label is not None else None
        if typed and label is not None:
            kind = Cell(typed.group(2), label.line, label.column + typed.start(2))
            label = Cell(typed.group(1), label.line, label.column)
            return label, [kind] + labels[1:] + cells
        return label, (labels[1:] if label is not None else labels) + cells

    def _block(self, scope: str, params: dict, tier, block: Block, rows: list, names: list) -> None:
        self.b.heading_lines(block.heading)
        label_end = max((label.end for label, _ in rows if label is not None), default=0)
        columns = lay_out(heading_words(block.heading), [cells for _, cells in rows], label_end)
        snap(columns, self.b.column_starts.get(block.rows[0].line) if block.rows else None)
        table = self.b.spec.table(f"columns.{scope}")
        redivide(columns, lambda title: table.lookup(title)[0] is not None)
        fields, kinds = self._targets(scope, columns)
        placed = [[(column_of(cell, columns), cell) for cell in cells] for _, cells in rows]
        if params.get("realign_labels") and block.labelled and block.rows:  # every row may have been skipped
            names = self._shifted(block, rows, names, placed, fields)
        for (label, cells), name, pairs in zip(rows, names, placed, strict=True):
            owner = self._owner(scope, params, tier, name, label, cells)
            if owner is None:
                continue
            for column, cell in pairs:
                field = fields.get(id(column))
                if column is None or straddles(cell, columns):
                    self._straddling(scope, name, cell, columns)
                elif field is None or not self._kept(owner, kinds[id(column)]):
                    self.b.add_extra(scope, f"{name} / {column_title(column)}", [cell], cell.line,
                                     [column_title(column)])
                else:
                    self.b.put(owner + field, cell, kinds[id(column)])

    @staticmethod
    def _kept(owner: tuple, kind: str) -> bool:
        """False for a figure of a table's own Total row that does not add up across classes (a rate):
        such a Total holds sums only, and anything else in it is kept in extra."""
        return owner[:2] != ("pool", "table_totals") or kind == "amount"

    def _straddling(self, scope: str, name: str, cell: Cell, columns: list) -> None:
        """A value standing over two columns (or none) belongs to neither: kept in extra, reported."""
        over = [column_title(c) for c in columns if min(cell.end, c.end) > max(cell.column, c.start)]
        self.b.add_extra(scope, f"{name} / {' | '.join(over) or '(no column)'}", [cell], cell.line)
        if too_long(cell.text):
            self.b.findings.add("RG106", "error", f"'{cell.text[:40]}...' has more than {MAX_DIGITS} digits (row "
                                f"'{name}')", cell, source_line=self.b.source_line(cell.line))
            return
        self.b.warn("RG104", f"the value '{cell.text[:40]}' of row '{name}' stands over "
                    f"{' and '.join(over) if over else 'no column'}: it is read as neither", cell,
                    hint="kept in extra; check the report's columns")

    def _targets(self, scope: str, columns: list) -> tuple[dict, dict]:
        """The field each column names ({id: field path}) and its type; unknown headings reported."""
        table = self.b.spec.table(f"columns.{scope}")
        fields, kinds = {}, {}
        for column in columns:
            target = lookup_column(table, column)
            self.b.note_label(f"columns.{scope}", column_title(column), target, column.anchor)
            if target is None:  # "extra" columns go to extra without a warning
                what = f"column heading '{column_title(column)}'" if column_title(column) else \
                    "a column of values with no heading over it"
                self.b.warn("RG202", f"{what} maps to no canonical field", column.anchor,
                            hint=f"add it under columns.{scope} in the alias spec")
            elif target not in ("extra", "class"):
                fields[id(column)] = tuple(target.split("."))
                kinds[id(column)] = self.b.spec.field_type("classes", target)
        return fields, kinds

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
                f"AMOUNTS PER $1,000 UNIT rows {self.b.file_line(first.line)}-{self.b.file_line(last.line)}: "
                f"{result.checked - result.matched} of "
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
            f"AMOUNTS PER $1,000 UNIT rows {self.b.file_line(first.line)}-{self.b.file_line(last.line)} "
            f"carry their class labels {abs(shift)} "
            f"row(s) off: each row's values belong to the class printed {abs(shift)} row(s) {moved} "
            f"({result.matched} of {result.checked} rows agree that way); values {applied}",
            where, source_line=self.b.source_line(first.line), path="classes[*].per_1000",
            expected=f"labels shifted by {shift}", actual="labels as printed")
        if not self.b.repair:
            return names
        return [extended[i + shift] if 0 <= i + shift < len(extended) else f"row {i + 1}"
                for i in range(len(names))]

    def _owner(self, scope: str, params: dict, tier, name: str, label: Cell | None, cells: list[Cell]):
        """The record path prefix a row's values go under, or None if it has none."""
        if name == TOTAL:
            if label is not None:
                self.b.consume([label])
            if params["total_row"] == "extra":  # it adds up only the classes this table prints
                self.b.add_extra(scope, TOTAL, cells, label.line if label else cells[0].line)
                return None
            if params["total_row"] == "own":  # the same, kept apart from class_totals for check to add up
                return ("pool", "table_totals", Key(scope))
            return ("tier_totals", Key(tier[0])) if tier else ("class_totals",)
        key = class_key(name)
        if params.get("defines_classes") and key not in self.by_key:
            self.by_key[key] = name
            self.b.class_order.append(name)
            if label is not None:
                self._put_name(name, label)
            if tier:
                self.b.put(("classes", Key(name), "tier"), tier[1], value=tier[0])
        if key in self.by_key:
            return ("classes", Key(self.by_key[key]))
        where = label or (cells[0] if cells else None)
        self.b.add_extra(scope, name, cells, where.line if where else 0)
        self.b.warn("RG203", f"row '{name}' names no class of the distribution summary", where,
                    hint="a shifted label or a class the summary leaves out; see `remitgrammar check`")
        return None

    def _put_name(self, name: str, label: Cell) -> None:
        """The class name, with where it is printed: its first part and the line it ends on."""
        printed, end_line = self.wrapped.get((label.line, label.column), (label, None))
        self.b.put(("classes", Key(name), "class"), printed, value=name, end_line=end_line)

    def _unassigned(self, scope: str, name: str, cells: list[Cell]) -> None:
        self.b.add_extra(scope, name, cells, cells[0].line)
        self.b.warn("RG104", f"cells of row '{name}' do not line up with the column headings",
                    cells[0])

    def _misaligned(self, block: Block, rows: list, names: list, scope: str) -> None:
        first = block.rows[0]
        for _, cells in rows:
            if cells:
                self.b.add_extra(scope, "unlabelled row", cells, cells[0].line)
        self.b.findings.add(
            "RG103", "error",
            f"unlabelled block has {len(rows)} rows but the labelled block above has {len(names)}",
            Cell("", first.line, first.column), source_line=self.b.source_line(first.line),
            hint="its rows cannot be matched to classes; they are kept in extra")
