"""The one interval arithmetic of ``check``: every identity a rule states over one report is evaluated here.

An identity says ``value (+ plus) = scale * (sum of signed terms) * prod(times) / prod(over)``,
optionally compounded from a monthly to a yearly rate (CPR from SMM). Each printed figure stands
for the interval of values that round to it: half a unit of its last printed digit either way
(counts and other integers exact; a rule may say a figure is exact, as a contract rate is). The
identity fails only when no choice of the figures within their intervals makes it hold. A linear
sum keeps the rule of ``slack`` for printed zeros.

Every evaluated identity keeps its figures with their record paths, so that the misprint search
(RG399, misprints.py) can ask, for each figure, which value alone would make it hold, and whether
it holds with a figure replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, TypeGuard

from ..records import half_unit

RELATIONS = ("=", ">=", "<=")  # the printed value is, is at least, is at most the computed one


@dataclass(frozen=True)
class Figure:
    """A printed figure: its value, its record path (None: not printed as such), half its interval's width."""

    value: Decimal | int
    path: tuple | None
    half: Decimal


def figure(value, path: tuple | None = None, half: Decimal | None = None) -> Figure:
    """A figure with the rounding its printed digits allow (an integer is exact), or ``half`` as given."""
    if half is None:
        half = half_unit(value) if isinstance(value, Decimal) else Decimal(0)
    return Figure(value, path, half)


def number(value) -> TypeGuard[Decimal]:
    """True for a printed amount (not None, not a flag, not text).

    A count (an int) passes too, yet the guard says Decimal: an int mixes with Decimals in every
    sum and comparison the rules make, and mypy types abs() of a ``Decimal | int`` as ``object``."""
    return isinstance(value, (Decimal, int)) and not isinstance(value, bool)


def slack(values: Iterable) -> Decimal:
    """The rounding slack of a set of printed amounts: the sum of their half-units.

    Printed zeros together add at most one unit of their last digit: a zero may be a rounded
    0.40, but trustees print nothing-at-all as 0 or 0.00, and thirteen classes of zero shortfall
    would otherwise hide a misprinted 5 in the fourteenth."""
    return _slack([figure(v) for v in values if isinstance(v, Decimal)])


def _slack(figures: list) -> Decimal:
    return _slack_of([(f.value, f.half) for f in figures])


def _slack_of(pairs: list) -> Decimal:
    """``_slack`` of (value, half) pairs."""
    nonzero = sum((half for value, half in pairs if value != 0), Decimal(0))
    zeros = [half for value, half in pairs if value == 0]
    return nonzero + min(sum(zeros), 2 * max(zeros)) if zeros else nonzero


@dataclass(frozen=True, eq=False)  # one identity is itself, whatever another evaluates to
class Identity:
    """One identity a rule stated: its figures, how they combine, and whether it failed.

    ``low``/``high`` span the computed side, ``printed_low``/``printed_high`` the printed side (the
    value plus its ``plus`` figures, widened by ``widen``); it holds when the two meet (or, for a
    relation of ``>=``/``<=``, when the printed side can be at least/at most the computed one)."""

    code: str
    what: str
    result: Figure
    terms: tuple                     # (sign, Figure)
    times: tuple = ()                # Figure
    over: tuple = ()                 # Figure
    plus: tuple = ()                 # (sign, Figure) added to the printed value's side
    scale: Decimal = Decimal(1)
    annualize: int | None = None
    widen: Decimal = Decimal(0)
    relation: str = "="
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)
    printed_low: Decimal = Decimal(0)
    printed_high: Decimal = Decimal(0)

    @property
    def linear(self) -> bool:
        """A plain sum: no product, quotient, scale or compounding."""
        return not self.times and not self.over and self.annualize is None and self.scale == 1

    @property
    def failed(self) -> bool:
        return not meets(self.relation, self.low, self.high, self.printed_low, self.printed_high)

    @property
    def computed(self) -> Decimal:
        """The computed side at the figures as printed."""
        return _outer(self, _inner(self))

    @property
    def printed(self) -> Decimal:
        """The printed side as printed: the value and its ``plus`` figures."""
        return self.result.value + sum((sign * f.value for sign, f in self.plus), Decimal(0))

    @property
    def allowed(self) -> Decimal:
        """How far apart the two sides may be: the half-widths of both intervals."""
        return (self.high - self.low + self.printed_high - self.printed_low) / 2

    def figures(self):
        """Every figure of the identity, the printed value's first."""
        yield self.result
        yield from (f for _, f in self.plus)
        yield from (f for _, f in self.terms)
        yield from self.times
        yield from self.over

    def printed_at(self, path: tuple):
        """The value printed at ``path``."""
        return next(f.value for f in self.figures() if f.path == path)

    def cells(self):
        """(record path, value) of each printed figure with a path that alone would make the identity hold."""
        for f in self.figures():
            if f.path is not None:
                fit = self.fit(f.path)
                if fit is not None:
                    yield f.path, fit

    def fit(self, path: tuple):
        """The value the figure at ``path`` would need, the others as printed (None: no such value)."""
        try:
            return solve(self, path)
        except (ArithmeticError, ValueError):
            return None

    def holds_with(self, path: tuple | str, value) -> bool:
        """Whether the identity holds when the figure at ``path`` is ``value`` (with its printed precision)."""
        def swap(f: Figure) -> Figure:
            return Figure(value, f.path, f.half) if f.path == path else f
        spans = _spans_of(swap(self.result), tuple((s, swap(f)) for s, f in self.plus),
                          tuple((s, swap(f)) for s, f in self.terms), tuple(map(swap, self.times)),
                          tuple(map(swap, self.over)), self.scale, self.annualize, self.widen)
        return spans is not None and meets(self.relation, *spans)


