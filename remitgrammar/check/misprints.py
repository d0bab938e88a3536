"""Which number is wrong: the one printed number behind several failed identities."""

from __future__ import annotations

from decimal import Decimal

from .registry import Context, rule
from ..records import render_path


@rule("RG399", "likely misprint", "error",
      tolerance="the fitting values of the failed identities agree within the slack of each; every identity "
                "that held still holds with the new value",
      quirks="Runs after every other rule, over the identities they evaluated with the record paths of their "
             "numbers (most of RG301-RG323); a number a rule uses without its path (a default of zero) takes "
             "no part. A number in one failed identity only is not named: any of its numbers could be the "
             "wrong one. The 2002-HE1 November report's pool ending balance, 798,796,001.41, is named: "
             "798,796,001.15 makes both its RG305 and its RG310 hold.")
def likely_misprint(ctx: Context) -> None:
    """Where two or more failed identities share one printed number, and changing that number alone
    makes all of them hold (and breaks none that held), the number is named as the likely misprint,
    with the value that would fit."""
    failed: dict[tuple, list] = {}
    for identity in ctx.identities:
        if identity.failed:
            for path, fit in identity.cells():
                if path is not None:
                    failed.setdefault(path, []).append((identity, fit))
    # the same whatever order the rules gave their identities in (under any hash seed): numbers in the
    # order of their paths, each one's identities in the order of their code and text
    for path in sorted(failed, key=render_path):
        fits = sorted(failed[path], key=lambda fit: (fit[0].code, fit[0].what, fit[1]))
        identities = list({id(i): i for i, _ in fits}.values())
        value = fits[0][1]
        if len(identities) < 2 or not all(i.holds_with(path, value) for i in identities):
            continue
        held = [i for i in ctx.identities if not i.failed and _mentions(i, path)]
        if all(i.holds_with(path, value) for i in held):
            _report(ctx, path, value, identities, len(held))


def _mentions(identity, path: tuple) -> bool:
    return identity.result[1] == path or any(p == path for _, _, p in identity.terms)


def _report(ctx: Context, path: tuple, value: Decimal, identities: list, held: int) -> None:
    printed = _printed(identities[0], path)
    fit = value.quantize(printed) if isinstance(printed, Decimal) else value
    names = "; ".join(f"{i.code} {i.what}" for i in identities)
    ctx.finding("RG399", f"likely misprint: {render_path(path)} is printed {printed}; {fit} would make all "
                f"{len(identities)} failed identities hold ({names})"
                + (f" and keep the {held} that held" if held else ""),
                render_path(path), expected=fit, actual=printed,
                hint="check this figure against the servicer's data; the other findings follow from it")


def _printed(identity, path: tuple):
    if identity.result[1] == path:
        return identity.result[0]
    return next(v for _, v, p in identity.terms if p == path)
