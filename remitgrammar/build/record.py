"""The record under construction: values with their provenance, extras and findings."""

from __future__ import annotations

import functools

from ..errors import Findings
from ..formats.specs import FormatSpec, field_type
from ..parse.values import Cell, ValueError_, convert

SCHEMA_ID = "remitgrammar/1"


class Key(str):
    """A path segment that is a data key (a class, a loan group), shown as ``[key]``."""


@functools.lru_cache(maxsize=8192)
def render_path(path: tuple) -> str:
    """``('classes', Key('A-1'), 'ending_balance')`` -> ``classes[A-1].ending_balance``."""
    out = ""
    for segment in path:
        if isinstance(segment, Key):
            out += f"[{segment}]"
        else:
            out += ("." if out else "") + segment
    return out


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
        self.data: dict = {"filing": {}, "classes": {}, "class_totals": {}, "collateral": {},
                           "delinquency": {}, "pool": {}}
        self.distribution_date = None
        self.provenance: dict = {}
        self.extra: list = []
        self.findings = Findings()
        self.class_order: list[str] = []
        self.labels: list = []

    def source_line(self, line: int) -> str:
        """The text of a 1-based source line."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def put(self, path: tuple, cell: Cell, kind: str | None = None, value=None,
            end_line: int | None = None) -> None:
        """Convert a cell and store it at ``path`` with its provenance.

        Args:
            path: the first segment names the section; the rest lead to the field.
            cell: the printed cell.
            kind: the field type; looked up in canonical.yaml when omitted.
            value: an already converted value (skips conversion).
            end_line: the last line of a value joined from several lines.
        """
        if value is None:
            kind = kind or self._kind(path)
            try:
                value = convert(cell.text, kind)
            except ValueError_ as exc:
                self.warn("RG204", f"{exc} ({render_path(path)})", cell, path=render_path(path))
                self.add_extra(path[0], render_path(path), [cell], cell.line)
                return
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
        self.provenance[render_path(path)] = where

    @staticmethod
    @functools.lru_cache(maxsize=8192)
    def _kind(path: tuple) -> str:
        # Cached: the same paths recur in every report of a format.
        section = path[0]
        if section == "classes":
            return field_type("classes", ".".join(path[2:]))
        if section == "class_totals":
            return field_type("classes", ".".join(path[1:]))
        if section == "collateral":
            return field_type("collateral", path[-1])
        if section == "delinquency":
            return field_type("delinquency", path[-1])
        if section == "pool" and path[1] == "class_rates_pct":
            return field_type("pool", f"class_rates_pct.{path[-1]}")
        return field_type(section, ".".join(path[1:]))

    def note_label(self, scope: str, label: str, target: str | None, cell) -> None:
        """Log a printed label or column heading and the field it mapped to (for `labels`)."""
        self.labels.append((scope, " ".join(label.split()), target, cell.line, cell.column))

    def add_extra(self, section: str, label: str, cells: list[Cell], line: int) -> None:
        """Keep a labelled value that no canonical field takes."""
        self.extra.append({"section": section, "label": " ".join(label.split()),
                           "values": [c.text for c in cells], "line": line})

    def warn(self, code: str, message: str, cell, **extra) -> None:
        """Record a warning pointing at ``cell``'s line and column."""
        self.findings.add(code, "warning", message, cell,
                          source_line=self.source_line(cell.line) if cell else None, **extra)

    def unmapped(self, section: str, label: Cell, cells: list[Cell], scope: str) -> None:
        """Keep an unknown label in ``extra`` and report it (RG201)."""
        self.add_extra(section, label.text, cells, label.line)
        self.warn("RG201", f"label '{' '.join(label.text.split())}' maps to no canonical field",
                  label, hint=f"add it to an alias list under {scope} in the format's alias spec")

    def record(self, source: dict) -> dict:
        """The finished record in SCHEMA.md's shape."""
        classes = []
        for name in self.class_order:
            entry = {"class": name}
            entry.update(self.data["classes"].get(name, {}))
            classes.append(entry)
        out = {"schema": SCHEMA_ID, "source": source, "filing": self.data["filing"],
               "distribution_date": self.distribution_date, "classes": classes}
        for section in ("class_totals", "collateral", "delinquency", "pool"):
            out[section] = self.data[section]
        out["extra"] = self.extra
        out["findings"] = [f.as_dict() for f in self.findings.items]
        return out
