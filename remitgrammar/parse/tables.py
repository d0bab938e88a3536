"""Prebuilt LALR tables of the built-in grammars, so that a one-file run does not build a parser.

Building a grammar's parser (reading the .lark files, the LALR analysis) takes a fifth to half a
second, longer than parsing a report. The tables lark builds are plain data: they are written once,
as JSON beside each built-in grammar (``grammars/<name>.tables.json``), shipped in the package, and
read at start-up instead. JSON, not lark's own ``save`` (a pickle): reading it runs no code.

Each file carries a fingerprint of what it was built from: the grammar, the shared.lark it
imports, the parser options and lark's version. A file whose fingerprint does not match is
ignored and the parser is built as before; nothing is ever wrong, only slower. After editing a
built-in grammar, write its tables again (a test fails while they are stale):

    python tests/make_tables.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from ..formats.resources import data_dir

SUFFIX = ".tables.json"
MAX_BYTES = 4 * 1024 * 1024  # a tables file is about 70 kB; anything far larger is not one of ours
_PAIRS = "\u0000pairs"  # a mapping whose keys JSON cannot hold (numbers, tuples), as [key, value] pairs


def tables_path(grammar: Path) -> Path:
    return grammar.with_name(grammar.stem + SUFFIX)


def fingerprint(grammar: Path, options: dict) -> str:
    """What the tables of ``grammar`` depend on, hashed."""
    digest = hashlib.sha256()
    for part in (grammar.read_bytes(), (data_dir("grammars") / "shared.lark").read_bytes(),
                 repr(sorted(options.items())).encode(), lark.__version__.encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def load(grammar: Path, options: dict, extras: dict | None = None) -> Lark | None:
    """The parser of a built-in grammar from its tables; None when it has none or they are stale."""
    path = tables_path(grammar)
    if grammar.parent != data_dir("grammars") or not path.is_file() or path.stat().st_size > MAX_BYTES:
        return None
    try:
        stored = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode_pairs)
        if stored.get("fingerprint") != fingerprint(grammar, options):
            return None
        return Lark._load_from_dict(stored["data"], stored["memo"], **(extras or {}))
    except TimeoutError:  # the per-report time limit (corpus.deadline) struck here: it is not damage
        raise
    except Exception:  # noqa: BLE001  (any damage to the file: build the parser instead)
        return None


def write(grammar: Path, parser: Lark, options: dict) -> Path:
    """Write the tables of ``parser``, built from ``grammar`` with ``options``."""
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {**data["options"], "import_paths": []}  # where it was built: not needed, not shipped
    stored = {"fingerprint": fingerprint(grammar, options), "data": _encode(data), "memo": _encode(memo)}
    path = tables_path(grammar)
    path.write_text(json.dumps(stored, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    return path


def _encode(value):
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {_PAIRS: [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode_pairs(mapping: dict):
    if len(mapping) == 1 and _PAIRS in mapping:
        return {tuple(k) if isinstance(k, list) else k: v for k, v in mapping[_PAIRS]}
    return mapping
