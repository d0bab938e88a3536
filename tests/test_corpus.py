"""Golden corpus: each report parses to its expected record, checked against the source.

tests/golden.py explains how every expected value is verified against the report
text; here the committed expected files are re-verified on every run, the parser
must reproduce them exactly, and no number printed in a report may be lost.
"""

from __future__ import annotations

import json

import pytest
from golden import corpus_files, expected_path, intake, parse_report, truth_problems, verify

from remitgrammar.check.coverage import coverage
from remitgrammar.emit.json_record import from_json, to_json
from remitgrammar.parse.grammar import short_name
from remitgrammar.pipeline import parse_result



def _parse(report):
    return report.read_text(encoding="utf-8"), parse_report(report)


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
    result = parse_result(text, "renamed.txt")
    assert coverage(result).extra == 1 and coverage(result).lost == []
    result.accounting = replace(result.accounting, extra_cells=frozenset())
    assert len(coverage(result).lost) == 1


def test_every_line_is_matched_by_a_named_rule(report):
    """Each non-blank line is in a token of the tree, or in a line the grammar ignores by name (a rule,
    a page number, a running head): none is skipped (blank lines fold into the one above)."""
    text, result = intake(report).text, parse_report(report)
    tokens = [token for token, _ in _token_parents(result.tree)] + list(result.ignored)
    starts = {token.line for token in tokens}
    ends = set()
    for token in tokens:
        ends.update(range(token.line, token.line + str(token).count("\n")))
    for number, line in enumerate(text.split("\n"), 1):  # a form feed ends no line
        if line.strip():
            assert number in starts or number in ends, f"line {number} not covered: {line!r}"


SAMPLES = [p for p in corpus_files() if p.with_name(p.stem + ".truth.json").exists()]


@pytest.mark.parametrize("sample", SAMPLES, ids=[f"{p.parent.name}/{p.stem}" for p in SAMPLES])
def test_a_sample_reads_as_its_author_wrote_it(sample):
    """A sample written for the corpus comes with the figures its author printed in it, by field
    (<name>.truth.json, written with the sample before any format read it): every one is in the
    record, at that path, read from that text."""
    truth = json.loads(sample.with_name(sample.stem + ".truth.json").read_text(encoding="utf-8"))
    result = parse_report(sample)
    assert truth_problems(result.record, result.provenance, truth) == []


def test_the_truth_check_can_fail():
    """A figure filed under another field, or read as another number, is reported."""
    sample = SAMPLES[0]
    truth = json.loads(sample.with_name(sample.stem + ".truth.json").read_text(encoding="utf-8"))
    result = parse_report(sample)
    path, text = next((k, v) for k, v in truth["values"].items() if k.endswith("ending_balance"))
    moved = {"distribution_date": truth["distribution_date"], "values": {path.replace("ending", "beginning"): text}}
    assert truth_problems(result.record, result.provenance, moved)
    wrong = {"distribution_date": "1999-01-01", "values": {}}
    assert truth_problems(result.record, result.provenance, wrong)
