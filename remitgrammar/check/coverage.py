"""Account for every printed number of a report: a canonical field, ``extra``, or lost.

A printed number is a value cell (digits, as ``split_row`` reads a line) on a
line of a section whose role maps data (class tables, key values, status
matrices, information boxes), or of a part of the tree no role claims. Lines a
role read as titles or column headings, and cells it read as part of a label
(``Grp 1``), name things and are not counted. Numbers in sections whose role
reads no values (a cover page, an ``ignored`` section: ``Role.reads_values``) and
on lines the grammar ignores (page numbers, running heads) are **ignored**, shown
apart; numbers on lines the parser skipped (RG101) are **skipped**: kept in
``extra``, but counted apart from it, as a line that did not fit is not a read
one. A token that looks like a number but is not a well-formed one (RG113) is
**lost** wherever it stands: it is kept in ``extra`` as printed, but no number
was read. A number that prints again a value the record already holds, and
agrees with it (RG207), counts as canonical and as a repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Tree

from ..intake.characters import Shifts
from ..parse.grammar import short_name
from ..parse.lines import expand
from ..parse.values import is_malformed, split_row
from ..formats.roles import ROLES, counted_roles

UNCOUNTED_ROLES = frozenset(ROLES) - counted_roles()


@dataclass
class Coverage:
    """The accounting of one report's printed numbers.

    Attributes:
        canonical: numbers that became canonical fields.
        extra: numbers kept in ``extra``.
        lost: (line, column, text) of numbers that gave the record nothing.
        skipped: numbers on lines the parser skipped (kept in ``extra``, counted apart).
        ignored: numbers in sections of roles that read no values and on ignored lines (not printed values).
        left_out: numbers past the bound of ``extra`` (RG122): neither read nor kept.
        repeats: of the canonical ones, numbers printing again a value the record holds (RG207).
    """

    canonical: int = 0
    repeats: int = 0
    extra: int = 0
    lost: list = field(default_factory=list)
    skipped: int = 0
    ignored: int = 0
    left_out: int = 0

    @property
    def printed(self) -> int:
        return self.canonical + self.extra + self.skipped + len(self.lost) + self.left_out

    @property
    def canonical_pct(self) -> float:
        return 100.0 * self.canonical / self.printed if self.printed else 100.0

    def as_dict(self) -> dict:
        return {"printed": self.printed, "canonical": self.canonical, "repeats": self.repeats, "extra": self.extra,
                "lost": len(self.lost), "canonical_pct": round(self.canonical_pct, 1),
                "skipped": self.skipped, "ignored": self.ignored, "left_out": self.left_out,
                "lost_cells": [{"line": line, "column": column, "text": text} for line, column, text in self.lost]}


def coverage(result) -> Coverage:
    """The accounting of a ParseResult (pipeline.parse_result)."""
    spec, accounting = result.spec, result.accounting
    line_map = getattr(result, "line_map", None)
    # provenance names the file's lines; the tree and the accounting, the parsed text's
    back = {number: index for index, number in enumerate(line_map, 1)} if line_map else None
    shifts = getattr(result, "shifts", None) or Shifts()
    placed = set()
    for where in result.provenance.values():
        line = back.get(where["line"], 0) if back else where["line"]
        placed.add((line, shifts.text_column(line, where["column"])))
    out = Coverage(left_out=getattr(accounting, "left_out", 0))
    for token, role in _tokens_with_roles(result.tree, spec, None):
        for row in expand(token):
            if row.line in accounting.label_lines:
                continue
            labels, cells = split_row(row.text, row.line, row.column)
            # words after a row's first phrase that a role read as cells (a CUSIP before a class type)
            read = [p for p in labels[1:] if (p.line, p.column) in placed or (p.line, p.column) in accounting.extra_cells]
            for cell in read + cells:
                if not any(ch.isdigit() for ch in cell.text) and not is_malformed(cell.text):  # "NaN" counts
                    continue
                where = (cell.line, cell.column)
                if role in UNCOUNTED_ROLES or where in accounting.label_cells:
                    out.ignored += role in UNCOUNTED_ROLES
                elif is_malformed(cell.text):  # no number was read; those kept in extra are counted below
                    if where not in accounting.extra_cells:
                        out.lost.append(_lost(cell, line_map, shifts))
                elif where in placed:
                    out.canonical += 1
                elif where in accounting.repeat_cells:
                    out.canonical += 1
                    out.repeats += 1
                elif where in accounting.extra_cells:
                    out.extra += 1
                else:
                    out.lost.append(_lost(cell, line_map, shifts))
    for entry in result.record["extra"]:  # lines are the file's here
        malformed = entry.get("malformed", ())
        out.lost.extend((entry["line"], m["column"], m["text"]) for m in malformed)
        if entry["section"] == "skipped":
            out.skipped += _figures(entry["values"]) - len(malformed)
    for token in getattr(result, "ignored", ()):
        out.ignored += sum(_figures(split_row(row.text, row.line, row.column)[1]) for row in expand(token))
    return out


def _lost(cell, line_map, shifts) -> tuple:
    """(line, column, text) of a lost cell, in the file's line and column."""
    return (line_map[cell.line - 1] if line_map else cell.line, shifts.file_column(cell.line, cell.column), cell.text)


def _figures(cells) -> int:
    return sum(1 for cell in cells if any(ch.isdigit() for ch in str(getattr(cell, "text", cell))))


def _tokens_with_roles(tree: Tree, spec, role):
    """(token, role of its nearest ancestor that has one) for every token of the tree."""
    stack = [(tree, role)]
    while stack:
        node, current = stack.pop()
        section = spec.section(short_name(str(node.data)))
        if section is not None:
            current = section[0]
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, current))
            else:
                yield child, current
