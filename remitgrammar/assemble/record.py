"""The record under construction: values with their provenance, extras and findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Findings
from ..errors import ConfigError
from ..formats.specs import FormatSpec, field_info
from ..parse.lines import expand
from ..parse.values import BLANK, Cell, ValueError_, convert, is_malformed, malformation, shown, split_row, text_cache
from ..records import SCHEMA_ID, Key, field_names, render_path, value_at  # noqa: F401 (Key, value_at: re-exported)



@text_cache  # the same labels and headings recur on many rows
def _spaced(text: str) -> str:
    """Runs of white space as one space."""
    return " ".join(text.split())


MAX_EXTRA_VALUES = 50_000  # values kept in extra: a real report keeps a few hundred; past it memory is all they cost
MALFORMED_HINT = ("kept in extra as printed, never read as another number; check the filing (a misprint, "
                  "a character lost or added in transmission)")


@dataclass(frozen=True)
class Accounting:
    """Where a report's printed cells went, beside the provenance of its values.

    Attributes:
        extra_cells: (line, column) of every cell kept in ``extra``.
        repeat_cells: (line, column) of cells that print a value the record already holds, agreeing.
        label_cells: (line, column) of cells read as part of a label (``Grp 1``).
        label_lines: lines that are titles or column headings.
        sections: (rule, role) of every section mapped, in order.
        skipped_lines: lines the parser skipped because they fit nowhere (RG101).
        ignored_lines: lines the grammar ignores (rules, page numbers, running heads).
        left_out: how many values were not kept in ``extra`` past its bound (RG122).
        repeat_paths: (line, column) -> the path a cell printed again, agreeing (in ``repeat_cells``)
            or not (RG206: in ``extra_cells``), for ``view``'s marks.
    """

    extra_cells: frozenset
    repeat_cells: frozenset
    label_cells: frozenset
    label_lines: frozenset
    sections: tuple
    skipped_lines: frozenset = frozenset()
    ignored_lines: frozenset = frozenset()
    left_out: int = 0  # values past MAX_EXTRA_VALUES, not kept in extra (RG122)
    repeat_paths: dict = field(default_factory=dict)


class Builder:
    """Collects the canonical record of one report while its tree is transformed.

    Attributes:
        spec: the report's format.
        lines: the report's lines, for findings that quote the source.
        repair: move values whose labels are printed rows off to the classes
            they belong to (False keeps them as printed).
        data: the record's sections (``filing``, ``classes`` keyed by class, ...).
        provenance: rendered path -> {line, column, text}.
        extra: labelled values no canonical field takes.
        findings: problems met on the way.
    """

    def __init__(self, spec: FormatSpec, lines: list[str], repair: bool = True):
        self.spec = spec
        self.repair = repair
        self.lines = lines
        self.data: dict = {"filing": {}, "classes": {}, "class_totals": {}, "tier_totals": {},
                           "collateral": {}, "delinquency": {}, "pool": {}}
        self.distribution_date = None
        self.provenance: dict = {}
        self.extra: list = []
        self.findings = Findings()
        self.class_order: list[str] = []
        self.labels: list = []
        self.label_cells: set = set()
        self.label_lines: set = set()
        self.extra_cells: set = set()
        self.repeat_cells: set = set()
        self.repeat_paths: dict = {}
        self.sections: list = []
        self.heading: str | None = None  # the nearest heading above the lines a role is reading
        self.column_starts: dict = {}  # line -> where its table's <C> columns start (EDGAR markup)
        self.tiers: list[str] = []
        self.file_line = lambda number: number  # a line of the text -> the file's (messages name the file's)
        self.skipped: set = set()
        self.ignored: set = set()
        self.tracebacks: list = []  # of sections a role failed on (RG900), shown with --debug
        self.reported: set = set()  # (line, column) of malformed numbers already given their RG113
        self.extra_values = self.left_out = 0  # values kept in extra, and past its bound, not kept

    def skipped_lines(self, skipped: list) -> None:
        """Lines the parser skipped (RG101): their figures are kept in ``extra`` under ``skipped``."""
        for number, text in skipped:
            self.skipped.add(number)
            labels, cells = split_row(text, number)
            if cells:
                label = " ".join(p.text for p in labels) or "(no label)"
                self.add_extra("skipped", label, cells, number)

    def ignored_lines(self, tokens: list) -> None:
        """Lines the grammar ignores (rules, page numbers, running heads): named, not read."""
        for token in tokens:
            self.ignored.update(row.line for row in expand(token))

    def source_line(self, line: int) -> str:
        """The text of a 1-based source line."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def put(self, path: tuple, cell: Cell, kind: str | None = None, value=None,
            end_line: int | None = None, negate: bool = False) -> bool:
        """Convert a cell and store it at ``path`` with its provenance.

        A path that already holds a value keeps it: the second value is an RG206
        finding naming both lines, and goes to ``extra``.

        Args:
            path: the first segment names the section; the rest lead to the field.
            cell: the printed cell.
            kind: the field type; looked up in the format's fields and canonical.yaml when omitted.
            value: an already converted value (skips conversion).
            end_line: the last line of a value joined from several lines.
            negate: the cell prints the field as a deduction (``(23,418.77)`` for realized
                losses of 23,418.77 in a roll-forward); provenance says so.

        Returns:
            True when the value was stored.
        """
        rendered = render_path(path)
        first = self.provenance.get(rendered)
        if first is not None and value is None and cell.text == first["text"] and negate == ("negated" in first):
            self._agrees(rendered, cell, first)  # the same text again: no need to convert it to compare
            return False
        if value is None:
            kind = kind or self.kind(path)
            try:
                value = convert(cell.text, kind)
            except ValueError_ as exc:
                severity = "error" if exc.code in ("RG106", "RG113") else "warning"
                self.findings.add(exc.code, severity, f"{exc} ({rendered})", cell,
                                  source_line=self.source_line(cell.line), path=rendered,
                                  hint=MALFORMED_HINT if exc.code == "RG113" else None)
                self.reported.add((cell.line, cell.column))
                self.add_extra(path[0], rendered, [cell], cell.line)
                return False
            if value is BLANK:  # "-" printed for nothing: the key stays absent
                return False
            if negate and value is not None and not isinstance(value, (bool, str)):
                # printed as a deduction: "(23,418.77)" is the field 23,418.77; printed plain, it is itself
                value, negate = (-value, True) if value < 0 else (value, False)
            elif value is not None and not isinstance(value, (bool, str)) and value < 0 and self._never_negative(path):
                value, negate = -value, True  # "(142,607.33)" in a roll-forward: the deduction of the field
        if first is not None:
            self._twice(path, rendered, cell, first, value)
            return False
        if path[0] == "distribution_date":
            self.distribution_date = value
        else:
            node = self.data
            for segment in path[:-1]:
                child = node.get(segment)
                if child is None:
                    child = node[segment] = {}
                node = child
            node[path[-1]] = value
        where = {"line": cell.line, "column": cell.column, "text": cell.text}
        if end_line is not None and end_line != cell.line:
            where["end_line"] = end_line
        if negate:
            where["negated"] = True
        self.provenance[rendered] = where
        return True

    def _twice(self, path: tuple, rendered: str, cell: Cell, first: dict, value) -> None:
        """A second value for a field: the record keeps the first; a repeat that agrees is noted."""
        if value == self._value_at(path):
            self._agrees(rendered, cell, first)
            return
        self.add_extra(path[0], rendered, [cell], cell.line)
        self.repeat_paths[(cell.line, cell.column)] = rendered
        kept = first["text"] if "end_line" not in first else str(self._value_at(path))  # joined over lines
        self.warn("RG206", f"{rendered} is printed twice: line {self.file_line(first['line'])} gave {kept}, "
                  f"this line gives {cell.text}; the record keeps the first", cell, path=rendered,
                  expected=kept, actual=cell.text,
                  hint="if both are right, they are different fields: give one its own label or column alias")

    def _agrees(self, rendered: str, cell: Cell, first: dict) -> None:
        """A value printed again, agreeing with the first: RG207 (info)."""
        self.repeat_cells.add((cell.line, cell.column))
        self.repeat_paths[(cell.line, cell.column)] = rendered
        if self.findings.full("RG207"):  # a row copied thousands of times: count, don't word each
            self.findings.count("RG207", "info", cell.line)
            return
        self.findings.add("RG207", "info", f"{rendered} is printed again ({cell.text}), agreeing with "
                          f"line {self.file_line(first['line'])}", cell, source_line=self.source_line(cell.line),
                          path=rendered)

    def _value_at(self, path: tuple):
        node = self.distribution_date if path[0] == "distribution_date" else self.data
        for segment in path[1:] if path[0] == "distribution_date" else path:
            node = node.get(segment) if isinstance(node, dict) else None
        return node

    def _never_negative(self, path: tuple) -> bool:
        """A field that a roll-forward subtracts and is never negative (canonical.yaml ``never_negative``)."""
        key = ("never_negative",) + path
        found = self.spec.kinds.get(key)
        if found is None:
            section, name = field_names(path)
            sections = (section, "pool") if section == "collateral" else (section,)
            found = self.spec.kinds[key] = any(field_info(self.spec, s, name).get("never_negative") for s in sections)
        return found

    def kind(self, path: tuple) -> str:
        """The field type of a record path (cached: the same paths recur in every report)."""
        found = self.spec.kinds.get(path)
        if found is None:
            found = self.spec.kinds[path] = self._lookup_kind(path)
        return found

    def _lookup_kind(self, path: tuple) -> str:
        section, name = field_names(path)
        if section == "collateral" and not self.spec_has("collateral", name.split(".")):
            section = "pool"  # a deal-level fact printed per group keeps its pool name
        return self.spec.field_type(section, name)

    def spec_has(self, section: str, names: list) -> bool:
        try:
            self.spec.field_type(section, ".".join(names))
            return True
        except ConfigError:
            return False

    def consume(self, cells) -> None:
        """Mark printed cells as part of a label (``Grp 1``, a Total row's label), for ``coverage``."""
        for cell in cells:
            self.label_cells.add((cell.line, cell.column))

    def heading_lines(self, tokens) -> None:
        """Mark lines as titles or column headings: numbers on them name things, they are not values."""
        for token in tokens:
            self.label_lines.update(row.line for row in expand(token))

    def note_label(self, scope: str, label: str, target: str | None, cell) -> None:
        """Log a printed label or column heading and the field it mapped to (for `labels`)."""
        self.labels.append((scope, " ".join(label.split()), target, cell.line, cell.column))

    def add_extra(self, section: str, label: str, cells: list[Cell], line: int, columns: list | None = None) -> None:
        """Keep a labelled value that no canonical field takes, with the heading above it and,
        in a table, the column headings over its values."""
        if self.extra_values + len(cells) > MAX_EXTRA_VALUES:
            self._leave_out(cells, line)
            return
        self.extra_values += len(cells)
        lines = sorted({c.line for c in cells}) or [line]
        for at in lines:  # one entry per printed line: each value stands on the line the entry names
            on = [c for c in cells if c.line == at] if cells else []
            entry = {"section": section, "label": _spaced(label), "values": [c.text for c in on], "line": at}
            if self.heading:
                entry["heading"] = _spaced(self.heading)
            if columns and len(lines) == 1:
                entry["columns"] = [_spaced(str(c)) for c in columns]
            malformed = [c for c in on if is_malformed(c.text)]
            if malformed:
                entry["malformed"] = [{"text": c.text, "column": c.column} for c in malformed]
                self._malformed(section, label, malformed)
            self.extra.append(entry)
        self.extra_cells.update([(c.line, c.column) for c in cells])

    def _leave_out(self, cells: list[Cell], line: int) -> None:
        """Values past MAX_EXTRA_VALUES: counted (``coverage`` shows them), not kept; RG122 once."""
        if not self.left_out:
            where = cells[0] if cells else Cell("", line, 1)
            self.findings.add("RG122", "error", f"more than {MAX_EXTRA_VALUES:,} values no field takes: no report "
                              "prints that many, and those from here on are not kept in extra", where,
                              source_line=self.source_line(where.line),
                              hint="check the file: a table the format does not know, copied over and over")
        self.left_out += len(cells) or 1

    def _malformed(self, section: str, label: str, cells: list[Cell]) -> None:
        """RG113 for each malformed number kept in ``extra`` that no field reported yet."""
        for cell in cells:
            if (cell.line, cell.column) in self.reported:
                continue
            self.reported.add((cell.line, cell.column))
            self.findings.add("RG113", "error", f"'{shown(cell.text)}' looks like a number but is not a "
                              f"well-formed one ({malformation(cell.text)}): it is not read ({section}: "
                              f"{_spaced(label)[:80]})", cell, source_line=self.source_line(cell.line),
                              hint=MALFORMED_HINT)

    def warn(self, code: str, message: str, cell, **extra) -> None:
        """Record a warning pointing at ``cell``'s line and column."""
        self.findings.add(code, "warning", message, cell,
                          source_line=self.source_line(cell.line) if cell else None, **extra)

    def info(self, label: Cell, cells: list[Cell]) -> bool:
        """A filing fact printed among rows of figures ("Distribution Date:  08/25/2005" under a
        page's title): stored, and True, when ``rows.info`` knows the label and one value is printed."""
        target, _ = self.spec.table("rows.info").lookup(label.text)
        if target in (None, "extra") or len(cells) != 1:
            return False
        self.note_label("rows.info", label.text, target, label)
        if target == "distribution_date":
            self.put(("distribution_date",), cells[0], kind="date")
        else:
            self.put(("filing",) + tuple(target.split(".")), cells[0])
        return True

    def unmapped(self, section: str, label: Cell, cells: list[Cell], scope: str, columns: list | None = None) -> None:
        """Keep an unknown label in ``extra`` and report it (RG201)."""
        self.add_extra(section, label.text, cells, label.line, columns)
        self.warn("RG201", f"label '{' '.join(label.text.split())}' maps to no canonical field",
                  label, hint=f"add it to an alias list under {scope} in the format's alias spec")

    def accounting(self) -> Accounting:
        """Where the printed cells went (for ``coverage``)."""
        return Accounting(frozenset(self.extra_cells), frozenset(self.repeat_cells), frozenset(self.label_cells),
                          frozenset(self.label_lines), tuple(self.sections), frozenset(self.skipped),
                          frozenset(self.ignored), self.left_out, dict(self.repeat_paths))

    def record(self, source: dict) -> dict:
        """The finished record in SCHEMA.md's shape."""
        classes = []
        for name in self.class_order:
            entry = {"class": name}
            entry.update(self.data["classes"].get(name, {}))
            classes.append(entry)
        out = {"schema": SCHEMA_ID, "source": source, "filing": self.data["filing"],
               "distribution_date": self.distribution_date, "classes": classes}
        self._certificate_totals()
        for section in ("class_totals", "tier_totals", "collateral", "delinquency", "pool"):
            if section != "tier_totals" or self.data[section]:
                out[section] = self.data[section]
        out["extra"] = self.extra
        out["findings"] = [f.as_dict() for f in self.findings.listed()]
        return out

    def _certificate_totals(self) -> None:
        """With several tiers, ``class_totals`` is the certificate tier's Total row (SCHEMA.md)."""
        tiers = self.data["tier_totals"]
        if not tiers or self.data["class_totals"]:
            return
        chosen = self.spec.certificate_tier if self.spec.certificate_tier in tiers else list(tiers)[-1]
        if len(tiers) == 1:
            self.data["tier_totals"] = {}
        self.data["class_totals"] = dict(tiers[chosen])
        prefix = render_path(("tier_totals", Key(chosen)))
        for path, where in list(self.provenance.items()):
            if path.startswith(prefix + "."):
                self.provenance["class_totals" + path[len(prefix):]] = where
                if len(tiers) == 1:
                    del self.provenance[path]
