"""Golden corpus helpers: discovery, and checking an expected record against its source text.

How expected values are verified (not copied from the parser unchecked):
every expected file carries, beside the record, a provenance map from each
value's path to the line, column and text it was read from. ``verify`` then
checks, using only the source file and specs/canonical.yaml:

1. every value in the record has a provenance entry, and no entry is left over;
2. the text recorded for it stands in the source at that line and column;
3. converting that text by the field's canonical type gives exactly the value
   (numbers compared as Decimal, digit for digit; text values start with it);
4. every ``extra`` value stands on its stated line.

``tests/make_golden.py`` refuses to write an expected file that fails this, and
tests/test_corpus.py re-checks the committed files on every run. Which field a
value lands in was reviewed by hand against the report for each seed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from remitgrammar.build.record import Key, render_path
from remitgrammar.formats.specs import field_type
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


def expected_source(report: Path) -> dict:
    """The ``source`` block of a corpus record (path relative to the repository)."""
    import hashlib
    data = report.read_bytes()
    return {"path": relative(report), "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def relative(report: Path) -> str:
    """The report's path as recorded in ``source.path``."""
    return report.resolve().relative_to(ROOT).as_posix()


def leaves(record: dict):
    """Yield (path tuple, value) for every value of the record's data sections."""
    yield ("distribution_date",), record["distribution_date"]
    for name, value in record["filing"].items():
        yield ("filing", name), value
    for entry in record["classes"]:
        yield from _walk(("classes", Key(entry["class"])), entry)
    yield from _walk(("class_totals",), record["class_totals"])
    for group, fields in record["collateral"].items():
        yield from _walk(("collateral", Key(group)), fields)
    for group, buckets in record["delinquency"].items():
        for bucket, fields in buckets.items():
            yield from _walk(("delinquency", Key(group), Key(bucket)), fields)
    for name, value in record["pool"].items():
        if name == "class_rates_pct":
            for cls, rates in value.items():
                yield from _walk(("pool", "class_rates_pct", Key(cls)), rates)
        else:
            yield ("pool", name), value


def _walk(prefix: tuple, node: dict):
    for name, value in node.items():
        if isinstance(value, dict):
            yield from _walk(prefix + (name,), value)
        else:
            yield prefix + (name,), value


def kind_of(path: tuple) -> str:
    """The canonical type of a value path."""
    section = path[0]
    if section == "distribution_date":
        return "date"
    if section == "classes":
        return field_type("classes", ".".join(path[2:]))
    if section == "class_totals":
        return field_type("classes", ".".join(path[1:]))
    if section in ("collateral", "delinquency"):
        return field_type(section, path[-1])
    if section == "pool" and path[1] == "class_rates_pct":
        return field_type("pool", "class_rates_pct." + path[-1])
    return field_type(section, ".".join(path[1:]))


def verify(record: dict, provenance: dict, source_text: str) -> list[str]:
    """Check a record against its source text; return the problems (empty when sound)."""
    lines = source_text.splitlines()
    problems = []
    seen = set()
    for path, value in leaves(record):
        key = render_path(path)
        seen.add(key)
        where = provenance.get(key)
        if where is None:
            problems.append(f"{key}: no provenance")
            continue
        number, start = int(where["line"]), int(where["column"]) - 1
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        if line[start:start + len(where["text"])] != where["text"]:
            problems.append(f"{key}: '{where['text']}' is not at line {where['line']} column {where['column']}")
            continue
        problems.extend(_check_value(key, path, value, where["text"]))
    problems.extend(f"{k}: provenance for a value the record lacks" for k in set(provenance) - seen)
    for item in record["extra"]:
        number = int(item["line"])
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        problems.extend(f"extra {item['label']}: '{v}' not on line {item['line']}"
                        for v in item["values"] if v not in line)
    return problems


def _check_value(key: str, path: tuple, value, text: str) -> list[str]:
    kind = kind_of(path)
    if kind in ("text", "id") or (kind == "amount_or_text" and isinstance(value, str)):
        ok = isinstance(value, str) and value.startswith(" ".join(text.split()))
    else:
        converted = convert(text, kind)
        if isinstance(converted, bool) or converted is None or isinstance(converted, str):
            ok = converted == value
        else:  # numbers: the same digits, whether read back as int or Decimal
            ok = not isinstance(value, bool) and value is not None and \
                format(Decimal(value), "f") == format(Decimal(converted), "f")
    return [] if ok else [f"{key}: value {value!r} does not read from '{text}'"]
