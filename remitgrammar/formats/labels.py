"""Every label and column heading of a report with the canonical field it maps to, or suggestions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..errors import visible
from .specs import normalize_label


@dataclass
class LabelRow:
    """One printed label: where, in which alias scope, and what it maps to."""

    scope: str
    label: str
    field: str | None
    line: int
    column: int
    suggestions: list


def label_rows(result) -> list[LabelRow]:
    """The distinct labels of a parse result (first occurrence of each), with suggestions for unmapped ones."""
    seen, rows = set(), []
    for scope, label, field, line, column in result.labels:
        key = (scope, normalize_label(label))
        if key in seen:
            continue
        seen.add(key)
        rows.append(LabelRow(scope, label, field, line, column,
                             [] if field else suggest(result.spec, scope, label)))
    return sorted(rows, key=lambda r: (r.line, r.column))


def suggest(spec, scope: str, label: str, limit: int = 3) -> list[str]:
    """The closest known aliases (``alias -> field``) and field names for an unmapped label."""
    scopes = [s.strip() for s in scope.split(" or ")]
    options: dict[str, str] = {}
    for name in scopes:
        table = spec.table(name)
        for alias, target in table.exact.items():
            options[alias] = f"'{alias}' -> {target}"
            options[target.replace("_", " ").replace(".", " ")] = f"field {target}"
    key = normalize_label(label)
    close = difflib.get_close_matches(key, list(options), n=limit, cutoff=0.5)
    return [options[c] for c in close]


def render(rows: list[LabelRow], unmapped_only: bool) -> str:
    """One line per label: ``line:col  scope  label  -> field`` or ``UNMAPPED (did you mean ...)``."""
    out = []
    for row in rows:
        if unmapped_only and row.field:
            continue
        target = row.field or "UNMAPPED" + (f"  (closest: {'; '.join(row.suggestions)})" if row.suggestions else "")
        out.append(f"{row.line}:{row.column}\t{visible(row.scope)}\t{visible(repr(row.label))}\t-> {visible(target)}")
    return "\n".join(out) + ("\n" if out else "")
