"""RG330: the identities a format spec declares (formats/identities.py), evaluated on a record.

Every figure may be off by half a unit of its last printed digit; the identity is computed over
those intervals (interval arithmetic), and it fails only when no choice of the printed figures
within their rounding makes it hold. A sum-only identity also joins the misprint search (RG399).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..records import Key, render_path, value_at
from ..records import half_unit
from .registry import Context, number, rule

_WILD = "[*]"


@rule("RG330", "identities the format declares", "error",
      tolerance="half a unit of the last printed digit of every figure, carried through the arithmetic "
                "(the identity fails only when no rounding of the printed figures makes it hold)",
      quirks="Declared for one layout by its maintainer; an identity whose figures a report does not "
             "all print is not checked.")
def declared(ctx: Context) -> None:
    """Each identity a format spec lists under ``identities`` holds: the printed value is the sum of
    its terms, times the ``times`` figures, over the ``over`` figures, times ``scale``, and, with
    ``annualize``, compounded from a monthly to a yearly rate. A path with ``[*]`` is checked for
    every key (loan group, class) the value's section prints, the same key in every term."""
    for identity in getattr(ctx.spec, "identities", ()):
        for key in _keys(ctx.record, identity.value):
            _check(ctx, identity, key)


def _check(ctx: Context, identity, key) -> None:
    paths = {path: _bind(path, key) for path in identity.paths()}
    values = {path: value_at(ctx.record, bound) for path, bound in paths.items()}
    if not all(number(v) for v in values.values()):
        return
    result_path = paths[identity.value]
    printed = values[identity.value]
    if not identity.times and not identity.over and identity.annualize is None and identity.scale == 1:
        terms = [(sign, values[p], paths[p]) for sign, p in identity.terms]
        ctx.identity("RG330", result_path, terms, printed, identity.title)
        return
    low, high = _computed(identity, values)
    printed_low, printed_high = _interval(printed, 1)
    if low is None or printed_high >= low and printed_low <= high:
        return
    shown = Decimal(1).scaleb(_exponent(printed) - 1)  # one digit more than printed
    middle = (low + high) / 2
    ctx.finding("RG330", f"{identity.title}: computed {_range(low, high, shown)}, printed {printed}",
                render_path(result_path), expected=middle.quantize(Decimal(1).scaleb(_exponent(printed))),
                actual=printed)


def _computed(identity, values: dict) -> tuple:
    """The interval the identity's right side spans over the rounding of its figures (None: undefined)."""
    low = sum((_interval(values[p], sign)[0] for sign, p in identity.terms), Decimal(0))
    high = sum((_interval(values[p], sign)[1] for sign, p in identity.terms), Decimal(0))
    try:
        for path in identity.times:
            low, high = _product((low, high), _interval(values[path], 1))
        for path in identity.over:
            divisor = _interval(values[path], 1)
            if divisor[0] <= 0 <= divisor[1]:
                return None, None  # a divisor that may be zero determines nothing
            low, high = _product((low, high), (1 / divisor[1], 1 / divisor[0]))
        low, high = sorted((low * identity.scale, high * identity.scale))
        if identity.annualize is not None:
            low, high = _annualized(low, identity.annualize), _annualized(high, identity.annualize)
    except (InvalidOperation, OverflowError, ValueError, ArithmeticError):
        return None, None
    return low, high


def _interval(value, sign: int) -> tuple:
    """The values a printed figure may stand for: a count is exact, an amount is +- half its last digit."""
    half = half_unit(value) if isinstance(value, Decimal) else Decimal(0)
    return tuple(sorted((sign * (value - half), sign * (value + half))))


def _exponent(value) -> int:
    exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
    return exponent if isinstance(exponent, int) else 0


def _product(a: tuple, b: tuple) -> tuple:
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def _annualized(monthly_pct: Decimal, periods: int) -> Decimal:
    """A monthly rate in percent compounded over a year: CPR = 1 - (1 - SMM) ** 12."""
    rate = min(max(monthly_pct / 100, Decimal(0)), Decimal(1))
    return (1 - (1 - rate) ** periods) * 100


def _keys(record: dict, value_path: tuple) -> list:
    """The keys a ``[*]`` in the value path takes: those its section prints (one pass: no key)."""
    if _WILD not in value_path:
        return [None]
    node = value_at(record, value_path[:value_path.index(_WILD)])
    if isinstance(node, dict):
        return [k for k in node if isinstance(node[k], dict)]
    if isinstance(node, list):
        return [entry["class"] for entry in node if isinstance(entry, dict) and "class" in entry]
    return []


def _bind(path: tuple, key) -> tuple:
    """The path as the record renders it: keys as Key, ``[*]`` replaced by ``key``."""
    return tuple(Key(key if segment == _WILD else segment[1:-1]) if segment.startswith("[") else segment
                 for segment in path)


def _range(low: Decimal, high: Decimal, places: Decimal) -> str:
    low, high = low.quantize(places), high.quantize(places)
    return str(low) if low == high else f"{low} to {high}"
