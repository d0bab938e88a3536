"""Run every registered rule of ``check`` over one record."""

from __future__ import annotations

from ..errors import Finding
from . import rules_classes, rules_collateral  # noqa: F401  (registers the rules)
from .registry import RULES, Context


def run_checks(record: dict, provenance: dict, spec, lines: list) -> list[Finding]:
    """Run every registered rule over one record; return its findings in code order."""
    context = Context(record, provenance, spec, lines)
    for code in sorted(RULES):
        RULES[code].run(context)
    return context.findings
