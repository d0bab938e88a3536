"""What every finding code means: the rules of ``check`` from the registry, the other codes from codes.py;
the one list of known codes, and the nearest of them to a mistyped one (docs/rules.md is generated here)."""

from __future__ import annotations

import difflib

from .across import ACROSS
from .codes import CODES, Code
from .engine import RULES


def rule_of(code: str):
    """The registered rule of a code (one report or across months), or None (a parse or spec code)."""
    return RULES.get(code) or ACROSS.get(code)


def known_codes() -> tuple:
    """Every code the package can give: reading and parsing (RG1xx), labels and specs (RG2xx), the rules
    of `check` (RG3xx, RG4xx) and internal errors (RG9xx)."""
    return tuple(sorted({*CODES, *RULES, *ACROSS}))


def describe(code: str) -> Code | None:
    """A code's title, severity, description and what to do (None for a code the package never gives).
    A rule's description is its explanation and tolerance; its real-data quirks, which are about the
    project's own samples, stay in docs/rules.md."""
    known = rule_of(code)
    if known is None:
        return CODES.get(code)
    return Code(known.title, known.severity, known.explanation,
                f"Check the figures the finding names against the filing; the rule allows {known.tolerance}.")


def is_known(code: str) -> bool:
    """A code the package gives, or a prefix of one (``RG3``, ``RG30``, ``RG``)."""
    return any(known.startswith(code) for known in known_codes())


def nearest(code: str, count: int = 3) -> list:
    """The known codes and prefixes nearest a mistyped one (``RG999`` -> ``RG902 RG901 RG900``)."""
    codes = known_codes()
    prefixes = sorted({c[:n] for c in codes for n in range(3, 5)}) if len(code) < 5 else []
    found = difflib.get_close_matches(code, [*codes, *prefixes], n=count, cutoff=0.5)
    return found or list(codes[:count])


def _registry() -> list:
    return [RULES[code] for code in sorted(RULES)] + [ACROSS[code] for code in sorted(ACROSS)]


def rules_text() -> str:
    """One paragraph per rule, for the terminal (the real-data quirks of our samples are in docs/rules.md)."""
    out = []
    for r in _registry():
        out.append(f"{r.code} {'/'.join(r.severities)} {r.title}\n  {r.explanation}\n  tolerance: {r.tolerance}\n")
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
