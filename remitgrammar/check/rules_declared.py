"""RG330: the identities a format spec declares (formats/identities.py), evaluated on a record.

Every figure may be off by half a unit of its last printed digit; the identity is computed over
those intervals (check/intervals.py, as every rule's), and it fails only when no choice of the
printed figures within their rounding makes it hold. Every one, a sum or a ratio, joins the
misprint search (RG399).
"""

from __future__ import annotations

from decimal import Decimal

from ..records import Key, half_unit, value_at
from .intervals import evaluate
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
    ``annualize``, compounded from a monthly to a yearly rate; an ``optional`` term is added where the
    report prints it, and a ``constant`` is added exactly; with ``either``, one of its sums holds; with
    ``relation`` (``at_most``, ``at_least``) the printed value is a bound on the rest, not equal to it.
    A path with ``[*]`` is checked for every key (loan group, class) the value's section prints, the
    same key in every term."""
    for identity in getattr(ctx.spec, "identities", ()):
        for key in _keys(ctx.record, identity.value):
            _check(ctx, identity, key)


def _check(ctx: Context, identity, key) -> None:
    if identity.average:
        _average(ctx, identity)
        return
    paths = {path: _bind(path, key) for path in identity.paths()}
    values = {path: value_at(ctx.record, bound) for path, bound in paths.items()}
    if not all(number(values[p]) for p in (identity.value,) + tuple(identity.times) + tuple(identity.over)):
        return
    optional: list[tuple] = [(sign, values[p], paths[p]) for sign, p in identity.optional if number(values[p])]
    if identity.constant:
        optional.append((1, identity.constant, None, Decimal(0)))  # exact: a number of the layout, not printed
    failed = []
    for terms in (identity.terms,) + tuple(identity.others):
        if not all(number(values[p]) for _, p in terms):
            continue  # a sum whose figures the report does not all print
        stated = evaluate("RG330", paths[identity.value], [(s, values[p], paths[p]) for s, p in terms] + optional,
                          values[identity.value], identity.title,
                          times=[(values[p], paths[p]) for p in identity.times],
                          over=[(values[p], paths[p]) for p in identity.over], scale=identity.scale,
                          annualize=identity.annualize, relation=identity.relation)
        if stated is not None and not stated.failed:
            ctx.state(stated)
            return
        failed += [stated] if stated is not None else []
    if failed:  # the alternative nearest to holding is the one reported
        ctx.state(min(failed, key=lambda i: abs(i.printed - i.computed)))


def _average(ctx: Context, identity) -> None:
    """value = sum(x_k * w_k) / sum(w_k) over the keys the averaged section prints, the value's own key
    left out (the TOTAL column), by one of the weightings listed. A weight is a balance whose rounding
    moves the average by far less than a unit of its last digit: the weights are taken as exact, each
    figure averaged keeps its rounding."""
    figures, *weightings = identity.average
    value_path = _bind(identity.value, None)
    value = value_at(ctx.record, value_path)
    keys = [k for k in _keys(ctx.record, figures) if Key(k) not in value_path]
    averaged = [value_at(ctx.record, _bind(figures, k)) for k in keys]
    if not number(value) or not keys or not all(number(x) for x in averaged):
        return
    failed = []
    for weights in weightings:
        stated = _weighted(identity, value_path, value, averaged,
                           [value_at(ctx.record, _bind(weights, k)) for k in keys])
        if stated is not None and not stated.failed:
            ctx.state(stated)
            return
        failed += [stated] if stated is not None else []
    if failed:
        ctx.state(min(failed, key=lambda i: abs(i.printed - i.computed)))


def _weighted(identity, value_path: tuple, value, averaged: list, weights: list):
    total = sum((w for w in weights if number(w)), Decimal(0))
    if not all(number(w) for w in weights) or total <= 0:
        return None
    terms = [(1, x * w, None, half_unit(x) * w if isinstance(x, Decimal) else Decimal(0))
             for x, w in zip(averaged, weights, strict=True)]  # one of each per key
    return evaluate("RG330", value_path, terms, value, identity.title, over=[(total, None, Decimal(0))])


def _keys(record: dict, value_path: tuple) -> list:
    """The keys a ``[*]`` in the value path takes: those its section prints (one pass: no key)."""
    if _WILD not in value_path:
        return [None]
    node = value_at(record, _bind(value_path[:value_path.index(_WILD)], None))  # collateral[total].class_amounts
    if isinstance(node, dict):
        return [k for k in node if isinstance(node[k], dict)]
    if isinstance(node, list):
        return [entry["class"] for entry in node if isinstance(entry, dict) and "class" in entry]
    return []


def _bind(path: tuple, key) -> tuple:
    """The path as the record renders it: keys as Key, ``[*]`` replaced by ``key``."""
    return tuple(Key(key if segment == _WILD else segment[1:-1]) if segment.startswith("[") else segment
                 for segment in path)
