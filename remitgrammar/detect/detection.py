"""Which format a report is in, from the detection rules each format's spec declares, and why.

A spec's ``detect`` lists texts a report of the format prints: ``require`` (every one; each entry
a text or a list of alternatives, any one of which will do), ``forbid`` (none of them). Texts
match in any case and with any run of spaces, since families print their titles in capitals one
month and in title case the next. One scoring function ranks the formats for ``parse``, ``check``
and ``detect`` alike: a format matches when every required text is there and no forbidden one;
among the matching ones the one with the most evidence (required texts found, each weighing its
length) wins. Two formats matching is reported (RG112) whichever is taken; only two formats that
declare the very same texts tie, and the warning says the name then decided. A format that requires
no text (or only blank ones, found in every report: formats/search.py leaves those out) never
matches: it is chosen only by ``--format NAME``, and ``lint`` reports it (RG222).
"""

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
        found: required texts present (for a list of alternatives, the one found).
        missing: required texts absent.
        forbidden: forbidden texts present, each with the line it is on.
        near: missing texts whose words all stand on one line, if only inside longer words (renamed?).
    """

    spec: FormatSpec
    found: list
    missing: list
    forbidden: list
    near: list

    @property
    def matches(self) -> bool:
        """All required texts present and no forbidden one."""
        return not self.missing and not self.forbidden and bool(self.found)

    @property
    def score(self) -> float:
        """How close the text comes: the share of required texts found (half for a near miss),
        less half a point for each forbidden text present."""
        total = len(self.found) + len(self.missing)
        found = len(self.found) + 0.5 * len(self.near)
        return (found / total if total else 0.0) - 0.5 * len(self.forbidden)

    @property
    def evidence(self) -> int:
        """Among matching formats: how much of the text their required texts account for."""
        return sum(len(text) for text in self.found)

    def rank(self) -> tuple:
        """Matching first, then by score and evidence; a format that requires nothing comes last."""
        return (not self.matches, not self.spec.require, -self.score, -self.evidence)

    def why(self, line_of=lambda line: line) -> str:
        """The reasons in words; ``line_of`` turns a line of the text into the file's (a submission's,
        an HTML page's)."""
        parts = []
        if self.found:
            parts.append("has " + ", ".join(repr(s) for s in self.found))
        if self.missing:
            parts.append("lacks " + ", ".join(
                _shown(s) + (" (its words are there: renamed?)" if s in self.near else "") for s in self.missing))
        if self.forbidden:
            parts.append("has forbidden " + ", ".join(f"{s!r} (line {line_of(line)})" for s, line in self.forbidden))
        return "; ".join(parts) or "requires no text to recognise it by (detect.require): only --format chooses it"


def _shown(entry) -> str:
    return " or ".join(repr(s) for s in entry) if isinstance(entry, (list, tuple)) else repr(entry)


def _one_space(text: str) -> str:
    """Runs of spaces and tabs as one space. Halving the runs pass by pass holds one copy of the text
    at a time; re.sub would build a list of every piece between runs (7 MB for a 1 MB report)."""
    text = text.replace("\t", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


class _Text:
    """A report's text as detection compares it: case folded, runs of spaces as one."""

    def __init__(self, text: str):
        self.original = text
        self.folded = _one_space(text.casefold())

    def find(self, needle: str) -> int:
        return self.folded.find(_one_space(needle.casefold()))

    def near(self, needle: str) -> bool:
        """Whether one line holds every word of a text, if only inside longer words: a renamed
        heading ("Orig Bal" printed "Original Bal") keeps its words on its line."""
        words, text = needle.casefold().split(), self.folded
        if not words or not all(word in text for word in words):
            return False
        at = text.find(words[0])
        while at >= 0:  # the lines holding the first word, one at a time: no copy of the text's lines
            start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
            end = len(text) if end < 0 else end
            if all(word in text[start:end] for word in words[1:]):
                return True
            at = text.find(words[0], end)
        return False

    def line_of(self, needle: str) -> int:
        at = self.find(needle)
        return self.folded.count("\n", 0, at) + 1 if at >= 0 else 0


def candidate(spec: FormatSpec, text: _Text) -> Candidate:
    found, missing, near = [], [], []
    for entry in spec.require:
        options = _options(entry)
        hit = next((option for option in options if text.find(option) >= 0), None)
        if hit is not None:
            found.append(hit)
            continue
        missing.append(entry)
        if any(text.near(option) for option in options):
            near.append(entry)
    forbidden = []
    for entry in spec.forbid:
        hit = next((option for option in _options(entry) if text.find(option) >= 0), None)
        if hit is not None:
            forbidden.append((hit, text.line_of(hit)))
    return Candidate(spec, found, missing, forbidden, near)


def _options(entry) -> list:
    return list(entry) if isinstance(entry, (list, tuple)) else [entry]


def explain(text: str) -> list[Candidate]:
    """Every format's candidacy, best first (by ``Candidate.rank``; the name only orders the
    output of formats that do not match)."""
    folded = _Text(text)
    return sorted((candidate(spec, folded) for spec in all_formats()), key=lambda c: (c.rank(), c.spec.name))


def detect(text: str) -> FormatSpec | None:
    """The format whose detection rules the text satisfies best, or None."""
    best = explain(text)
    return best[0].spec if best and best[0].matches else None


def resolve_format(text: str, name: str | None, path: str) -> tuple[FormatSpec, list]:
    """The forced format, or the detected one, and the findings of the choice.

    Returns:
        (format, findings): RG112 (warning) when another format matches the text too.

    Raises:
        RemitError: RG110 when no format matches, naming the closest one and what it missed.
    """
    if name:
        return get_format(name), []
    ranked = explain(text)
    if ranked and ranked[0].matches:
        best, others = ranked[0], [c for c in ranked[1:] if c.matches]
        if not others:
            return best.spec, []
        names = ", ".join(c.spec.name for c in others)
        tie = " (as much evidence: the first by name)" if others[0].rank() == best.rank() else ""
        return best.spec, [Finding("RG112", "warning", f"the report matches the formats {best.spec.name} and "
                                   f"{names}; {best.spec.name} was chosen{tie}: it {best.why()}", line=1, column=1,
                                   hint=f"force one with --format NAME; `remitgrammar detect {path}` explains "
                                        "both; a format's detect.forbid tells it apart")]
    message = "not a report in any known format"
    hint = "force a format with --format NAME, or add one (docs/adding-a-format.md)"
    if ranked and ranked[0].spec.require:
        closest = ranked[0]
        message += f"; closest is {closest.spec.name}, which {closest.why()}"
        hint = f"`remitgrammar detect {path}` explains every candidate; " + hint
    raise RemitError(Finding("RG110", "error", message, line=1, column=1, hint=hint), path)
