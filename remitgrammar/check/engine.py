"""Run every registered rule over one record: each in isolation, with room for any printed precision."""

from __future__ import annotations

from decimal import localcontext

from ..errors import Finding
from . import misprints, rules_classes, rules_collateral, rules_credit, rules_declared, rules_groups, rules_interest, rules_pool  # noqa: F401  (registers the rules)
from .registry import RULES, Context


def run_checks(record: dict, provenance: dict, spec, lines: list, identities: list | None = None) -> list[Finding]:
    """Run every registered rule over one record; return its findings in code order.

    ``identities``, when given, receives every identity the rules evaluated (the month keeps those
    of failed ones for the misprint search across months).

    A rule that stops on an unexpected error gives an RG901 finding and the other
    rules still run. Sums and factors are computed with 80 significant digits:
    more than any two printed amounts of 30 digits need.
    """
    context = Context(record, provenance, spec, lines)
    with localcontext() as decimal:
        decimal.prec = 80
        for code in sorted(RULES):
            try:
                RULES[code].run(context)
            except Exception as exc:  # noqa: BLE001 - one rule's failure must not hide the others
                context.findings.append(Finding("RG901", "error", f"rule {code} stopped: internal error: "
                                                f"{type(exc).__name__}: {str(exc)[:200]}; please report it, "
                                                "with the file"))
    if identities is not None:
        identities.extend(context.identities)
    return context.findings
