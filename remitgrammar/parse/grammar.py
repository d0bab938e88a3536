"""Build the LALR parsers from the grammar files and parse a report with its format's grammar."""

from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path

from lark import Lark
from lark.lark import PostLex
from lark import lexer as lark_lexer
from lark.exceptions import GrammarError, LarkError

from ..errors import ConfigError

from ..formats.resources import data_dir
from ..formats.specs import FormatSpec
from . import tables

# What a user reads instead of a terminal's name.
TERMINAL_WORDS = {
    "HEADING": "a line of column headings or a section title",
    "CLASS_ROWS": "a class row (class name, then values)",
    "TOTAL_ROW": "the Total row",
    "VALUE_ROWS": "a row of values without a label",
    "LABEL_ROWS": "a label followed by values",
    "SUBLABEL_ROW": "a label, a sub-label, then a value",
    "CONTINUATION_ROW": "the indented second line of a two-line value",
    "TEXT_VALUE_ROW": "a label followed by a text value",
    "GROUP_HEADER": "the loan group headings (GROUP 1, GROUP 2, TOTAL)",
    "GROUP_ROWS": "a loan group row (Grp 1, then a value)",
    "BUCKET_ROWS": "a delinquency row (30-59 days, then values)",
    "STATUS_ROWS": "a loan status row (Foreclosure, Bankruptcy, REO..., then values)",
    "NOTE_LINE": "the '*Note:' line",
    "TEXT_LINE": "a line of text",
    "TITLE_TEXT": "a line of text",
    "HEADINGS": "a line of column headings, a caption or a title",
    "ROWS": "a label followed by values",
    "STATEMENT_CLASS_ROWS": "a class row (class name, then values)",
    "TOTALS_ROW": "the Total row",
    "INFO_BOX": "a box of 'KEY: value' lines",
    "GROUP_LINE": "a line of loan group names",
    "PROSE_LINE": "a line of prose (a note)",
    "DEAL_NAME_LINE": "a line naming the trust",
    "$END": "the end of the report",
}


class IgnoredLines:
    """Collects the line tokens a grammar ``%ignore``s (rules, page numbers, running heads) while a
    report is parsed: lark drops them from the tree, and ``coverage`` and the line accounting still
    need to know that those lines were read. A lexer callback of every parser, set on one object
    because parsers are built once per process and shared by the reports it parses."""

    def __init__(self):
        self.tokens: list | None = None

    def __call__(self, token):
        if self.tokens is not None:
            self.tokens.append(token)
        return token

    @contextlib.contextmanager
    def collecting(self):
        saved, self.tokens = self.tokens, []
        try:
            yield self.tokens
        finally:
            self.tokens = saved


IGNORED = IgnoredLines()

TITLE_PRIORITY = 4  # a terminal of this priority starts a section: the lexer tries it on every line


class TitlesEverywhere(PostLex):
    """Makes the contextual lexer try a grammar's section titles (its terminals of priority
    TITLE_PRIORITY) on every line, not only where the parser expects one: inside an open table a
    title line would otherwise read as one more heading line, and the section it opens would be
    taken for part of the table. A title where none fits is a line that does not fit, and the
    careful parse closes what is open there (parse/recover.py). Tokens pass through unchanged."""

    def __init__(self, names):
        self.always_accept = tuple(names)

    def process(self, stream):
        return stream


def short_name(name: str) -> str:
    """A rule or terminal name without the namespace lark gives imported ones."""
    return name.rsplit("__", 1)[-1]


def parser_for(spec: FormatSpec, start: str = "start") -> Lark:
    """The LALR parser of a format. It can start at any rule (``parse(text, start=...)``):
    section rules serve tests, tools and the curated error examples, and share one
    parse table with ``start`` so that parser states can be compared across them."""
    info = spec.grammar_path.stat()
    return _parser(str(spec.grammar_path), (info.st_mtime_ns, info.st_size))


