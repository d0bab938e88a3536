"""Golden corpus: each report parses to its expected record, checked against the source.

tests/golden.py explains how every expected value is verified against the report
text; here the committed expected files are re-verified on every run, the parser
must reproduce them exactly, and no number printed in a report may be lost.
"""

from __future__ import annotations

from golden import expected_path, expected_source, relative, verify

from remitgrammar.emit.json_record import from_json, to_json
from remitgrammar.parse.grammar import short_name
from remitgrammar.parse.lines import expand
from remitgrammar.pipeline import parse_text
from remitgrammar.parse.values import split_row

# Line kinds whose first piece is a label even when it holds digits ("Grp 1").
_GROUP_LABEL_TERMINALS = {"GROUP_ROWS"}
# Line kinds that are cover or signature text: every digit-bearing piece counts.
_ROW_TERMINALS = {"CLASS_ROWS", "TOTAL_ROW", "VALUE_ROWS", "LABEL_ROWS", "SUBLABEL_ROW",
                  "CONTINUATION_ROW", "GROUP_ROWS", "BUCKET_ROWS", "STATUS_ROWS", "TEXT_VALUE_ROW"}


def _parse(report):
    text = report.read_text(encoding="utf-8")
    return text, parse_text(text, relative(report), source=expected_source(report))


def test_expected_file_is_verified_against_source(report):
    expected = from_json(expected_path(report).read_text(encoding="utf-8"))
    provenance = expected.pop("provenance")
    problems = verify(expected, provenance, report.read_text(encoding="utf-8"))
    assert problems == []


def test_parse_reproduces_expected(report):
    _, result = _parse(report)
    produced = to_json({**result.record, "provenance": result.provenance})
    assert produced + "\n" == expected_path(report).read_text(encoding="utf-8")


def _token_parents(tree):
    """Yield (token, rule name of its parent) for every token of the tree."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in node.children:
            if hasattr(child, "children"):
                stack.append(child)
            else:
                yield child, short_name(str(node.data))


def _value_pieces(token):
    """The digit-bearing value pieces of one line of a token, with their columns."""
    first_line = str(token)
    kind = token.type
    if kind in _ROW_TERMINALS:
        _, cells = split_row(first_line, token.line, token.column)
        if kind in _GROUP_LABEL_TERMINALS:
            cells = cells[1:]
        return [c for c in cells if any(ch.isdigit() for ch in c.text)]
    if kind in ("HEADING", "GROUP_HEADER", "DELINQUENCY_SERVICERS", "NOTE_LINE", "NOTE_TEXT") \
            or kind.endswith("_TITLE") or kind.endswith("_CAPTION"):
        return []  # headings: labels, not values
    pieces, col = [], 0
    for word in first_line.split():
        col = first_line.index(word, col)
        if any(ch.isdigit() for ch in word):
            pieces.append((word, col + 1))
        col += len(word)
    return [type("P", (), {"text": w, "line": token.line, "column": c})() for w, c in pieces]


def _value_at(record: dict, path: str):
    """The filing value a provenance path names (joined values live under ``filing``)."""
    section, name = path.split(".", 1)
    return record[section][name]


def test_nothing_printed_is_lost(report):
    """Every digit-bearing value of every line is in a field or in extra."""
    _, result = _parse(report)
    lost = _lost(result)
    assert lost == [], "\n".join(lost)


def test_lost_value_check_can_fail():
    """Dropping one value's provenance, or one extra entry, makes the check above fail."""
    from golden import corpus_files
    _, result = _parse(corpus_files()[0])
    result.provenance.pop("pool.wam_months")
    result.record["extra"] = [e for e in result.record["extra"] if e["label"] != "Item 1: Legal Proceedings"]
    lost = _lost(result)
    assert any(item.endswith(": 341") for item in lost)
    assert any(item.endswith(": 1:") for item in lost)


def _lost(result) -> list[str]:
    spec = result.spec
    spans, joined = {}, {}
    for path, where in result.provenance.items():
        spans.setdefault(where["line"], []).append((where["column"], where["column"] + len(where["text"])))
        for line in range(where["line"] + 1, where.get("end_line", where["line"]) + 1):
            joined.setdefault(line, []).append(str(_value_at(result.record, path)))
    extras = {}
    for item in result.record["extra"]:
        extras.setdefault(item["line"], []).extend(item["values"] + [item["label"]])
    lost = []
    for token, parent in _token_parents(result.tree):
        if parent in spec.boilerplate_rules or short_name(token.type) in spec.boilerplate_terminals:
            continue
        for piece in (p for row in expand(token) for p in _value_pieces(row)):
            inside = any(a <= piece.column and piece.column + len(piece.text) <= b
                         for a, b in spans.get(piece.line, ()))
            in_extra = any(piece.text.strip(".,:") in v
                           for v in extras.get(piece.line, []) + joined.get(piece.line, []))
            if not (inside or in_extra):
                lost.append(f"line {piece.line} col {piece.column}: {piece.text}")
    return lost


def test_every_line_is_matched_by_a_named_rule(report):
    """Each non-blank line starts a token of the tree (blank lines fold into the one above)."""
    text, result = _parse(report)
    starts = {token.line for token, _ in _token_parents(result.tree)}
    ends = set()
    for token, _ in _token_parents(result.tree):
        ends.update(range(token.line, token.line + str(token).count("\n")))
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            assert number in starts or number in ends, f"line {number} not covered: {line!r}"
