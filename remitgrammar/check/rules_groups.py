"""RG331: what a report prints for a group of classes (Class A: A-1, A-2, A-3A) is the sum over its classes."""

from __future__ import annotations

import re

from ..formats.specs import field_info
from ..records import Key
from .registry import Context, class_path, number, rule


@rule("RG331", "class groups", "error",
      tolerance="half a unit of the last printed digit of the group's figure and of each class's",
      quirks="The group's classes are those whose name is the group's name followed by a dash or a digit "
             "(A-1, A-3B, A1 for Class A); a name that is itself a class is that class, not a group. Only "
             "fields whose entry says which class figure they are (`of_class:`) are checked.")
def class_groups(ctx: Context) -> None:
    """A figure a report prints for a group of classes outside the class table (the uses of funds'
    'Class A Interest', under ``class_amounts``), whose field entry in the format declares the class
    figure it is (``of_class: interest_distribution``), is the sum of that figure over the group's
    classes, for the deal and each loan group that prints one."""
    owners: list[tuple[str, tuple, dict]] = [("pool", ("pool",), ctx.record.get("pool") or {})]
    owners += [("collateral", ("collateral", Key(g)), v) for g, v in (ctx.record.get("collateral") or {}).items()]
    names = {e["class"] for e in ctx.classes}
    for section, prefix, owner in owners:
        for group, amounts in sorted((owner.get("class_amounts") or {}).items()):
            members = [e for e in ctx.classes if group not in names and _member(group, e["class"])]
            if members and isinstance(amounts, dict):
                _check(ctx, section, prefix + ("class_amounts", Key(group)), group, amounts, members)


def _member(group: str, name: str) -> bool:
    return bool(re.fullmatch(re.escape(group) + r"[-0-9][A-Za-z0-9-]{0,20}", name, re.IGNORECASE))


def _check(ctx: Context, section: str, path: tuple, group: str, amounts: dict, members: list) -> None:
    for name, printed in sorted(amounts.items()):
        target = _of_class(ctx.spec, section, name)
        if not target:
            continue
        values = [e.get(target) for e in members]
        if not number(printed) or not values or not all(number(v) for v in values):
            continue
        ctx.identity("RG331", path + (name,),
                     [(1, v, class_path(e["class"], target)) for e, v in zip(members, values, strict=True)],
                     printed, f"class group {group}: {name} is the sum of its classes' {target} "
                     f"({', '.join(e['class'] for e in members)})")


def _of_class(spec, section: str, name: str) -> str | None:
    for owner in (section, "pool"):  # a loan group's class amounts are declared with the deal's
        target = field_info(spec, owner, f"class_amounts.{name}").get("of_class")
        if isinstance(target, str):
            return target
    return None