def evaluate(code: str, result_path: tuple | None, terms: list, result, what: str, *, times=(), over=(),
             plus=(), scale=1, annualize: int | None = None, widen=0, relation: str = "=") -> Identity | None:
    """The identity ``result (+ plus) = scale * sum(terms) * prod(times) / prod(over)``, evaluated over the
    intervals of its figures; None when a figure is not a number or a divisor may be zero.

    A term is (sign, value), (sign, value, path) or (sign, value, path, half); a ``times``/``over`` figure
    is a value, (value, path) or (value, path, half); ``plus`` figures are terms on the printed side.
    ``half`` overrides the rounding of a figure the rule knows better (0: exact, a contract rate).
    ``widen`` is extra room on the printed side, in its units, for a rule whose figures carry more than
    printed rounding (RG316: fees truncated and computed loan by loan); the rule documents why.
    ``annualize`` compounds a monthly rate in percent over that many months.
    """
    if relation not in RELATIONS:
        raise ValueError(f"relation must be one of {RELATIONS}")
    try:
        printed, summed = _figure((result, result_path)), tuple(_signed(t) for t in terms)
        added, multiplied, divided = tuple(_signed(t) for t in plus), tuple(map(_figure, times)), tuple(map(_figure, over))
    except TypeError:
        return None
    scale, widen = Decimal(scale), Decimal(widen)
    spans = _spans_of(printed, added, summed, multiplied, divided, scale, annualize, widen)
    if spans is None:
        return None
    low, high, printed_low, printed_high = spans
    return Identity(code, what, result=printed, terms=summed, plus=added, times=multiplied, over=divided, scale=scale,
                    annualize=annualize, widen=widen, relation=relation, low=low, high=high,
                    printed_low=printed_low, printed_high=printed_high)


def _signed(term) -> tuple:
    sign, rest = term[0], term[1:]
    return sign, _figure(rest if len(rest) > 1 else (rest[0], None))


def _figure(given) -> Figure:
    value, path, half = (tuple(given) + (None, None))[:3] if isinstance(given, tuple) else (given, None, None)
    if not number(value):
        raise TypeError("not a number")
    return figure(value, path, half)


def meets(relation: str, low, high, printed_low, printed_high) -> bool:
    """Whether the printed side meets the computed side as ``relation`` asks."""
    if relation == ">=":
        return printed_high >= low
    if relation == "<=":
        return printed_low <= high
    return printed_high >= low and printed_low <= high


def _spans_of(result: Figure, plus: tuple, terms: tuple, times: tuple, over: tuple, scale: Decimal,
              annualize: int | None, widen: Decimal):
    """(low, high, printed_low, printed_high) of an identity's parts, or None when they determine nothing
    (parts, not an Identity: ``holds_with`` swaps a figure without building one)."""
    if times or over or annualize is not None or scale != 1:
        try:
            low_high = over_stage(times_stage(sum_stage([(s, f.value, f.half) for s, f in terms]),
                                              [(f.value, f.half) for f in times]),
                                  [(f.value, f.half) for f in over], scale, annualize)
        except ArithmeticError:
            return None
        return None if low_high is None else low_high + printed_span(result, plus, widen)
    printed = result.value + sum((sign * f.value for sign, f in plus), Decimal(0))
    try:  # linear: one slack over every figure, printed zeros share a unit between them
        middle = sum((sign * f.value for sign, f in terms), Decimal(0))
        side = _slack([f for _, f in terms])
        room = _slack([result, *(f for _, f in plus), *(f for _, f in terms)]) - side + widen
    except ArithmeticError:
        return None
    return middle - side, middle + side, printed - room, printed + room


# A ratio's computed side in the stages it is computed in, over (sign, value, half) terms and (value,
# half) factors: the misprint search (misprints.Probe) keeps the stages a changed figure is not in.
def sum_stage(terms: list) -> tuple:
    """(low, high) of the sum of the terms."""
    middle = sum((sign * value for sign, value, _ in terms), Decimal(0))
    side = _slack_of([(value, half) for _, value, half in terms])
    return middle - side, middle + side


def times_stage(span: tuple, times: list) -> tuple:
    """(low, high) multiplied by each ``times`` factor."""
    low, high = span
    for value, half in times:
        low, high = _product((low, high), (value - half, value + half))
    return low, high


