"""Meta-tests of the format files: grammars compile and have samples, aliases resolve."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark

from remitgrammar.errors import ConfigError
from remitgrammar.formats.lint import _target_exists
from remitgrammar.detect.detection import detect
from remitgrammar.parse.grammar import parser_for
from remitgrammar.formats.resources import data_dir
from remitgrammar.formats.search import all_formats
from remitgrammar.formats.specs import build_alias_tables, canonical

ROOT = Path(__file__).resolve().parent.parent
FORMATS = all_formats()


def test_there_are_formats():
    assert {"usbank-absc-2002", "usbank-absc-2003"} <= {f.name for f in FORMATS}


@pytest.mark.parametrize("spec", FORMATS, ids=lambda s: s.name)
def test_grammar_compiles_lalr_and_opens_with_its_header(spec):
    parser = parser_for(spec)
    assert isinstance(parser, Lark) and parser.options.parser == "lalr"
    header = spec.grammar_path.read_text(encoding="utf-8").splitlines()[:8]
    for item in ("Family:", "Trustee:", "Sample:", "Start rule:"):
        assert any(item in line for line in header), f"{spec.grammar_path.name} header lacks {item}"


@pytest.mark.parametrize("spec", FORMATS, ids=lambda s: s.name)
def test_format_has_a_sample_in_the_corpus_that_it_detects(spec):
    sample = ROOT / spec.sample
    assert sample.parent == ROOT / "tests" / "corpus" / spec.name
    assert detect(sample.read_text(encoding="utf-8")) is spec
    assert sample.with_suffix(".expected.json").exists()


def test_every_grammar_file_belongs_to_a_format():
    used = {spec.grammar_path.name for spec in FORMATS} | {"shared.lark"}
    assert {p.name for p in data_dir("grammars").glob("*.lark")} == used


@pytest.mark.parametrize("spec", FORMATS, ids=lambda s: s.name)
def test_every_alias_resolves_to_a_canonical_field(spec):
    for scope, table in spec.aliases.items():
        targets = set(table.exact.values()) | {t for _, t in table.templates}
        for target in targets:
            assert _target_exists(scope, target, spec.fields), f"{scope}: unknown field {target}"


@pytest.mark.parametrize("spec", FORMATS, ids=lambda s: s.name)
def test_no_label_maps_to_two_fields_across_collateral_and_pool(spec):
    collateral = set(spec.table("rows.collateral").exact)
    pool = set(spec.table("rows.pool").exact)
    assert collateral & pool == set()


def test_a_label_mapped_to_two_fields_is_refused():
    doc = {"rows": {"pool": {"wac_pct": ["WAC"], "net_wac_pct": ["wac"]}}}
    with pytest.raises(ConfigError, match="maps to both"):
        build_alias_tables(doc, "test.yaml")


def test_canonical_fields_all_have_type_and_meaning():
    def walk(node, path):
        for name, value in node.items():
            if isinstance(value, dict) and not isinstance(value.get("type"), str):
                yield from walk(value, path + [name])
            elif isinstance(value, dict):
                yield path + [name], value
    for path, field in walk({k: v for k, v in canonical().items() if isinstance(v, dict)}, []):
        assert field.get("type") and field.get("meaning"), ".".join(path)


def test_building_a_parser_leaves_and_reads_nothing_in_the_shared_temp_dir(tmp_path, monkeypatch):
    """lark's cache=True pickles the parser into the temp dir and loads it unchecked: another user
    could plant code there. The parser is built in memory only."""
    import tempfile

    from remitgrammar.parse.grammar import _parser
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    _parser.cache_clear()
    parser_for(FORMATS[0])
    assert list(tmp_path.iterdir()) == []
