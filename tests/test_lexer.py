"""The line lexer (remitgrammar/parse/lexer.py) reads every text as lark's contextual lexer does:
the same tokens (type, value, line, column, end), the same lines skipped, the same errors, with each
terminal compiled once per format."""

from __future__ import annotations

import functools
import re
from copy import copy
from pathlib import Path

import pytest
from golden import intake
from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput
from lark.lark import PostLex
from lark.lexer import ContextualLexer, LexerState, LineCounter
from lark.utils import TextSlice

from remitgrammar.formats.resources import data_dir
from remitgrammar.formats.search import all_formats
from remitgrammar.parse import recover, tables, tree
from remitgrammar.parse.grammar import IGNORED, options_for, parser_extras, parser_for
from remitgrammar.parse.lexer import LineLexers

CORPUS = Path(__file__).resolve().parent / "corpus"
TEXTS = sorted(CORPUS.glob("*/*.txt"))
FORMATS = {spec.grammar_path.name: spec for spec in all_formats()}.values()  # one spec per grammar


def _text(path: Path) -> str:
    text = intake(path).text
    return text if text.endswith("\n") else text + "\n"


def _larks_own(spec):
    return _larks_parser(spec.grammar_path)


@functools.lru_cache(maxsize=None)
def _larks_parser(grammar: Path):
    """The format's parser as lark builds it from the tables, with lark's own contextual lexer."""
    extras = {k: v for k, v in parser_extras(grammar).items() if k != "_plugins"}
    parser = tables.load(grammar, options_for(grammar), extras)
    assert parser is not None and type(parser.parser.lexer.lexer) is ContextualLexer
    return parser


def _token(token) -> tuple:
    return (token.type, str(token), token.start_pos, token.line, token.column,
            token.end_line, token.end_column, token.end_pos)


def _tokens(value) -> list:
    if isinstance(value, Token):
        return [_token(value)]
    return [t for child in getattr(value, "children", ()) for t in _tokens(child)]


def _parsed(text: str, spec, parser, monkeypatch) -> tuple:
    """What ``parse_tree`` (lark's parse, else the careful parse) makes of ``text`` with ``parser``."""
    monkeypatch.setattr(tree, "parser_for", lambda _spec: parser)
    monkeypatch.setattr(recover, "parser_for", lambda _spec: parser)
    parsed = tree.parse_tree(text, spec)
    shape = parsed.tree if parsed.tree is None else _shape(parsed.tree)
    return (shape, _tokens(parsed.tree), [f.as_dict() for f in parsed.findings], parsed.skipped,
            [_token(t) for t in parsed.ignored])


def _shape(value):
    if isinstance(value, Tree):
        return str(value.data), [_shape(child) for child in value.children]
    return value.type


@pytest.mark.parametrize("spec", FORMATS, ids=lambda spec: spec.grammar_path.stem)
def test_every_parser_of_a_format_uses_the_line_lexer(spec):
    assert type(parser_for(spec).parser.lexer.lexer) is LineLexers


@pytest.mark.parametrize("spec", FORMATS, ids=lambda spec: spec.grammar_path.stem)
def test_every_text_parses_as_with_larks_lexer_under_every_format(spec, monkeypatch):
    """Every corpus text under every built-in format, its own and the others (lines that do not fit,
    the careful parse): the same tree, tokens with their positions, findings, skipped and ignored lines."""
    ours, larks = parser_for(spec), _larks_own(spec)
    for path in TEXTS:
        text = _text(path)
        assert _parsed(text, spec, ours, monkeypatch) == _parsed(text, spec, larks, monkeypatch), path.name


def _next(lexer, text: str, counter: LineCounter):
    state = LexerState(TextSlice(text, 0, len(text)), copy(counter))
    try:
        return _token(lexer.next_token(state, None)), state.line_ctr.char_pos
    except EOFError:
        return "end"
    except UnexpectedInput as exc:
        return type(exc).__name__, exc.line, exc.column, sorted(getattr(exc, "allowed", None) or ())


FIRST_TEXTS = [next(p for p in TEXTS if p.parent == folder) for folder in sorted({p.parent for p in TEXTS})]


