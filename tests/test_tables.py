"""The prebuilt parse tables shipped beside the built-in grammars (remitgrammar/parse/tables.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from golden import intake
from lark.exceptions import LarkError

from remitgrammar.formats.resources import data_dir
from remitgrammar.parse import tables
from remitgrammar.parse.grammar import build, options_for

GRAMMARS = sorted(g for g in data_dir("grammars").glob("*.lark") if g.name != "shared.lark")
CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.mark.parametrize("grammar", GRAMMARS, ids=[g.stem for g in GRAMMARS])
def test_every_built_in_grammar_ships_fresh_tables(grammar):
    """A stale table costs every one-file run a parser build: run tests/make_tables.py."""
    assert tables.load(grammar, options_for(grammar)) is not None, \
        f"{tables.tables_path(grammar).name} is missing or stale: run python tests/make_tables.py"


@pytest.mark.parametrize("grammar", GRAMMARS, ids=[g.stem for g in GRAMMARS])
def test_tables_parse_like_the_grammar_they_come_from(grammar):
    options = options_for(grammar)
    loaded, built = tables.load(grammar, options), build(grammar, options)
    samples = [p for p in CORPUS.glob("*/*.txt") if p.parent.name.replace("-", "_") == grammar.stem]
    assert samples
    for sample in samples:
        text = intake(sample).text + "\n"
        assert _outcome(loaded, text) == _outcome(built, text)


def _outcome(parser, text: str):
    """The tree, or where and why lark's own parser stops (a sample may need the careful parse)."""
    try:
        return parser.parse(text, start="start")
    except LarkError as exc:
        return type(exc).__name__, getattr(exc, "line", None), getattr(exc, "column", None)


@pytest.fixture
def own_grammars(tmp_path, monkeypatch):
    """A copy of the built-in grammars that tables.py takes for the built-in directory."""
    copy = tmp_path / "grammars"
    shutil.copytree(data_dir("grammars"), copy)
    monkeypatch.setattr(tables, "data_dir", lambda name: copy)
    return copy


def test_tables_of_an_edited_grammar_are_ignored(own_grammars):
    grammar = own_grammars / "usbank_absc_2003.lark"
    assert tables.load(grammar, options_for(grammar)) is not None
    grammar.write_text(grammar.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
    assert tables.load(grammar, options_for(grammar)) is None
    options = options_for(grammar)
    tables.write(grammar, build(grammar, options), options)
    assert tables.load(grammar, options) is not None


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"fingerprint": 1}', "\u0000" * 10])
def test_a_damaged_tables_file_means_a_build_not_an_error(own_grammars, damage):
    grammar = own_grammars / "usbank_absc_2002.lark"
    tables.tables_path(grammar).write_text(damage, encoding="utf-8")
    assert tables.load(grammar, options_for(grammar)) is None


def test_tables_are_read_only_beside_the_built_in_grammars(tmp_path):
    """A formats directory's grammar is built: its directory is the user's, not the package's."""
    grammar = tmp_path / "usbank_absc_2003.lark"
    shutil.copy(data_dir("grammars") / grammar.name, grammar)
    shutil.copy(tables.tables_path(data_dir("grammars") / grammar.name), tables.tables_path(grammar))
    assert tables.load(grammar, options_for(grammar)) is None


def test_the_time_limit_striking_while_tables_load_is_not_taken_for_damage(monkeypatch):
    """A report's time limit raises TimeoutError wherever it strikes; reading tables must let it through."""
    grammar = GRAMMARS[0]

    def expire(*args, **kwargs):
        raise TimeoutError

    monkeypatch.setattr(tables.json, "loads", expire)
    with pytest.raises(TimeoutError):
        tables.load(grammar, options_for(grammar))
