"""Golden corpus: each report parses to its expected record, checked against the source.

tests/golden.py explains how every expected value is verified against the report
text; here the committed expected files are re-verified on every run, the parser
must reproduce them exactly, and no number printed in a report may be lost.
"""

from __future__ import annotations

from golden import expected_path, expected_source, relative, verify

from remitgrammar.check.coverage import coverage
from remitgrammar.emit.json_record import from_json, to_json
from remitgrammar.parse.grammar import short_name
from remitgrammar.pipeline import parse_text



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


def test_nothing_printed_is_lost(report):
    """Every number printed in a data section is in a canonical field or in extra."""
    _, result = _parse(report)
    found = coverage(result)
    assert found.lost == []
    assert found.canonical_pct >= 95, found.as_dict()


def test_lost_value_check_can_fail():
    """Dropping one value's provenance, or one extra entry's cells, makes the check above fail."""
    from dataclasses import replace

    from golden import corpus_files
    seed_2002 = next(p for p in corpus_files() if p.parent.name == "usbank-absc-2002")
    _, result = _parse(seed_2002)
    where = result.provenance.pop("pool.wam_months")
    assert coverage(result).lost == [(where["line"], where["column"], where["text"])]
    text = corpus_files()[-1].read_text(encoding="utf-8").replace("Agg End Coll Bal", "Agg Collateral At End")
    result = parse_text(text, "renamed.txt")
    assert coverage(result).extra == 1 and coverage(result).lost == []
    result.accounting = replace(result.accounting, extra_cells=frozenset())
    assert len(coverage(result).lost) == 1


def test_every_line_is_matched_by_a_named_rule(report):
    """Each non-blank line is in a token of the tree, or in a line the grammar ignores by name (a rule,
    a page number, a running head): none is skipped (blank lines fold into the one above)."""
    text, result = _parse(report)
    tokens = [token for token, _ in _token_parents(result.tree)] + list(result.ignored)
    starts = {token.line for token in tokens}
    ends = set()
    for token in tokens:
        ends.update(range(token.line, token.line + str(token).count("\n")))
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            assert number in starts or number in ends, f"line {number} not covered: {line!r}"
