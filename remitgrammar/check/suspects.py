"""What a month keeps of its report's own arithmetic for the misprint search across months (RG407):
the identities over one report that mention a figure some failed identity holds, as plain JSON data
(a month goes through a spill file), and back. A clean report keeps none."""

from __future__ import annotations

from decimal import Decimal

from ..records import render_path
from .intervals import Figure, Identity

_DECIMALS = ("scale", "widen", "low", "high", "printed_low", "printed_high")


def suspects_of(identities) -> tuple[list, dict]:
    """(the identities kept, as data; rendered path -> indexes of those that mention it) for every figure
    of a failed identity."""
    identities = list(identities or ())
    paths = sorted({render_path(f.path) for i in identities if i.failed for f in i.figures() if f.path is not None})
    if not paths:
        return [], {}
    wanted = set(paths)
    kept = [i for i in identities if any(f.path is not None and render_path(f.path) in wanted for f in i.figures())]
    index: dict[str, list[int]] = {}
    for position, identity in enumerate(kept):
        for f in identity.figures():
            if f.path is not None and render_path(f.path) in wanted:
                index.setdefault(render_path(f.path), []).append(position)
    return [_out(i) for i in kept], {path: sorted(set(found)) for path, found in index.items()}


def identity_in(data: list) -> Identity:
    """An identity from its data; its figures' paths are rendered paths (strings)."""
    code, what, result, terms, times, over, plus, annualize, relation, decimals = data
    return Identity(code, what, _figure_in(result), tuple((s, _figure_in(f)) for s, f in terms),
                    tuple(map(_figure_in, times)), tuple(map(_figure_in, over)),
                    tuple((s, _figure_in(f)) for s, f in plus), annualize=annualize, relation=relation,
                    **{k: Decimal(v) for k, v in zip(_DECIMALS, decimals, strict=True)})


def _out(identity: Identity) -> list:
    return [identity.code, identity.what, _figure_out(identity.result),
            [[s, _figure_out(f)] for s, f in identity.terms], [_figure_out(f) for f in identity.times],
            [_figure_out(f) for f in identity.over], [[s, _figure_out(f)] for s, f in identity.plus],
            identity.annualize, identity.relation, [str(getattr(identity, k)) for k in _DECIMALS]]


def _figure_out(figure: Figure) -> list:
    value = {"decimal": str(figure.value)} if isinstance(figure.value, Decimal) else figure.value
    return [value, None if figure.path is None else render_path(figure.path), str(figure.half)]


def _figure_in(data: list) -> Figure:
    value, path, half = data
    return Figure(Decimal(value["decimal"]) if isinstance(value, dict) else value, path, Decimal(half))
