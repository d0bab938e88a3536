"""Which number is wrong: the one printed figure that, changed alone, makes the most failed identities hold.

The search asks every identity of a figure whether it holds with each candidate value: thousands of
questions a report when its amounts do not add up. ``Probe`` answers them as ``Identity.holds_with``
and ``Identity.fit`` do, without evaluating the whole identity again for each (tests/
test_speed_equivalence.py holds the two to the same answers, and the findings to those before it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, getcontext

from .intervals import Figure, Identity, meets, over_stage, printed_span, quantized_like, solve, sum_stage, times_stage
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
    for identity in ctx.identities:  # each asked once per candidate of each of its figures: a Probe keeps its sums
        probe = Probe(identity)
        for path in dict.fromkeys(f.path for f in identity.figures() if f.path is not None):
            (failed if identity.failed else held).setdefault(path, []).append(probe)
    fixes = []
    # in the order of the paths, each one's identities in the order of their code and text: the same
    # under any hash seed and whatever order the rules gave their identities in
    for path in sorted(failed, key=render_path):
        if len(failed[path]) < LEAST_FIXED:  # no value of the figure can fix enough to name it
            continue
        probes = sorted(failed[path], key=lambda p: (p.identity.code, p.identity.what))
        best = _best(probes, path, probes[0].identity.printed_at(path), held.get(path, []))
        if best is not None:
            fixes.append(best)
    return fixes


def _best(probes: list, path: tuple, printed, kept: list):
    """The first candidate fixing the most failed identities, at least LEAST_FIXED, and breaking none
    that held. A candidate is asked only what could make it the best: once a value has fixed n, the
    others need n + 1, and their count stops as soon as they cannot reach it."""
    best, need = None, LEAST_FIXED
    for value in _candidates(probes, path, printed):
        if need > len(probes):
            break
        fixed = _fixed(probes, path, value, need)
        if fixed is not None and all(p.holds_with(path, value) for p in kept):
            best, need = _Fix(path, printed, value, fixed, len(probes), len(kept)), len(fixed) + 1
    return best


def _fixed(probes: list, path: tuple, value, need: int) -> list | None:
    """The failed identities that hold with ``value`` at ``path``; None once fewer than ``need`` can."""
    fixed, left = [], len(probes)
    for probe in probes:
        left -= 1
        if probe.holds_with(path, value):
            fixed.append(probe.identity)
        elif len(fixed) + left < need:
            return None
    return fixed


def _candidates(probes: list, path: tuple, printed) -> list:
    """The values each failed identity needs at ``path``, at its printed precision, nearest the printed first."""
    values = set()
    for probe in probes:
        fit = probe.fit(path)
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


# A linear identity's figures within these powers of ten add and subtract exactly at the 80 digits of
# run_checks: a sum less one figure plus another is then the sum computed anew. Past them, or at fewer
# digits, a probe evaluates the identity in full.
EXACT_POWER = 35
EXACT_DIGITS = 2 * EXACT_POWER + 10


class Probe:
    """One identity asked again and again what ``fit`` and ``holds_with`` answer (the search asks thousands
    per report), with the same answers: its sides computed once; a ratio computes again only the stages a
    figure is in; a linear sum keeps its totals, so that a changed figure costs a few additions."""

    def __init__(self, identity: Identity):
        self.identity = identity
        self._sides: tuple | None = None
        self._sums: tuple | None = None  # a linear identity's totals; () when its figures are not exact
        self._paths: dict = {}

    def fit(self, path: tuple):
        """``Identity.fit``."""
        try:
            if self._sides is None:
                self._sides = (self.identity.computed, self.identity.printed)
            return solve(self.identity, path, self._sides)
        except (ArithmeticError, ValueError):
            return None

    def holds_with(self, path: tuple, value) -> bool:
        """``Identity.holds_with``."""
        identity = self.identity
        if not identity.linear:
            plan = self._paths.get(path)
            if plan is None:
                plan = self._paths[path] = _plan(identity, path)
            return _ratio_holds(identity, plan, path, value)
        if self._sums is None:
            self._sums = _sums(identity)
        if not self._sums or not _exact(value):
            return identity.holds_with(path, value)
        at = self._paths.get(path)
        if at is None:
            at = self._paths[path] = _apart(identity, path, self._sums)
        terms, term_slack, printed, every_slack = at
        middle, printed = terms[0] + terms[1] * value, printed[0] + printed[1] * value
        side = _slack_with(term_slack, value == 0)
        room = _slack_with(every_slack, value == 0) - side + identity.widen
        return meets(identity.relation, middle - side, middle + side, printed - room, printed + room)


def _plan(identity: Identity, path: tuple) -> tuple:
    """A ratio's parts with the figures at ``path`` flagged, and its computed side as far as no figure at
    ``path`` enters it (computed by the same stages from the same figures: the same values)."""
    terms = [(s, f.value, f.half, f.path == path) for s, f in identity.terms]
    times = [(f.value, f.half, f.path == path) for f in identity.times]
    over = [(f.value, f.half, f.path == path) for f in identity.over]
    done = None
    if not any(t[3] for t in terms):
        done = 1, sum_stage([t[:3] for t in terms])
        if not any(t[2] for t in times):
            done = 2, times_stage(done[1], [t[:2] for t in times])
            if not any(t[2] for t in over):
                done = 3, (identity.low, identity.high)
    printed = identity.result.path == path or any(f.path == path for _, f in identity.plus)
    return terms, times, over, done, printed


def _ratio_holds(identity: Identity, plan: tuple, path: tuple, value) -> bool:
    """``holds_with`` of a ratio: the stages of its computed side from the first a figure at ``path`` is in."""
    terms, times, over, done, printed = plan
    stage, span = done if done is not None else (0, (Decimal(0), Decimal(0)))  # stage 0: nothing computed yet
    try:
        if stage < 1:
            span = sum_stage([(s, value if at else v, h) for s, v, h, at in terms])
        if stage < 2:
            span = times_stage(span, [(value if at else v, h) for v, h, at in times])
        if stage < 3:
            divided = over_stage(span, [(value if at else v, h) for v, h, at in over], identity.scale,
                                 identity.annualize)
            if divided is None:  # a divisor that may be zero: the identity determines nothing
                return False
            span = divided
    except ArithmeticError:
        return False
    sides = (identity.printed_low, identity.printed_high)
    if printed:
        def swap(f: Figure) -> Figure:
            return Figure(value, f.path, f.half) if f.path == path else f
        sides = printed_span(swap(identity.result), tuple((s, swap(f)) for s, f in identity.plus), identity.widen)
    return meets(identity.relation, span[0], span[1], sides[0], sides[1])


def _exact(value) -> bool:
    """A number whose digits stand within EXACT_POWER powers of ten of the units (or a zero)."""
    if isinstance(value, int):
        return -10 ** EXACT_POWER < value < 10 ** EXACT_POWER
    if not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    return not value or (isinstance(exponent, int) and exponent >= -EXACT_POWER and value.adjusted() < EXACT_POWER)


def _sums(identity: Identity) -> tuple:
    """(the terms, the printed side, the sum of each, the slack parts of the terms and of every figure),
    or () when a figure is past EXACT_POWER or ``check`` computes with fewer than EXACT_DIGITS."""
    terms, printed = identity.terms, ((1, identity.result),) + identity.plus
    every = printed + terms
    if getcontext().prec < EXACT_DIGITS or not _exact(identity.widen) or not all(
            _exact(f.value) and _exact(f.half) and sign in (1, -1) for sign, f in every):
        return ()
    return (terms, printed, sum((s * f.value for s, f in terms), Decimal(0)),
            sum((s * f.value for s, f in printed), Decimal(0)), _slack_parts([f for _, f in terms]),
            _slack_parts([f for _, f in every]))


def _slack_parts(figures: list) -> tuple:
    """(nonzero halves, zero halves, how many zeros, the largest zero half): what the slack adds up."""
    zeros = [f.half for f in figures if f.value == 0]
    return (sum((f.half for f in figures if f.value != 0), Decimal(0)), sum(zeros, Decimal(0)), len(zeros),
            max(zeros, default=Decimal(0)))


def _apart(identity: Identity, path: tuple, sums: tuple) -> tuple:
    """Each side as (the sum of the figures not at ``path``, the multiple of the figure at it), and the
    slack parts of the others with the halves of those at ``path``: of the terms, and of every figure."""
    terms, printed, term_total, printed_total, term_slack, every_slack = sums
    sides = []
    for signed, total in ((terms, term_total), (printed, printed_total)):
        at = [(s, f) for s, f in signed if f.path == path]
        sides.append((total - sum((s * f.value for s, f in at), Decimal(0)), sum(s for s, _ in at)))
    return (sides[0], _without(term_slack, [f for _, f in terms], path), sides[1],
            _without(every_slack, [f for _, f in printed + terms], path))


def _without(parts: tuple, figures: list, path: tuple) -> tuple:
    """Slack parts less the figures at ``path``, and those figures' halves."""
    nonzero, zeros, count, largest = parts
    at = [f for f in figures if f.path == path]
    gone = [f.half for f in at if f.value == 0]
    if gone:  # the largest of the other zeros: found again
        zeros, count = zeros - sum(gone), count - len(gone)
        largest = max((f.half for f in figures if f.value == 0 and f.path != path), default=Decimal(0))
    return nonzero - sum((f.half for f in at if f.value != 0), Decimal(0)), zeros, count, largest, [f.half for f in at]


def _slack_with(parts: tuple, zero: bool) -> Decimal:
    """The slack of the figures with those at the path changed to a value (``zero``: a zero)."""
    nonzero, zeros, count, largest, halves = parts
    if zero and halves:
        zeros, count = zeros + sum(halves), count + len(halves)
        largest = max(halves) if count == len(halves) else max(largest, *halves)
    elif halves:
        nonzero += sum(halves)
    return nonzero + min(zeros, 2 * largest) if count else nonzero
