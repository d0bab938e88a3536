"""Which number is wrong: the one printed figure that, changed alone, makes the most failed identities hold."""

from __future__ import annotations

from dataclasses import dataclass

from .intervals import quantized_like
from .registry import Context, rule
from ..records import render_path

LEAST_FIXED = 2  # one failed identity does not say which of its figures is wrong


@rule("RG399", "likely misprint", "error",
      tolerance="the new value keeps the figure's printed precision; every identity is evaluated over the "
                "intervals of its figures, as its own rule evaluates it",
      quirks="Runs after every other rule, over every identity they evaluated, linear or ratio, held or failed, "
             "with the record paths of their figures; a figure a rule uses without its path (a default of zero, "
             "a sum of groups) takes no part. A figure that fixes one failed identity only is not named: any of "
             "its figures could be the wrong one. In the 2002-HE1 November report 798,796,001.15 for the pool "
             "ending balance (printed 798,796,001.41) makes its RG305 and RG310 hold; where the O/C amount's "
             "extra-principal identity (RG328) is checked, 14,250,002.00 for the O/C amount makes RG310 and RG328 "
             "hold as well: a tie, and nothing is named.")
def likely_misprint(ctx: Context) -> None:
    """For each printed figure of a failed identity, the value that alone makes that identity hold (the
    printed value of a sum solved for, or a ratio's figure solved through its product, quotient, scale or
    compounding), at the figure's printed precision, is tried in every identity the figure is part of.
    The figure that so makes the most failed identities hold, at least two, and breaks none that held is
    named, with the value that would fit; where another figure fixes as many of the same failures (a tie),
    nothing is named. The result does not depend on the order the rules ran in."""
    for fix in _named(_fixes(ctx)):
        _report(ctx, fix)


@dataclass
class _Fix:
    path: tuple
    printed: object
    value: object
    fixed: list      # the failed identities that hold with the new value
    failed: int      # the failed identities the figure is part of
    held: int        # the identities that held and still hold


def _fixes(ctx: Context) -> list:
    """The best change of each printed figure that is part of a failed identity and breaks nothing that held."""
    failed: dict[tuple, list] = {}
    held: dict[tuple, list] = {}
    for identity in ctx.identities:
        for path in dict.fromkeys(f.path for f in identity.figures() if f.path is not None):
            (failed if identity.failed else held).setdefault(path, []).append(identity)
    fixes = []
    # in the order of the paths, each one's identities in the order of their code and text: the same
    # under any hash seed and whatever order the rules gave their identities in
    for path in sorted(failed, key=render_path):
        identities = sorted(failed[path], key=lambda i: (i.code, i.what))
        printed = identities[0].printed_at(path)
        kept = held.get(path, [])
        best = None
        for value in _candidates(identities, path, printed):
            if not all(i.holds_with(path, value) for i in kept):
                continue
            fixed = [i for i in identities if i.holds_with(path, value)]
            if best is None or len(fixed) > len(best.fixed):
                best = _Fix(path, printed, value, fixed, len(identities), len(kept))
        if best is not None and len(best.fixed) >= LEAST_FIXED:
            fixes.append(best)
    return fixes


def _candidates(identities: list, path: tuple, printed) -> list:
    """The values each failed identity needs at ``path``, at its printed precision, nearest the printed first."""
    values = set()
    for identity in identities:
        fit = identity.fit(path)
        if fit is not None and fit.is_finite():
            value = quantized_like(fit, printed)
            if value != printed:
                values.add(value)
    return sorted(values, key=lambda v: (abs(v - printed), v))


def _named(fixes: list) -> list:
    """The fixes no other figure rivals: none fixing as many of the same failed identities."""
    named = []
    for fix in fixes:
        mine = {id(i) for i in fix.fixed}
        rivals = [other for other in fixes if other is not fix and mine & {id(i) for i in other.fixed}]
        if all(len(other.fixed) < len(fix.fixed) for other in rivals):
            named.append(fix)
    return named


def _report(ctx: Context, fix: _Fix) -> None:
    names = "; ".join(f"{i.code} {i.what}" for i in fix.fixed)
    of = f" of the {fix.failed} it is part of" if fix.failed > len(fix.fixed) else ""
    ctx.finding("RG399", f"likely misprint: {render_path(fix.path)} is printed {fix.printed}; {fix.value} would make "
                f"{len(fix.fixed)} failed identities hold{of} ({names})"
                + (f" and keep the {fix.held} that held" if fix.held else ""),
                render_path(fix.path), expected=fix.value, actual=fix.printed,
                hint="check this figure against the servicer's data; the other findings follow from it",
                rests_on=tuple(sorted({i.code for i in fix.fixed})))