@pytest.mark.parametrize("path", FIRST_TEXTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_state_reads_every_line_as_larks_lexer_does(path):
    """At the start of every line of a text of each format, the lexer of every parser state of the
    format (and the root lexer, which says what a skipped line reads as) reads the same token as
    lark's, or fails alike: what the careful parse may ask anywhere. (Every text is read as lark reads
    it under every format by the test above; a state's order of terminals is compared by the one below.)"""
    spec = next(s for s in FORMATS if s.grammar_path.stem == path.parent.name.replace("-", "_"))
    ours, larks = parser_for(spec).parser.lexer.lexer, _larks_own(spec).parser.lexer.lexer
    # states whose lexers try the same terminals in the same order read alike: one of them is asked
    pairs = {tuple(t.name for t in ours.lexers[state].terminals): (ours.lexers[state], larks.lexers[state])
             for state in ours.lexers}
    pairs["root"] = (ours.root_lexer, larks.root_lexer)
    text, counter = _text(path), LineCounter("\n")
    with IGNORED.collecting():
        for line in text.splitlines(keepends=True):
            for mine, theirs in pairs.values():
                assert _next(mine, text, counter) == _next(theirs, text, counter), (path.name, counter.line)
            counter.feed(line)


@pytest.mark.parametrize("spec", FORMATS, ids=lambda spec: spec.grammar_path.stem)
def test_every_state_tries_its_terminals_in_the_order_of_larks_union(spec):
    ours, larks = parser_for(spec).parser.lexer.lexer, _larks_own(spec).parser.lexer.lexer
    for state, lexer in [*ours.lexers.items(), ("root", ours.root_lexer)]:
        theirs = larks.root_lexer if state == "root" else larks.lexers[state]
        assert lexer.scanner.names == [t.name for t in theirs.scanner.terminals], state
        assert lexer.scanner.allowed_types == theirs.scanner.allowed_types
        assert lexer.callback.keys() == theirs.callback.keys()


def test_each_terminal_is_compiled_once_per_format(monkeypatch):
    """However many parser states read a report, a terminal's regex is compiled once (lark compiles it
    again in the union of every state that allows it)."""
    spec = next(s for s in FORMATS if s.grammar_path.stem == "usbank_absc_2003")
    compiled: list = []
    real = re.compile
    monkeypatch.setattr(re, "compile", lambda pattern, flags=0: compiled.append(pattern) or real(pattern, flags))
    parser = tables.load(spec.grammar_path, options_for(spec.grammar_path), parser_extras(spec.grammar_path))
    assert parser is not None
    monkeypatch.setattr(tree, "parser_for", lambda _spec: parser)
    monkeypatch.setattr(recover, "parser_for", lambda _spec: parser)
    for path in TEXTS:
        tree.parse_tree(_text(path), spec)
    regexps = {t.pattern.to_regexp() for t in parser.terminals}
    counts = {p: compiled.count(p) for p in regexps}
    assert max(counts.values()) == 1, counts
    assert all(p in regexps or len(p) < 300 for p in compiled)  # no union of terminals was compiled


# A grammar of crafted lines where more than one terminal reads a line: the order of lark's union
# (priority, then the longest match a terminal can make, then the longest pattern, then the name)
# decides, and a string terminal that a regexp of its priority reads whole is the string's type.
CRAFTED = r"""
start: item+
item: HIGH | LOW | LONGER | SHORTER | AB | AC | word_line | INDENTED | BLOCK | DEDENT
word_line: (WORD | LET | SHOUT)+ NL
HIGH.2: /\d+ high\n/
LOW: /\d+ [a-z]+\n/
LONGER: /=[a-z]{0,6}\n/
SHORTER: /=[a-z]{0,2}\n/
AB: /-b\n/
AC: /-.\n/
WORD: /[a-z]+/
LET: "let"
SHOUT: "go"i
NL: /\n/
INDENTED: /  +\S[^\n]*\n/
BLOCK: /begin\n(?:[^\n]*\n)*?end\n/
COMMENT: /#[^\n]*\n/
SP: / +/
%ignore COMMENT
%ignore SP
%declare DEDENT
"""

CRAFTED_TEXT = ("12 high\n12 low\n=abc\n=ab\n-b\n-c\nab\nlet it be\nlets GO Go go\n  indented\n"
                "# a comment\nbegin\none\ntwo\nend\nlet\n")


class _Dedents(PostLex):
    """A postlexer that adds a %declare'd terminal after every indented line (as an indenter does)."""

    always_accept = ()

    def process(self, stream):
        for token in stream:
            yield token
            if token.type == "INDENTED":
                yield Token.new_borrow_pos("DEDENT", "", token)


def _crafted_tokens(plugins: dict) -> tuple:
    ignored: list = []
    parser = Lark(CRAFTED, parser="lalr", lexer="contextual", postlex=_Dedents(), _plugins=plugins,
                  lexer_callbacks={"COMMENT": lambda t: ignored.append(t) or t})
    return _tokens(parser.parse(CRAFTED_TEXT)), [_token(t) for t in ignored], type(parser.parser.lexer.lexer)


def test_crafted_lines_read_as_larks_union_reads_them():
    mine, theirs = _crafted_tokens({"ContextualLexer": LineLexers}), _crafted_tokens({})
    assert (mine[2], theirs[2]) == (LineLexers, ContextualLexer)
    assert mine[:2] == theirs[:2]
    types = [(t[0], t[1]) for t in mine[0]]
    assert types[:6] == [("HIGH", "12 high\n"), ("LOW", "12 low\n"), ("LONGER", "=abc\n"), ("LONGER", "=ab\n"),
                         ("AB", "-b\n"), ("AC", "-c\n")]
    # the first terminal in the order that matches wins, not the longest match: WORD before AB's "ab\n"
    assert types[6:8] == [("WORD", "ab"), ("NL", "\n")]
    assert types[8:12] == [("LET", "let"), ("WORD", "it"), ("WORD", "be"), ("NL", "\n")]
    assert types[12:17] == [("WORD", "lets"), ("SHOUT", "GO"), ("SHOUT", "Go"), ("SHOUT", "go"), ("NL", "\n")]
    assert types[17:19] == [("INDENTED", "  indented\n"), ("DEDENT", "")]
    block = next(t for t in mine[0] if t[0] == "BLOCK")
    assert block[3:7] == (12, 1, 16, 1)  # a token of several lines: its lines counted, its end column
    assert [t[3] for t in mine[1]] == [11]  # the ignored comment line, seen by its callback


def test_a_line_no_terminal_reads_fails_as_with_larks_lexer():
    def error(plugins):
        parser = Lark(CRAFTED, parser="lalr", lexer="contextual", _plugins=plugins)
        with pytest.raises(UnexpectedInput) as caught:
            parser.parse("12 high\n%%%\n")
        return type(caught.value).__name__, caught.value.line, caught.value.column, str(caught.value)

    assert error({"ContextualLexer": LineLexers}) == error({})


def test_the_built_in_grammars_are_the_ones_tested():
    stems = {p.stem for p in data_dir("grammars").glob("*.lark")} - {"shared"}
    assert stems == {spec.grammar_path.stem for spec in FORMATS}
