"""Which format a report is in, from the detection rules each format's spec declares, and why."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Finding, RemitError
from ..formats.search import all_formats, get_format
from ..formats.specs import FormatSpec


@dataclass
class Candidate:
    """How one format's detection rules fare against a text.

    Attributes:
        spec: the format.
        found: required texts present.
        missing: required texts absent.
        forbidden: forbidden texts present, each with the line it is on.
        near: missing texts whose words all appear in the text (a renamed heading?).
    """

    spec: FormatSpec
    found: list
    missing: list
    forbidden: list
    near: list

    @property
    def matches(self) -> bool:
        """All required texts present and no forbidden one."""
        return not self.missing and not self.forbidden

    @property
    def score(self) -> float:
        """How close the text comes: the share of required texts found (half for a near miss),
        less half a point for each forbidden text present."""
        total = len(self.found) + len(self.missing)
        found = len(self.found) + 0.5 * len(self.near)
        return (found / total if total else 0.0) - 0.5 * len(self.forbidden)

    def why(self) -> str:
        """The reasons in words."""
        parts = []
        if self.found:
            parts.append("has " + ", ".join(repr(s) for s in self.found))
        if self.missing:
            parts.append("lacks " + ", ".join(
                repr(s) + (" (its words are there: renamed?)" if s in self.near else "") for s in self.missing))
        if self.forbidden:
            parts.append("has forbidden " + ", ".join(f"{s!r} (line {line})" for s, line in self.forbidden))
        return "; ".join(parts) or "declares no detection rules"


def _line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def explain(text: str) -> list[Candidate]:
    """Every format's candidacy, best first."""
    candidates = []
    for spec in all_formats():
        found = [s for s in spec.require if s in text]
        missing = [s for s in spec.require if s not in text]
        forbidden = [(s, _line_of(text, s)) for s in spec.forbid if s in text]
        near = [s for s in missing if all(word in text for word in s.split())]
        candidates.append(Candidate(spec, found, missing, forbidden, near))
    return sorted(candidates, key=lambda c: (not c.matches, -c.score, c.spec.name))


def detect(text: str) -> FormatSpec | None:
    """The format whose detection rules the text satisfies, or None."""
    best = explain(text)
    return best[0].spec if best and best[0].matches else None


def resolve_format(text: str, name: str | None, path: str) -> FormatSpec:
    """The forced format, or the detected one.

    Raises:
        RemitError: RG110 when no format matches, naming the closest one and what it missed.
    """
    if name:
        return get_format(name)
    # The common case first: a format that matches (explain() ranks matches by name).
    for spec in sorted(all_formats(), key=lambda s: s.name):
        if all(s in text for s in spec.require) and not any(s in text for s in spec.forbid):
            return spec
    ranked = explain(text)
    message = "not a report in any known format"
    hint = "force a format with --format NAME, or add one (docs/adding-a-format.md)"
    if ranked:
        closest = ranked[0]
        message += f"; closest is {closest.spec.name}, which {closest.why()}"
        hint = f"`remitgrammar detect {path}` explains every candidate; " + hint
    raise RemitError(Finding("RG110", "error", message, line=1, column=1, hint=hint), path)
