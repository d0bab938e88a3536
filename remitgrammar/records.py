"""What every stage knows about canonical records: paths, field types, half units, walkers.

A record path is a tuple of segments: names of fields and ``Key`` segments for data keys
(a class, a loan group, a bucket). Rendered, names join with dots and keys stand in brackets:
``('classes', Key('A-1'), 'ending_balance')`` is ``classes[A-1].ending_balance``. The assemble
stage writes values under such paths, provenance and findings name them, ``check`` reads them
back, and the exports and tests walk them.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Any

SCHEMA_ID = "remitgrammar/1"
# Value columns other than the current period put their values under these keys
# (pool.prior.<field>); rows.periods aliases name them.
PERIODS = ("prior", "next", "threshold")
DATA_SECTIONS = ("filing", "classes", "class_totals", "tier_totals", "collateral", "delinquency", "pool")


class Key(str):
    """A path segment that is a data key (a class, a loan group), shown as ``[key]``."""


@functools.lru_cache(maxsize=8192)
def render_path(path: tuple) -> str:
    """``('classes', Key('A-1'), 'ending_balance')`` -> ``classes[A-1].ending_balance``."""
    out = ""
    for segment in path:
        if isinstance(segment, Key):
            out += f"[{segment}]"
        else:
            out += ("." if out else "") + segment
    return out


_SEGMENT = re.compile(r"\[([^\]]*)\]|\.?([^.\[]+)")


def parse_rendered(rendered: str) -> tuple:
    """``classes[A-1].per_1000.interest`` -> ('classes', Key('A-1'), 'per_1000', 'interest')."""
    return tuple(name if name else Key(key) for key, name in _SEGMENT.findall(rendered))


def value_at(record: dict, path: tuple):
    """The value at a record path of a finished record, whose classes are a list found by name;
    None where there is none."""
    node: Any = record
    for segment in path:
        if isinstance(node, list):
            node = next((e for e in node if isinstance(e, dict) and e.get("class") == segment), None)
        elif isinstance(node, dict):
            node = node.get(segment)
        else:
            return None
    return node


def leaves(node, keys: tuple = ()):
    """(path, value) of every value below a mapping, depth first, in the mapping's order."""
    for key, value in node.items():
        if isinstance(value, dict):
            yield from leaves(value, keys + (key,))
        else:
            yield keys + (key,), value


def field_names(path: tuple) -> tuple[str, str]:
    """(section the field is defined under, field name) of a value path, for a type lookup:
    class totals are class fields, a period's value (``pool.prior.x``) is the field's own, and
    a delinquency measure is the last name."""
    section, names = path[0], [s for s in path[1:] if not isinstance(s, Key)]
    if names and names[0] in PERIODS:
        names = names[1:]
    if section in ("class_totals", "tier_totals"):
        section = "classes"
    if section == "delinquency":
        names = names[-1:]
    return section, ".".join(names)


_HALVES: dict = {}  # id(value) -> (value, half unit); `check` asks again and again about the same figures
MAX_HALVES = 8192


def half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last printed digit: 0.5 for ``5,019,904``, 0.005 for ``3692057.39``."""
    # Keyed by identity, not value: 1.0 and 1.00 are equal but printed to different digits. The
    # cache holds the value itself, so no other object can take its id while it is cached.
    known = _HALVES.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    exponent = value.as_tuple().exponent
    half = Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) else Decimal(0)
    if len(_HALVES) >= MAX_HALVES:
        _HALVES.clear()
    _HALVES[id(value)] = (value, half)
    return half
