"""Write a record as JSON, numbers exactly as printed (Decimal, never float)."""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal


def to_json(value, indent: int | None = 2) -> str:
    """Serialise a record; Decimal becomes a JSON number with its exact digits.

    Each Decimal is first written as a string only this call can produce (a random nonce behind a
    NUL, which ``json`` escapes), the standard encoder writes the rest, and the marked strings are
    then unquoted: the encoder's speed, the printed digits kept (0.00000000 stays 0.00000000).

    Args:
        value: dicts, lists, str, bool, None, int and Decimal.
        indent: spaces per level, or None for one line.

    Returns:
        The JSON text.
    """
    nonce = secrets.token_hex(8)
    text = json.dumps(_marked(value, f"\x00{nonce}:"), indent=indent, ensure_ascii=False)
    return re.sub(f'"\\\\u0000{nonce}:([-0-9.]*)\\\\u0000"', r"\1", text)


def _marked(value, marker: str):
    if isinstance(value, Decimal):
        return f"{marker}{value:f}\x00"
    if isinstance(value, dict):
        return {str(k): _marked(v, marker) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_marked(v, marker) for v in value]
    return value


def from_json(text: str):
    """Read JSON written by to_json back, every number as Decimal."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)
