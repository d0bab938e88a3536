"""Role ``key_values``: label/value lines into ``collateral`` (per loan group) and ``pool``.

A labelled row maps through ``rows.collateral`` (one value per loan group) or
``rows.pool`` (a deal-level fact; printed with one value per group it goes to
each group's ``collateral`` entry under its pool name). A heading line whose
phrases all name groups (``GROUP 1  GROUP 2  TOTAL``, ``FIXED GROUP  ADJ GROUP``)
sets the value columns; one whose phrases all name periods (``PRIOR  CURRENT``)
sets prior/current columns; any other heading qualifies the labels under it
(``OVERCOLLATERALIZATION`` + ``TARGET AMOUNT``) when the qualified label is
known. Parameters: ``sum_line`` (the field an unlabelled line of values fills),
``single_column_group``.
"""

from __future__ import annotations

from ...parse.columns import Column, assign
from ...parse.values import Cell, split_phrases, split_row
from ..groups import all_groups, group_columns, group_key, phrase_cell
from ..items import Rows, Subsection
from ..record import Builder, Key

COLLATERAL, POOL = "rows.collateral", "rows.pool"


class KeyValues:
    """Maps the key-value sections of one report; group columns carry over from one section to the next."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.groups: list[Column] | None = None
        self.periods: list[Column] | None = None

    def run(self, rule: str, params: dict, items: list) -> None:
        self.params = params
        heading = None
        for item in items:
            if isinstance(item, Subsection):
                heading = self._heading(item.heading)
                for sub in item.items:
                    self._rows(rule, sub, heading)
                heading = None
            elif isinstance(item, Rows):
                self._rows(rule, item, heading)
            elif hasattr(item, "type"):
                heading = self._heading(item)

    def _heading(self, token) -> Cell | None:
        """Set group or period columns from a heading line; return it when it qualifies labels."""
        self.b.heading_lines([token])
        if all_groups(token, self.b.spec):
            self.groups, self.periods = group_columns(token, self.b.spec), None
            return None
        phrases = split_phrases(str(token), token.line, token.column)
        periods = [self.b.spec.table("rows.periods").lookup(p.text)[0] for p in phrases]
        if phrases and all(periods):
            self.periods = [Column(k, p.column, p.end, p, [p]) for k, p in zip(periods, phrases)]
            return None
        self.periods = None
        return phrase_cell(token)

    def _rows(self, section: str, item: Rows, heading: Cell | None) -> None:
        for row in item.rows:
            getattr(self, f"_{item.kind}")(section, row, heading)

    def _kv(self, section: str, row, heading) -> None:
        labels, cells = split_row(row.text, row.line, row.column)
        if not labels:
            return self._sum(section, row, heading)
        label = Cell(" ".join(p.text for p in labels), labels[0].line, labels[0].column)
        self._labelled(section, label, cells, heading)

    def _lookup(self, label: Cell, heading: Cell | None) -> tuple:
        """(alias table, field, class name, label as looked up); the heading-qualified label first."""
        tried = ([f"{heading.text} {label.text}"] if heading is not None else []) + [label.text]
        for text in tried:
            for scope in (COLLATERAL, POOL):
                target, class_name = self.b.spec.table(scope).lookup(text)
                if target is not None:
                    return scope, target, class_name, text
        return None, None, None, tried[-1]

    def _labelled(self, section: str, label: Cell, cells: list[Cell], heading: Cell | None = None) -> None:
        scope, target, class_name, text = self._lookup(label, heading)
        self.b.note_label(scope or "rows.collateral or rows.pool", text, target, label)
        if target is None:
            self.b.unmapped(section, Cell(text, label.line, label.column), cells, "rows.collateral or rows.pool")
        elif target == "extra":  # known, and kept as printed on purpose
            self.b.add_extra(section, label.text, cells, label.line)
        elif scope == COLLATERAL or (len(cells) > 1 and (self.groups or self.periods)):
            self._by_column(section, label, target, cells, scope)
        elif len(cells) != 1:
            self.b.add_extra(section, label.text, cells, label.line)
            self.b.warn("RG205", f"'{label.text}' is a deal-level value but {len(cells)} values are printed",
                        label)
        elif class_name is not None:
            head, sub = target.split(".")
            self.b.put(("pool", head, Key(class_name), sub), cells[0])
        else:
            self.b.put(("pool",) + tuple(target.split(".")), cells[0])

    def _by_column(self, section: str, label: Cell, target: str, cells: list[Cell], scope: str) -> None:
        field = tuple(target.split("."))
        if self.periods and len(cells) > 1:
            return self._by_period(section, label, field, cells, scope)
        if not self.groups:
            if len(cells) == 1:
                group = self.params.get("single_column_group", self.b.spec.single_column_group)
                self.b.put(("collateral", Key(group)) + field, cells[0])
                return
            pairs = None
        else:
            pairs = assign(cells, self.groups)
        if pairs is None:
            self.b.add_extra(section, label.text, cells, label.line)
            self.b.warn("RG104", f"values of '{label.text}' do not line up with the group columns", label)
            return
        for column, cell in pairs:
            self.b.put(("collateral", Key(column.name)) + field, cell)

    def _by_period(self, section: str, label: Cell, field: tuple, cells: list[Cell], scope: str) -> None:
        pairs = assign(cells, self.periods)
        if pairs is None:
            self.b.add_extra(section, label.text, cells, label.line)
            self.b.warn("RG104", f"values of '{label.text}' do not line up with the period columns", label)
            return
        owner = ("pool",) if scope == POOL else ("collateral", Key(self.b.spec.single_column_group))
        for column, cell in pairs:
            self.b.put(owner + (field if column.name == "current" else ("prior",) + field), cell)

    def _sum(self, section: str, row, heading) -> None:
        _, cells = split_row(row.text, row.line, row.column)
        label = Cell("unlabelled sum line", cells[0].line, cells[0].column)
        target = self.params.get("sum_line")
        if target is None:
            self.b.unmapped(section, label, cells, f"the sum_line parameter of section '{section}'")
            return
        self._by_column(section, label, target, cells, COLLATERAL)

    def _group(self, section: str, row, heading) -> None:
        heading_text = heading.text if heading is not None else ""
        target, _ = self.b.spec.table("rows.group_headings").lookup(heading_text)
        if heading is not None:
            self.b.note_label("rows.group_headings", heading_text, target, heading)
        labels, cells = split_row(row.text, row.line, row.column)
        # "Grp 1": the group's number reads as a value; it belongs to the label.
        name = f"{labels[0].text} {cells[0].text}"
        self.b.consume(cells[:1])
        cells = cells[1:]
        if target is None or len(cells) != 1:
            label = Cell(f"{heading_text} / {name}".strip(" /"), labels[0].line, labels[0].column)
            self.b.unmapped(section, label, cells, "rows.group_headings")
            return
        self.b.put(("collateral", Key(group_key(name, self.b.spec)), target), cells[0])

    def _text(self, section: str, token, heading) -> None:
        phrases = split_phrases(str(token), token.line, token.column)
        label = Cell(" ".join(p.text for p in phrases[:-1]), phrases[0].line, phrases[0].column)
        self._labelled(section, label, [phrases[-1]], heading)

    def _two_line(self, section: str, token, heading) -> None:
        # rows of one two-line value arrive one at a time; the first holds the main label
        labels, cells = split_row(str(token), token.line, token.column)
        if len(labels) >= 2:
            self._main = labels[0]
        main = getattr(self, "_main", labels[0])
        sub = labels[-1]
        label = Cell(f"{main.text} / {sub.text}", sub.line, sub.column)
        self._labelled(section, label, cells, heading)
