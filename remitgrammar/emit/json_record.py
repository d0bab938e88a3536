"""Write a record as JSON, numbers exactly as printed (Decimal, never float)."""

from __future__ import annotations

import json
from decimal import Decimal


def _number(value: Decimal) -> str:
    # 'f' keeps the printed digits: 0.00000000 stays 0.00000000, not 0E-8.
    return format(value, "f")


def to_json(value, indent: int | None = 2, _level: int = 0) -> str:
    """Serialise a record; Decimal becomes a JSON number with its exact digits.

    Args:
        value: dicts, lists, str, bool, None, int and Decimal.
        indent: spaces per level, or None for one line.

    Returns:
        The JSON text.
    """
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dict):
        items = [f"{json.dumps(str(k))}: {to_json(v, indent, _level + 1)}" for k, v in value.items()]
        return _wrap("{", "}", items, indent, _level)
    if isinstance(value, (list, tuple)):
        return _wrap("[", "]", [to_json(v, indent, _level + 1) for v in value], indent, _level)
    return json.dumps(value, ensure_ascii=False)


def _wrap(open_: str, close: str, items: list[str], indent: int | None, level: int) -> str:
    if not items:
        return open_ + close
    if indent is None:
        return open_ + ", ".join(items) + close
    pad = " " * (indent * (level + 1))
    return open_ + "\n" + ",\n".join(pad + item for item in items) + "\n" + " " * (indent * level) + close


def from_json(text: str):
    """Read JSON written by to_json back, every number as Decimal."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)
