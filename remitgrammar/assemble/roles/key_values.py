"""Role ``key_values``: label/value lines into ``collateral`` (per loan group) and ``pool``.

A labelled row maps through ``rows.collateral`` (one value per loan group) or
``rows.pool`` (a deal-level fact; printed with one value per group it goes to
each group's ``collateral`` entry under its pool name). A heading line whose
phrases all name groups (``GROUP 1  GROUP 2  TOTAL``, ``FIXED GROUP  ADJ GROUP``)
sets the value columns; one whose phrases all name periods (``PRIOR  CURRENT``)
sets prior/current columns; any other heading qualifies the labels under it
(``OVERCOLLATERALIZATION`` + ``TARGET AMOUNT``) when the qualified label is
known. An alias target written ``-field`` reads the label's values as a
deduction of that field: ``(23,418.77)`` under a roll-forward is realized losses
of 23,418.77. Parameters: ``sum_line`` (the field an unlabelled line of values fills),
``single_column_group``.
"""

from __future__ import annotations

import re

from ...parse.columns import Column, assign
from ...parse.grammar import short_name
from ...parse.lines import expand
from ...parse.values import Cell, is_cell, is_malformed, split_phrases, split_row
from ..groups import group_key, is_group_name, phrase_cell
from ..items import Rows, Subsection
from ..record import Builder, Key

COLLATERAL, POOL, INFO, COUNTS = "rows.collateral", "rows.pool", "rows.info", "rows.counts"
_WHOLE = re.compile(r"\(?\d[\d,]*\)?")  # a value with no decimal point: a count, where the label may be either
SLACK = 3  # characters by which a group name under another may stand off it and still be its description


def _holds_values(token) -> bool:
    """A row of values no rule wrapped; a sentence's figures ("... for the July 2001") are its words."""
    if short_name(token.type) == "PROSE_LINE":
        return False
    first = expand(token)[0]
    return bool(split_row(first.text, first.line, first.column)[1])


_GOES_ON = frozenset({"and", "of", "&", "the", "for", "to", "in", "by", "with", "from", "net", "less", "plus"})


def _goes_on(text: str) -> bool:
    """Whether a line ends where a label goes on below it ("Scheduled Interest, net of Servicing
    and"), rather than heading the rows under it ("FEES PAID THIS PERIOD")."""
    words = text.split()
    return bool(words) and (words[-1].casefold() in _GOES_ON or text.rstrip().endswith((",", "-")))


def _side_by_side(labels: list[Cell], cells: list[Cell]) -> list[tuple[list, list]]:
    """(label phrases, values) of each label/value pair a line prints ("Bankruptcy Loss Coverage
    Amount   100,000.00   Fraud Loss Coverage Amount   4,826,767.74"): a value among the label's
    phrases, with words after it, ends one pair; one pair where none does."""
    if is_cell(labels[0].text):  # a row of a loan table ("0004471902   2   FL   11/14/02 ..."): one row
        return [(labels, cells)]
    pairs: list[tuple[list, list]] = []
    words: list[Cell] = []
    values: list[Cell] = []
    for phrase in labels:
        if is_cell(phrase.text) and (any(ch.isdigit() for ch in phrase.text) or is_malformed(phrase.text)) and words:
            values.append(phrase)
            continue
        if values:
            pairs.append((words, values))
            words, values = [], []
        words.append(phrase)
    pairs.append((words, values + cells))
    return pairs


def _spaced(text: str) -> str:
    return " ".join(text.split())


