"""Golden corpus helpers: discovery, and checking an expected record against its source text.

How expected values are verified (not copied from the parser unchecked):
every expected file carries, beside the record, a provenance map from each
value's path to the line, column and text it was read from. ``verify`` then
checks, using only the source file and specs/canonical.yaml:

1. every provenance entry names a value of the record, and the record holds as
   many values as there are entries;
2. the text recorded for it stands in the source at that line and column;
3. converting that text by the field's type (the format's own fields, then
   canonical.yaml) gives exactly the value (numbers compared as Decimal, digit for
   digit; text values start with it; a tier is its title or the key the format's
   rows.tiers gives that title);
4. every ``extra`` value stands on its stated line.

``tests/make_golden.py`` refuses to write an expected file that fails this, and
tests/test_corpus.py re-checks the committed files on every run. Which field a
value lands in was reviewed by hand against the report for each seed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from remitgrammar.records import DATA_SECTIONS, Key, field_names, parse_rendered
from remitgrammar.formats.search import get_format
from remitgrammar.formats.specs import field_info
from remitgrammar.parse.values import convert

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def corpus_files() -> list[Path]:
    """Every report of the golden corpus: tests/corpus/<format>/<name>.txt."""
    return sorted(CORPUS.glob("*/*.txt"))


def expected_path(report: Path) -> Path:
    """The expected JSON beside a report."""
    return report.with_suffix(".expected.json")


def findings_path(report: Path) -> Path:
    """The expected findings of `check` beside a report."""
    return report.with_suffix(".findings.json")


def findings_json(report: Path) -> str:
    """The findings of `check` on a report, as committed in its .findings.json."""
    import json

    from remitgrammar.pipeline import check_path
    findings = [f.as_dict() for f in check_path(report)]
    return json.dumps(findings, indent=2) + "\n"


def parse_report(report: Path):
    """Parse a corpus report as a user's run does, through intake: an EDGAR submission is
    unwrapped to its statement, and every line number in the record is the file's."""
    from remitgrammar.pipeline import parse_result
    return parse_result("", report=intake(report))


def intake(report: Path):
    """The report a corpus file holds, as intake hands it to the parser (its text is the
    statement alone when the file is an EDGAR submission; the tree's lines are its lines)."""
    from remitgrammar.intake.read import reports_in
    from remitgrammar.pipeline import is_statement
    return reports_in(report.read_bytes(), relative(report), is_statement)[0]


def expected_source(report: Path) -> dict:
    """The ``source`` block of a corpus record (path relative to the repository)."""
    import hashlib
    data = report.read_bytes()
    return {"path": relative(report), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def relative(report: Path) -> str:
    """The report's path as recorded in ``source.path``."""
    return report.resolve().relative_to(ROOT).as_posix()


SECTIONS = DATA_SECTIONS
parse_path = parse_rendered


def value_at(record: dict, path: tuple):
    """The record's value at a path, or KeyError."""
    node = record
    for segment in path:
        if isinstance(node, list):  # classes: the entry of that class
            node = next(e for e in node if e["class"] == segment)
        else:
            node = node[segment]
    return node


def count_leaves(record: dict) -> int:
    """How many values the record's data sections hold."""
    def count(node):
        if isinstance(node, dict):
            return sum(count(v) for v in node.values())
        if isinstance(node, list):
            return sum(count(v) for v in node)
        return 1
    return count([record.get(s, {}) for s in SECTIONS]) + (record["distribution_date"] is not None)


def kind_of(path: tuple, spec) -> str:
    """The type of a value path, from the format's own fields and canonical.yaml."""
    if path[0] == "distribution_date":
        return "date"
    return field_info(spec, *field_names(path))["type"]


def verify(record: dict, provenance: dict, source_text: str) -> list[str]:
    """Check a record against its source text; return the problems (empty when sound)."""
    spec = get_format(record["source"]["format"])
    lines = source_text.split("\n")  # not splitlines(): a form feed ends no line of the file
    problems = []
    for key, where in provenance.items():
        path, value = _printed_value(record, key, where)
        if path is None:
            problems.append(f"{key}: provenance for a value the record lacks")
            continue
        number, start = int(where["line"]), int(where["column"]) - 1
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        if line[start:start + len(where["text"])] != where["text"]:
            problems.append(f"{key}: '{where['text']}' is not at line {where['line']} column {where['column']}")
            continue
        problems.extend(_check_value(key, path, value, where["text"], spec))
    if count_leaves(record) != len(provenance):
        problems.append(f"the record holds {count_leaves(record)} values but provenance names {len(provenance)}")
    for item in record["extra"]:
        number = int(item["line"])
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        problems.extend(f"extra {item['label']}: '{v}' not on line {item['line']}"
                        for v in item["values"] if v not in line)
    return problems


def _printed_value(record: dict, key: str, where: dict) -> tuple:
    """(path, the value as printed: a deduction turned back) of a record path, or (None, None)."""
    path = parse_path(key)
    try:
        value = value_at(record, path)
    except (KeyError, StopIteration, TypeError):
        return None, None
    return path, (-value if where.get("negated") and value is not None else value)


def _check_value(key: str, path: tuple, value, text: str, spec) -> list[str]:
    kind = kind_of(path, spec)
    if path[-1] == "tier":  # the printed tier title, or the key the format's rows.tiers gives it
        ok = value == spec.table("rows.tiers").lookup(text)[0] or value == " ".join(text.split())
    elif kind in ("text", "id") or (kind == "amount_or_text" and isinstance(value, str)):
        ok = isinstance(value, str) and value.startswith(" ".join(text.split()))
    else:
        converted = convert(text, kind)
        if isinstance(converted, bool) or converted is None or isinstance(converted, str):
            ok = converted == value
        else:  # numbers: the same digits, whether read back as int or Decimal
            ok = not isinstance(value, bool) and value is not None and \
                format(Decimal(value), "f") == format(Decimal(converted), "f")
    return [] if ok else [f"{key}: value {value!r} does not read from '{text}'"]


def truth_problems(record: dict, provenance: dict, truth: dict) -> list[str]:
    """How a record departs from its sample's truth file: each figure the sample's author printed
    (record path -> text as printed) must be in the record at that path, read from that text."""
    spec = get_format(record["source"]["format"])
    problems = [] if record.get("distribution_date") == truth["distribution_date"] else \
        [f"distribution_date {record.get('distribution_date')} is not {truth['distribution_date']}"]
    for key, text in truth["values"].items():
        path, value = _printed_value(record, key, provenance.get(key, {}))
        if path is None:
            problems.append(f"{key}: not in the record ('{text}' printed)")
            continue
        problems.extend(_check_value(key, path, value, text, spec))
    return problems