def over_stage(span: tuple, over: list, scale: Decimal, annualize: int | None) -> tuple | None:
    """(low, high) divided by each ``over`` factor, scaled and compounded; None when a divisor may be zero."""
    low, high = span
    for value, half in over:
        if value - half <= 0 <= value + half:
            return None  # a divisor that may be zero determines nothing
        low, high = _product((low, high), (1 / (value + half), 1 / (value - half)))
    low, high = sorted((low * scale, high * scale))
    if annualize is not None:
        low, high = _annualized(low, annualize), _annualized(high, annualize)
    return low, high


def printed_span(result: Figure, plus: tuple, widen: Decimal) -> tuple:
    """(printed_low, printed_high) of a ratio: its printed side within the rounding of its own figures."""
    printed = result.value + sum((sign * f.value for sign, f in plus), Decimal(0))
    room = _slack([result] + [f for _, f in plus]) + widen
    return printed - room, printed + room


def _inner(identity: Identity) -> Decimal:
    """The sum of the terms times the ``times`` figures over the ``over`` figures, as printed."""
    value = sum((sign * f.value for sign, f in identity.terms), Decimal(0))
    for f in identity.times:
        value *= f.value
    for f in identity.over:
        value /= f.value
    return value


def _outer(identity: Identity, inner: Decimal) -> Decimal:
    value = inner * identity.scale
    return _annualized(value, identity.annualize) if identity.annualize is not None else value


def _product(a: tuple, b: tuple) -> tuple:
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def _annualized(monthly_pct: Decimal, periods: int) -> Decimal:
    """A monthly rate in percent compounded over a year: CPR = 1 - (1 - SMM) ** 12."""
    rate = min(max(monthly_pct / 100, Decimal(0)), Decimal(1))
    return (1 - (1 - rate) ** periods) * 100


def _monthly(yearly_pct: Decimal, periods: int) -> Decimal:
    """The monthly rate in percent that compounds to ``yearly_pct``: SMM = 1 - (1 - CPR) ** (1/12)."""
    rate = yearly_pct / 100
    if not 0 <= rate <= 1:
        raise ValueError("a yearly rate outside 0-100%")
    return (1 - (1 - rate) ** (Decimal(1) / periods)) * 100


def solve(identity: Identity, path: tuple, sides: tuple | None = None):
    """The value of the figure at ``path`` that makes both sides equal, every other figure as printed
    (``sides``: the identity's computed and printed sides, when already known)."""
    computed, printed = sides or (identity.computed, identity.printed)
    if identity.result.path == path:
        return identity.result.value + computed - printed
    for sign, f in identity.plus:
        if f.path == path:
            return f.value + (computed - printed) / sign
    needed = printed if identity.annualize is None else _monthly(printed, identity.annualize)
    needed /= identity.scale  # what sum * times / over must be
    total = sum((sign * f.value for sign, f in identity.terms), Decimal(0))
    times, over = _prod(identity.times), _prod(identity.over)
    for sign, f in identity.terms:
        if f.path == path:
            return f.value + (needed * over / times - total) / sign
    for f in identity.times:
        if f.path == path:
            return f.value * needed * over / (total * times)
    for f in identity.over:
        if f.path == path:
            return f.value * total * times / (needed * over)
    return None


def _prod(figures: tuple) -> Decimal:
    value = Decimal(1)
    for f in figures:
        value *= f.value
    return value


def describe(identity: Identity) -> str:
    """The finding's message: both sides, how far apart, and what rounding allows (a ratio's computed side
    as its value at the printed figures and the interval of its roundings, one digit past the printed)."""
    computed, printed = identity.computed, identity.printed
    shown: Decimal | str  # a ratio's is its value and the interval of its roundings, as text
    shown, off, allowed = computed, printed - computed, identity.allowed
    if not identity.linear:
        places = _exponent(identity.result.value) - 1
        low, high = (_quantized(v, places) for v in (identity.low, identity.high))
        shown, off, allowed = (_quantized(v, places) for v in (computed, off, allowed))
        shown = f"{_show(shown)} ({low} to {high})" if low != high else _show(shown)
    bound = {"=": "", ">=": "at least ", "<=": "at most "}[identity.relation]
    return (f"{identity.what}: computed {_show(shown)}, printed {_show(identity.result.value)} (off by {_show(off)}, "
            f"{bound and 'it should be ' + bound + 'the computed value; '}rounding allows {_show(allowed)})")


def expected(identity: Identity):
    """The value of the printed figure that would fit: the computed side (less any ``plus`` figures), at
    the printed precision for a ratio."""
    value = identity.result.value + identity.computed - identity.printed
    if not identity.linear:
        value = _quantized(value, _exponent(identity.result.value))
    return value if identity.relation == "=" else f"{'at least' if identity.relation == '>=' else 'at most'} {_show(value)}"


def quantized_like(value: Decimal, printed):
    """``value`` to the printed precision of ``printed`` (an integer for a count)."""
    if isinstance(printed, Decimal):
        return _quantized(value, _exponent(printed))
    return int(value.to_integral_value())


def _quantized(value: Decimal, places: int) -> Decimal:
    try:
        return value.quantize(Decimal(1).scaleb(places))
    except ArithmeticError:
        return value


def _exponent(value) -> int:
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    return exponent if isinstance(exponent, int) else 0


def _show(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)