class KeyValues:
    """Maps the key-value sections of one report."""

    def __init__(self, builder: Builder):
        self.b = builder
        self.columns: list[Column] | None = None
        self.columns_line = 0

    def run(self, rule: str, params: dict, items: list) -> None:
        self.params = params
        self.title: str | None = None  # the heading over the rows, for a sum line under them
        self.previous_title: str | None = None
        self.columns, self.columns_line = None, 0  # each section sets its own value columns
        heading = None
        for item in items:
            if isinstance(item, Subsection):
                heading = self._heading(item.heading)
                for sub in item.items:
                    self._rows(rule, sub, heading)
                heading = None
            elif isinstance(item, Rows):
                self._rows(rule, item, heading)
            elif hasattr(item, "type") and _holds_values(item) and not self._names_columns(item):
                self._rows(rule, Rows("kv", expand(item)), heading)  # a label row no rule wrapped
            elif hasattr(item, "type"):
                heading = self._heading(item)

    def _heading(self, token) -> Cell | None:
        """Set value columns from a heading line; return the words that qualify the labels under it.

        A heading's phrases after its first may all name groups or periods
        (``PRINCIPAL COLLECTIONS  FIXED GROUP  ADJ GROUP  TOTAL``, ``PRIOR  CURRENT``):
        they become the value columns and the first phrase qualifies the labels.
        """
        self.b.heading_lines([token])
        self.b.heading = phrase_cell(token).text
        self.previous_title, self.title = self.title, phrase_cell(token).text
        phrases = split_phrases(str(token), token.line, token.column)
        for skip in (0, 1):
            columns = self._columns(phrases[skip:])
            if columns:
                self._set_columns(columns, token.line)
                return phrases[0] if skip else None
        return phrase_cell(token)

    def _names_columns(self, token) -> bool:
        """Whether a line is a line of group or period names ("Group 1   Group 2": its digits are
        no values)."""
        return bool(self._columns(split_phrases(str(token), token.line, token.column)))

    def _set_columns(self, columns: list[Column], line: int) -> None:
        """New value columns; a line of groups right under another describes the same groups
        ("Group 1  Group 2  Group 3" over "Fixed Rate  ARM  ARM") and adds only the columns
        that stand where the line above has none (a Total it leaves out)."""
        if self.columns and self.columns_line == line - 1:
            added = [c for c in columns if not any(min(c.end, o.end) > max(c.start, o.start) - SLACK
                                                   for o in self.columns)]
            columns = sorted(self.columns + added, key=lambda c: c.start)
        self.columns, self.columns_line = columns, line

    def _columns(self, phrases: list[Cell]) -> list[Column] | None:
        """Value columns when every phrase names a group or a period (PRIOR, CURRENT, NEXT)."""
        if not phrases:
            return None
        columns = []
        for phrase in phrases:
            period = self.b.spec.table("rows.periods").lookup(phrase.text)[0]
            group = None if period else (group_key(phrase.text, self.b.spec)
                                         if is_group_name(phrase.text, self.b.spec) else None)
            if period is None and group is None:
                return None
            columns.append(Column(f"{group or ''}|{period or ''}", phrase.column, phrase.end, phrase, [phrase]))
        return columns

    def _rows(self, section: str, item: Rows, heading: Cell | None) -> None:
        for row in item.rows:
            getattr(self, f"_{item.kind}")(section, row, heading)

    def _kv(self, section: str, row, heading) -> None:
        labels, cells = split_row(row.text, row.line, row.column)
        if not labels:
            return self._sum(section, row, heading)
        for words, values in _side_by_side(labels, cells):
            label = Cell(" ".join(p.text for p in words), words[0].line, words[0].column)
            self._labelled(section, label, values, heading)

    def _lookup(self, label: Cell, heading: Cell | None, cells: list[Cell]) -> tuple:
        """(alias table, field, class name, label as looked up); the heading-qualified label first.
        A label that prints a count in one block and an amount in another ("Less: Payoffs") is
        looked up in ``rows.counts`` first when its values have no decimal point."""
        tried = ([f"{heading.text} {label.text}"] if heading is not None else []) + [label.text]
        counts = bool(cells) and all(_WHOLE.fullmatch(c.text) for c in cells)
        scopes = ((COUNTS,) if counts else ()) + (COLLATERAL, POOL, INFO)  # INFO: a page's "Distribution Date:"
        for index, text in enumerate(tried):
            for scope in scopes:
                target, class_name = self.b.spec.table(scope).lookup(text)
                if target is not None:
                    if (heading is not None and index == 0 and self.title == heading.text
                            and _goes_on(heading.text)):
                        self.title = self.previous_title  # the heading was the label's first line
                    return scope, target, class_name, text
        return None, None, None, tried[-1]

    def _labelled(self, section: str, label: Cell, cells: list[Cell], heading: Cell | None = None) -> None:
        scope, target, class_name, text = self._lookup(label, heading, cells)
        scope = COLLATERAL if scope == COUNTS else scope  # a count is a per-group field like any other
        self.b.note_label(scope or "rows.collateral or rows.pool", text, target, label)
        if target is None:
            self.b.unmapped(section, Cell(text, label.line, label.column), cells, "rows.collateral or rows.pool",
                            self._column_names(cells))
            return
        if target == "extra":  # known, and kept as printed on purpose
            self.b.add_extra(section, label.text, cells, label.line, self._column_names(cells))
            return
        if scope == INFO:
            return self._info(label, cells)
        negate = target.startswith("-")  # the label prints the field as a deduction
        field = tuple(target.lstrip("-").split("."))
        if class_name is not None:
            field = (field[0], Key(class_name)) + field[1:]
        if self.columns and (scope == COLLATERAL or len(cells) > 1):
            self._by_column(section, label, field, cells, scope, negate)
        elif scope == COLLATERAL:
            self._single(label, field, cells, ("collateral", Key(self._single_group())), negate)
        else:
            self._single(label, field, cells, ("pool",), negate)

    def _info(self, label: Cell, cells: list[Cell]) -> None:
        """A filing fact among label rows (a page heading's distribution date): one value."""
        if not self.b.info(label, cells):
            self.b.add_extra("filing", label.text, cells, label.line)
            self.b.warn("RG205", f"'{label.text}' takes one value here, but {len(cells)} values are printed", label)

    def _column_names(self, cells: list[Cell]) -> list | None:
        """The headings over a row's cells, where value columns are set and the cells line up."""
        pairs = assign(cells, self.columns) if self.columns and cells else None
        return [column.anchor.text for column, _ in pairs] if pairs else None

    def _single_group(self) -> str:
        return self.params["single_column_group"] or self.b.spec.single_column_group

    def _single(self, label: Cell, field: tuple, cells: list[Cell], owner: tuple, negate: bool = False) -> None:
        if len(cells) != 1:
            self.b.add_extra(owner[0], label.text, cells, label.line)
            self.b.warn("RG205", f"'{label.text}' takes one value here, but {len(cells)} values are printed "
                        "and no heading above names their columns", label)
            return
        self.b.put(owner + field, cells[0], negate=negate)

    def _by_column(self, section: str, label: Cell, field: tuple, cells: list[Cell], scope: str,
                   negate: bool = False) -> None:
        assert self.columns is not None  # both callers come here only when a heading set value columns
        pairs = assign(cells, self.columns)
        if pairs is None:
            self.b.add_extra(section, label.text, cells, label.line)
            self.b.warn("RG104", f"values of '{label.text}' do not line up with the columns", label)
            return
        for column, cell in pairs:
            group, period = column.name.split("|")
            owner: tuple
            if group:
                owner = ("collateral", Key(group))
            else:
                owner = ("pool",) if scope == POOL else ("collateral", Key(self._single_group()))
            self.b.put(owner + (field if period in ("", "current") else (period,) + field), cell, negate=negate)


    def _sum(self, section: str, row, heading) -> None:
        """An unlabelled line of values: the sum of the rows above it. The title over those rows
        names it through ``rows.sums`` ("INTEREST" -> interest_remittance); else the ``sum_line``
        parameter does; else it is kept in ``extra`` under its title."""
        _, cells = split_row(row.text, row.line, row.column)
        title = _spaced(self.title or "")
        target = self.b.spec.table("rows.sums").lookup(title)[0] if title else None
        target = target or self.params.get("sum_line")
        self.b.note_label("rows.sums", title or "(unlabelled sum line)", target, cells[0])
        label = Cell(f"sum of {title}" if title else "unlabelled sum line", cells[0].line, cells[0].column)
        if target is None:
            self.b.unmapped(section, label, cells, "rows.sums (the title over the rows it sums)"
                            + (f", or the sum_line parameter of section '{section}'" if not title else ""))
            return
        if target == "extra":
            self.b.add_extra(section, label.text, cells, label.line)
            return
        field = tuple(target.lstrip("-").split("."))
        scope = COLLATERAL if self.b.spec_has("collateral", list(field)) else POOL
        if self.columns:
            self._by_column(section, label, field, cells, scope, target.startswith("-"))
        elif scope == COLLATERAL:
            self._single(label, field, cells, ("collateral", Key(self._single_group())), target.startswith("-"))
        else:
            self._single(label, field, cells, ("pool",), target.startswith("-"))

    def _group(self, section: str, row, heading) -> None:
        heading_text = heading.text if heading is not None else ""
        target, _ = self.b.spec.table("rows.group_headings").lookup(heading_text)
        if heading is not None:
            self.b.note_label("rows.group_headings", heading_text, target, heading)
        labels, cells = split_row(row.text, row.line, row.column)
        if not labels or not cells:  # a damaged row ("Grp (86,"): what it holds goes to extra, unmapped
            label = labels[0] if labels else Cell(row.text.strip() or "?", row.line, row.column)
            self.b.unmapped(section, label, cells, "rows.group_headings")
            return
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
        if not labels:  # the sub-label is not printed (N/A where it stood): keep the values as they are
            self.b.unmapped(section, Cell("(no label)", token.line, token.column), cells, "rows.pool")
            return
        if len(labels) >= 2:
            self._main = labels[0]
        main = getattr(self, "_main", labels[0])
        sub = labels[-1]
        label = Cell(f"{main.text} / {sub.text}", sub.line, sub.column)
        self._labelled(section, label, cells, heading)