@functools.lru_cache(maxsize=None)
def _parser(grammar_path: str, stamp: tuple) -> Lark:
    # Built once per process, never cached on disk by lark: its cache is a pickle in the shared
    # temporary directory, which another user could plant. A built-in grammar's tables ship
    # in the package as JSON instead (tables.py).
    grammar = Path(grammar_path)
    options = options_for(grammar)
    extras = parser_extras(grammar)
    try:
        return tables.load(grammar, options, extras) or build(grammar, options, extras)
    except LarkError as exc:  # the format's grammar, not the report: as `lint` reports it
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"{grammar}: RG213 the grammar does not compile: {first[:300]} "
                          "(remitgrammar lint shows where)") from None


def parser_extras(grammar: Path) -> dict:
    """The lark options of a grammar's parser that its tables do not hold: the callback that collects
    ignored lines, and the postlexer that tries section titles on every line."""
    return {"lexer_callbacks": {name: IGNORED for name in _ignored_terminals(grammar)},
            "postlex": TitlesEverywhere(_title_terminals(grammar))}


def options_for(grammar: Path) -> dict:
    """The parser options of a grammar: LALR, contextual lexer, every rule a start rule."""
    return dict(parser="lalr", lexer="contextual", propagate_positions=False, maybe_placeholders=False,
                start=_start_rules(grammar))


def build(grammar: Path, options: dict, extras: dict | None = None) -> Lark:
    """Build a grammar's parser. `%import shared (...)` finds the format directory's own
    shared.lark first, then the built-in one. ``extras``: lark options that are not part of the
    tables (lexer callbacks, the postlexer)."""
    options = {**options, "import_paths": [str(grammar.parent), str(data_dir("grammars"))], **(extras or {})}
    with _without_collision_check():
        return _open(grammar, options)


@contextlib.contextmanager
def _without_collision_check():
    """lark compares every pair of terminals for overlap when the optional package interegular is
    installed: minutes for a family grammar. ``lint`` runs that check (with a budget); a parse never does."""
    saved = lark_lexer.has_interegular
    lark_lexer.has_interegular = False
    try:
        yield
    finally:
        lark_lexer.has_interegular = saved


def _open(grammar: Path, options: dict) -> Lark:
    try:
        return Lark.open(str(grammar), **options)
    except GrammarError:  # a rule name the text scan got wrong: ask lark, at the cost of a second build
        rules = {r.origin.name for r in Lark.open(str(grammar), **{**options, "start": "start"}).rules}
        starts = ["start"] + sorted(r for r in rules if r != "start" and not r.startswith("_") and "__" not in r)
        return Lark.open(str(grammar), **{**options, "start": starts})


_RULE = re.compile(r"^\??([a-z][a-z0-9_]*)\s*:", re.M)
_IGNORE = re.compile(r"^%ignore[ \t]+([A-Z][A-Z0-9_]*)[ \t]*$", re.M)


_TITLE = re.compile(r"^([A-Z][A-Z0-9_]*)\.%d[ \t]*:" % TITLE_PRIORITY, re.M)


def _title_terminals(path: Path) -> list[str]:
    """The terminals of a grammar's own that open sections (priority TITLE_PRIORITY)."""
    return _TITLE.findall(path.read_text(encoding="utf-8"))


def _ignored_terminals(path: Path) -> list[str]:
    """The terminals a grammar ``%ignore``s by name (their tokens are collected, see IgnoredLines)."""
    return _IGNORE.findall(path.read_text(encoding="utf-8"))
_IMPORT = re.compile(r"^%import\s+\S+\s*\(([^)]*)\)", re.M)


def _start_rules(path: Path) -> list[str]:
    """The rules a grammar defines or imports by name: each can start a parse (one build, not two)."""
    text = path.read_text(encoding="utf-8")
    names = set(_RULE.findall(text))
    for group in _IMPORT.findall(text):
        names.update(n.strip() for n in group.split(",") if n.strip()[:1].islower())
    return ["start"] + sorted(names - {"start"})


def describe_terminals(names) -> str:
    """Terminal names in words a format maintainer reads (``a class row (class name, then values)``)."""
    words = sorted({_word(n) for n in names})
    return "; ".join(words[:8])


def _word(name: str) -> str:
    name = short_name(name)
    if name in TERMINAL_WORDS:
        return TERMINAL_WORDS[name]
    if name.endswith(("_TITLE", "_LINE", "_CAPTION", "_HEADER", "_SERVICERS")):
        return f"the {name.lower().replace('_', ' ')} ({name})"
    return name
