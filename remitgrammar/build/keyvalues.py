"""Key-value rows: remittance tables by loan group, and the deal-level footer.

A labelled row maps through ``rows.collateral`` (one value per loan group) or
``rows.pool`` (one deal-level value); a heading over ``Grp 1`` rows maps through
``rows.group_headings``; the unlabelled sum line under the interest rows is the
interest remittance.
"""

from __future__ import annotations

from ..parse.columns import Column, assign
from .record import Builder, Key
from ..formats.specs import field_type
from ..parse.values import Cell, split_phrases, split_row


def group_key(name: str) -> str:
    """``GROUP 1`` / ``Grp 1`` -> ``1``; ``TOTAL`` -> ``total``; a servicer's name as printed."""
    words = name.split()
    if len(words) == 2 and words[0].casefold() in ("group", "grp") and words[1].isdigit():
        return words[1]
    if name.casefold() == "total":
        return "total"
    return " ".join(words)


def group_columns(token, skip: int = 0) -> list[Column]:
    """Loan group (or servicer) columns from a heading token, leaving out ``skip`` phrases."""
    phrases = split_phrases(str(token), token.line, token.column)[skip:]
    return [Column(group_key(p.text), p.column, p.end, p, [p]) for p in phrases]


class KeyValues:
    """Maps the key-value rows of one report into ``collateral`` and ``pool``."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.groups: list[Column] | None = None

    def rows(self, section: str, rows: list, heading=None) -> None:
        """Map a run of key-value rows (``(kind, tokens)`` pairs) under an optional heading."""
        for kind, tokens in rows:
            handler = getattr(self, f"_{kind}")
            handler(section, tokens, heading)

    def _kv(self, section: str, rows: list, heading) -> None:
        for row in rows:
            labels, cells = split_row(row.text, row.line, row.column)
            label = Cell(" ".join(p.text for p in labels), labels[0].line, labels[0].column)
            self._labelled(section, label, cells)

    def _labelled(self, section: str, label: Cell, cells: list[Cell]) -> None:
        target, _ = self.b.spec.table("rows.collateral").lookup(label.text)
        if target is not None:
            self.b.note_label("rows.collateral", label.text, target, label)
            self._by_group(section, label, target, cells)
            return
        target, class_name = self.b.spec.table("rows.pool").lookup(label.text)
        self.b.note_label("rows.pool" if target else "rows.collateral or rows.pool", label.text, target, label)
        if target is None:
            self.b.unmapped(section, label, cells, "rows.collateral or rows.pool")
            return
        if target == "extra":  # known, and kept as printed on purpose
            self.b.add_extra(section, label.text, cells, label.line)
            return
        if len(cells) != 1:
            self.b.add_extra(section, label.text, cells, label.line)
            self.b.warn("RG205", f"'{label.text}' is a deal-level value but {len(cells)} values are printed",
                        label)
            return
        if class_name is not None:
            head, sub = target.split(".")
            self.b.put(("pool", head, Key(class_name), sub), cells[0])
        else:
            self.b.put(("pool",) + tuple(target.split(".")), cells[0])

    def _by_group(self, section: str, label: Cell, target: str, cells: list[Cell]) -> None:
        if not self.groups:
            if len(cells) == 1:
                self.b.put(("collateral", Key(self.b.spec.single_column_group), target), cells[0])
                return
            pairs = None
        else:
            pairs = assign(cells, self.groups)
        if pairs is None:
            self.b.add_extra(section, label.text, cells, label.line)
            self.b.warn("RG104", f"values of '{label.text}' do not line up with the group columns", label)
            return
        kind = field_type("collateral", target)
        for column, cell in pairs:
            self.b.put(("collateral", Key(column.name), target), cell, kind)

    def _sum(self, section: str, rows: list, heading) -> None:
        for row in rows:
            _, cells = split_row(row.text, row.line, row.column)
            label = Cell("interest remittance", cells[0].line, cells[0].column)
            self._by_group(section, label, "interest_remittance", cells)

    def _group(self, section: str, rows: list, heading) -> None:
        heading_text = " ".join(str(heading).split()) if heading is not None else ""
        target, _ = self.b.spec.table("rows.group_headings").lookup(heading_text)
        if heading is not None:
            self.b.note_label("rows.group_headings", heading_text, target, Cell(heading_text, heading.line, 1))
        for row in rows:
            labels, cells = split_row(row.text, row.line, row.column)
            # "Grp 1": the group's number reads as a value; it belongs to the label.
            name = f"{labels[0].text} {cells[0].text}"
            cells = cells[1:]
            if target is None or len(cells) != 1:
                label = Cell(f"{heading_text} / {name}".strip(" /"), labels[0].line, labels[0].column)
                self.b.unmapped(section, label, cells, "rows.group_headings")
                continue
            self.b.put(("collateral", Key(group_key(name)), target), cells[0])

    def _text(self, section: str, tokens: list, heading) -> None:
        token = tokens[0]
        phrases = split_phrases(str(token), token.line, token.column)
        label = Cell(" ".join(p.text for p in phrases[:-1]), phrases[0].line, phrases[0].column)
        self._labelled(section, label, [phrases[-1]])

    def _two_line(self, section: str, tokens: list, heading) -> None:
        first = tokens[0]
        labels, cells = split_row(str(first), first.line, first.column)
        main = labels[0]
        sub_rows = [(labels[-1], cells)]
        for token in tokens[1:]:
            more_labels, more_cells = split_row(str(token), token.line, token.column)
            sub_rows.append((more_labels[0], more_cells))
        for sub, values in sub_rows:
            label = Cell(f"{main.text} / {sub.text}", sub.line, sub.column)
            self._labelled(section, label, values)
