"""Write a record as JSON, numbers exactly as printed (Decimal, never float)."""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal

_CONTAINERS = (dict, list, tuple)
_quoted = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
# what ensure_ascii=False leaves raw and a consumer should not meet raw: DEL and C1 controls (a terminal
# obeys them), line separators, lone surrogates (a file name that is not UTF-8: no UTF-8 file or pipe
# takes them); outside a string JSON text is ASCII, so each is a character of a string
_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def to_json(value, indent: int | None = 2) -> str:
    """Serialise a record; Decimal becomes a JSON number with its exact digits.

    Each Decimal is first written as a string only this call can produce (a random nonce behind a
    NUL, which ``json`` escapes), and the marked strings are then unquoted: the printed digits
    kept (0.00000000 stays 0.00000000). With an indent the layout is ``json.dumps``'s, except that
    a list of flat records (``extra`` entries, findings: dicts of scalars and lists of scalars)
    has one record a line, as JSON lines do: readable, and each is one call of the standard
    library's C encoder (``json.dumps`` indents in Python: 100,000 ``extra`` entries took 2 s).
    The innermost containers go through the C encoder too.

    Args:
        value: dicts, lists, str, bool, None, int and Decimal.
        indent: spaces per level, or None for one line.

    Returns:
        The JSON text, which any UTF-8 file takes: DEL, C1 controls, line separators and lone
        surrogates (a file name that is not UTF-8) are written as ``\\uXXXX``.
    """
    nonce = secrets.token_hex(8)
    # None: one line, written by the encoder alone, which never reads the indent
    writer = _Writer(f"\x00{nonce}:", 0 if indent is None else indent)
    if indent is None:
        text = writer.encoder(", ").encode(value)
    else:
        chunks: list[str] = []
        writer.write(value, 0, chunks)
        text = "".join(chunks)
    text = re.sub(f'"\\\\u0000{nonce}:([-0-9.]*)\\\\u0000"', r"\1", text)
    # escaped as \\uXXXX, which json.loads reads back to the same string (os.fsencode gives the
    # name's bytes back)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Writer:
    """Indented JSON: containers that hold containers here, the rest by the C encoder."""

    def __init__(self, marker: str, indent: int):
        self.marker, self.indent = marker, indent
        self.by_depth: dict = {}

    def exact(self, value):
        if isinstance(value, Decimal):
            return f"{self.marker}{value:f}\x00"
        raise TypeError(f"{type(value).__name__} cannot be written as JSON")

    def encoder(self, item_separator: str) -> json.JSONEncoder:
        return json.JSONEncoder(ensure_ascii=False, separators=(item_separator, ": "), default=self.exact)

    def write(self, value, depth: int, out: list) -> None:
        """Append ``value`` as ``json.dumps(value, indent=...)`` writes it at ``depth``."""
        if not isinstance(value, _CONTAINERS):
            out.append(self._scalar(value))
            return
        if not value:
            out.append("{}" if isinstance(value, dict) else "[]")
            return
        items = value.values() if isinstance(value, dict) else value
        inner = "\n" + " " * (self.indent * (depth + 1))
        outer = "\n" + " " * (self.indent * depth)
        if not any(isinstance(item, _CONTAINERS) for item in items):
            # one C call writes the items one to a line; only the brackets need their own lines
            text = self._leaf_encoder(depth).encode(value)
            out.append(text[0] + inner + text[1:-1] + outer + text[-1])
            return
        is_dict = isinstance(value, dict)
        if not is_dict and all(isinstance(item, dict) and not any(_nested_in(v) for v in item.values())
                               for item in value):
            # records of one kind (extra entries, findings): one a line, as JSON lines are
            line = self._leaf_encoder(None).encode
            out.append("[" + inner + ("," + inner).join(line(item) for item in value) + outer + "]")
            return
        out.append("{" if is_dict else "[")
        for index, item in enumerate(value.items() if isinstance(value, dict) else value):
            out.append(("," if index else "") + inner)
            if is_dict:
                out.append(_quoted(str(item[0])) + ": ")
                item = item[1]
            self.write(item, depth + 1, out)
        out.append(outer + ("}" if is_dict else "]"))

    def _scalar(self, value) -> str:
        if isinstance(value, str):
            return _quoted(value)
        if type(value) is int:  # noqa: E721 - not bool, which json writes as true/false
            return str(value)
        if isinstance(value, Decimal) and value.is_finite():
            return f"{value:f}"
        return self._leaf_encoder(0).encode(value)  # None, bool: rare outside leaves

    def _leaf_encoder(self, depth: int | None) -> json.JSONEncoder:
        """The C encoder writing items one a line at ``depth`` (None: all on one line)."""
        found = self.by_depth.get(depth)
        if found is None:
            separator = ", " if depth is None else ",\n" + " " * (self.indent * (depth + 1))
            found = self.by_depth[depth] = self.encoder(separator)
        return found


def _nested_in(value) -> bool:
    """Whether a value is a dict, or a list that holds a container."""
    return isinstance(value, dict) or isinstance(value, (list, tuple)) and any(
        isinstance(item, _CONTAINERS) for item in value)


def from_json(text: str):
    """Read JSON written by to_json back, every number as Decimal."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)
