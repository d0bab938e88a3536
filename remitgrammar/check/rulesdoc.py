"""The rules of ``check`` described from the registry (docs/rules.md is generated from here)."""

from __future__ import annotations

from .across import ACROSS
from .engine import RULES


def rule_of(code: str):
    """The registered rule of a code (one report or across months), or None (a parse or spec code)."""
    return RULES.get(code) or ACROSS.get(code)


def _registry() -> list:
    return [RULES[code] for code in sorted(RULES)] + [ACROSS[code] for code in sorted(ACROSS)]


def rules_text() -> str:
    """One paragraph per rule, for the terminal."""
    out = []
    for r in _registry():
        out.append(f"{r.code} {'/'.join(r.severities)} {r.title}\n  {r.explanation}\n  tolerance: {r.tolerance}\n"
                   f"  real-data quirks: {r.quirks}\n")
    return "\n".join(out)


def rules_markdown() -> str:
    """docs/rules.md: every rule with its explanation, tolerance and real-data quirks."""
    out = ["# Rules of `remitgrammar check`", "",
           "Generated from the rule registry by `remitgrammar rules --markdown > docs/rules.md`;",
           "`tests/test_rules.py` fails when this file is stale. Each rule reads the canonical record",
           "and reports where an identity of the report's own arithmetic does not hold; the RG4xx rules",
           "compare the months of one deal (reports given together, or read for context with `--history`).",
           "Tolerance",
           "comes from printed precision: an amount printed to whole dollars may be off by 50 cents,",
           "one printed to cents by half a cent, and an identity allows the sum over its amounts.",
           "Finding codes of parsing (RG1xx, RG2xx) are in [findings.md](findings.md).", ""]
    for r in _registry():
        out += [f"## {r.code} {r.title} ({', '.join(r.severities)})", "", r.explanation, "",
                f"**Tolerance:** {r.tolerance}.", "", f"**Real-data quirks:** {r.quirks}", ""]
    return "\n".join(out)
