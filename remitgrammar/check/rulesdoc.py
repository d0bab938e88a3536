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
    return Code(known.title, known.severity, known.explanation, _remedy(known))


# Why a rule of each kind exists: what a finding of it tells about the report.
WHY = {"RG3": "the report prints every figure of this relation, so the figures must agree with each other "
              "to their printed precision; when they do not, one of them was misprinted in the filing or "
              "misread from it (the finding shows which line, and RG399 names the likeliest figure).",
       "RG4": "the months of one deal state figures about each other (a balance carried, a cumulative total, "
              "a fixed term); when they disagree, a month was misprinted, misread, or is missing."}


def why(code: str) -> str | None:
    """Why a rule of ``code``'s kind exists (None for a code that is not a rule)."""
    return WHY.get(code[:3]) if rule_of(code) is not None else None


def _remedy(known) -> str:
    if known.severity == "info" and len(known.severities) == 1:
        return "Nothing is wrong with the report: the finding says how it reads. Select it out (--ignore) if it is noise."
    return ("Read the figures the finding names against the filing. A misprint is the filing's (keep it in a "
            "baseline); a misread is the format's (`remitgrammar labels` and `coverage` show what was read).")


def is_known(code: str) -> bool:
    """A code the package gives, or a prefix of one (``RG3``, ``RG30``, ``RG``)."""
    return any(known.startswith(code) for known in known_codes())


def nearest(code: str, count: int = 3) -> list:
    """The known codes nearest a mistyped one, a one-character slip first (``RG3O5`` -> ``RG305``; ``RG999``
    -> ``RG399``); for a short one, the prefixes of a hundred (``RG5`` -> ``RG1``, ``RG2``...)."""
    codes = known_codes()
    candidates = sorted({c[:3] for c in codes}) if len(code) <= 3 else list(codes)

    def distance(known: str) -> tuple:  # fewest slips; among them, the one agreeing longest from the left
        if len(known) != len(code):
            return len(code), 0, -difflib.SequenceMatcher(None, code, known).ratio(), known
        slips = [i for i, (a, b) in enumerate(zip(known, code, strict=True)) if a != b]
        return len(slips), -slips[0] if slips else 0, 0.0, known

    return sorted(candidates, key=distance)[:count]


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
