"""Build the LALR parsers from the grammar files and parse a report with its format's grammar."""

from __future__ import annotations

import contextlib
import functools
import os
import re
from pathlib import Path

from lark import Lark, Tree
from lark.lark import PostLex
from lark import lexer as lark_lexer
from lark.exceptions import GrammarError, LarkError
from lark.load_grammar import load_grammar

from ..alarm import alarm
from ..errors import ConfigError

from ..formats.resources import data_dir, decoded, is_inside, read_inside
from ..formats.specs import FormatSpec
from . import tables
from .lexer import LineLexers

# What compiling a grammar may cost. Lark writes out every optional item (``x?``, ``[x]``), choice
# (``(a | b)``) and bounded repeat (``x~2..5``) of a rule as alternatives of their own: 26 optional
# items in a row are 67 million alternatives, more than two minutes and a gigabyte. The alternatives
# are counted on the grammar's tree before lark expands it, and a grammar over the bound is refused
# (a built-in grammar has about 80; 4,096 take lark a second, 16,384 six). What the count cannot
# foresee (an LALR automaton that grows without many alternatives) meets the time budget.
MAX_ALTERNATIVES = 5_000
MAX_SYMBOLS = 100_000  # symbols in all those alternatives together
COMPILE_SECONDS = 30.0
_CAP = 10 ** 12  # counts stop growing here: the bound is far below

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
    try:
        info = spec.grammar_path.stat()
    except OSError as exc:
        raise ConfigError(f"{spec.grammar_path}: RG220 cannot be read ({exc.strerror})") from None
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
    ignored lines, the postlexer that tries section titles on every line, and the line lexer that
    compiles each terminal once (parse/lexer.py), not once in every parser state's union."""
    return {"lexer_callbacks": {name: IGNORED for name in _ignored_terminals(grammar)},
            "postlex": TitlesEverywhere(_title_terminals(grammar)),
            "_plugins": {"ContextualLexer": LineLexers}}


def options_for(grammar: Path) -> dict:
    """The parser options of a grammar: LALR, contextual lexer, every rule a start rule."""
    return dict(parser="lalr", lexer="contextual", propagate_positions=False, maybe_placeholders=False,
                start=_start_rules(grammar))


def build(grammar: Path, options: dict, extras: dict | None = None) -> Lark:
    """Build a grammar's parser (``compile_grammar``). ``extras``: lark options that are not part of
    the tables (lexer callbacks, the postlexer)."""
    options = {**options, **(extras or {})}
    with _without_collision_check():
        try:
            return compile_grammar(grammar, **options)
        except GrammarError:  # a rule name the text scan got wrong: ask lark, at the cost of a second build
            rules = {r.origin.name for r in compile_grammar(grammar, **{**options, "start": "start"}).rules}
            starts = ["start"] + sorted(r for r in rules if r != "start" and not r.startswith("_") and "__" not in r)
            return compile_grammar(grammar, **{**options, "start": starts})


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


def compile_grammar(grammar: Path, **options) -> Lark:
    """The one way a grammar becomes a parser (runs, ``lint``, the prebuilt tables). Its files are read
    inside its formats directory (``GrammarFiles``): ``%import shared (...)`` finds the directory's own
    shared.lark, then the built-in one. Its expansion is counted before lark expands it
    (``check_expansion``), and the compilation stops after COMPILE_SECONDS.

    Raises:
        ConfigError: RG220 (a file refused), RG224 (over a budget).
        LarkError: the grammar does not compile.
    """
    root = boundary(grammar)
    imports = [GrammarFiles(grammar.parent, root), GrammarFiles(data_dir("grammars"), data_dir("grammars"))]
    text = grammar_source(grammar, root)
    try:
        with alarm(COMPILE_SECONDS, _OutOfTime, only_if_free=True):
            loaded, _ = load_grammar(text, str(grammar), imports, options.get("keep_all_tokens", False))
            check_expansion(loaded, grammar)
            return Lark(loaded, **options)
    except _OutOfTime:
        raise ConfigError(f"{grammar}: RG224 compiling the grammar took longer than {COMPILE_SECONDS:g} s: "
                          "stopped") from None
    except RecursionError:
        raise ConfigError(f"{grammar}: RG224 the grammar nests too deeply to compile") from None


def boundary(grammar: Path) -> Path:
    """The formats directory a grammar belongs to (``<dir>/grammars/<name>.lark``): its files and the
    grammars it imports are read only inside it."""
    parts = grammar.parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] == "grammars":
            return Path(*parts[:index]) if index else Path(".")
    return grammar.parent


def grammar_source(grammar: Path, root: Path | None = None) -> str:
    """A grammar's text, read only as a regular file inside its formats directory (RG220 otherwise)."""
    return decoded(read_inside(grammar, boundary(grammar) if root is None else root), grammar)


class GrammarFiles:
    """Where lark finds a grammar that another imports: one directory, read through ``grammar_source``.
    A file that is there but refused stops the build (ConfigError); lark goes on to its next place
    only when the file is not there, so it never opens the refused file itself."""

    def __init__(self, directory: Path, root: Path):
        self.directory, self.root = Path(directory), Path(root)

    def __call__(self, base_path, grammar_path: str):
        directory = self.directory if base_path is None else Path(str(base_path))
        if base_path is not None and not is_inside(directory, self.root):
            raise OSError("not this loader's directory")
        path = directory / grammar_path
        if not os.path.lexists(path):
            raise OSError(f"no {grammar_path} in {directory}")
        return str(path), grammar_source(path, self.root)


class _OutOfTime(BaseException):
    """The compile budget ran out (a BaseException: lark's own ``except Exception`` must not catch it)."""


def check_expansion(loaded, grammar: Path) -> None:
    """Refuse a grammar that lark would expand past MAX_ALTERNATIVES alternatives or MAX_SYMBOLS symbols.

    Raises:
        ConfigError: RG224, naming the largest rule.
    """
    templates = {name: _size(tree, [0, 0], {}) for name, params, tree, _ in loaded.rule_defs if params}
    extra, total, largest = [0, 0], [0, 0], (0, "")
    for name, _, tree, _ in loaded.rule_defs:
        alternatives, symbols = _size(tree, extra, templates)
        total = [_capped(total[0] + alternatives), _capped(total[1] + symbols)]
        largest = max(largest, (alternatives, short_name(str(name))))
    alternatives, symbols = _capped(total[0] + extra[0]), _capped(total[1] + extra[1])
    if alternatives > MAX_ALTERNATIVES or symbols > MAX_SYMBOLS:
        raise ConfigError(
            f"{grammar}: RG224 lark would write the grammar out as {_count(alternatives)} alternatives of "
            f"{_count(symbols)} symbols (its optional items, choices and repeats, each combination an "
            f"alternative; rule '{largest[1]}' alone {_count(largest[0])}), over the {MAX_ALTERNATIVES:,} "
            f"alternatives and {MAX_SYMBOLS:,} symbols a grammar may have: refused before compiling")


def _count(number: int) -> str:
    return f"more than {_CAP:,}" if number >= _CAP else f"{number:,}"


def _capped(number: int) -> int:
    return min(number, _CAP)


def _size(node, extra: list, templates: dict) -> tuple:
    """(alternatives, symbols) lark expands a rule's tree to; helper rules lark adds (for ``x+``,
    ``x*``, a template's instances) are added to ``extra``."""
    if not isinstance(node, Tree):
        return 1, 1
    kind, children = node.data, node.children
    if kind == "expansions":
        sizes = [_size(child, extra, templates) for child in children]
        return _capped(sum(a for a, _ in sizes)), _capped(sum(s for _, s in sizes))
    if kind == "expansion":
        alternatives, symbols = 1, 0
        for child in children:
            a, s = _size(child, extra, templates)
            alternatives, symbols = _capped(alternatives * a), _capped(symbols * a + s * alternatives)
        return alternatives, symbols
    if kind == "alias":
        return _size(children[0], extra, templates)
    if kind == "maybe":
        a, s = _size(children[0], extra, templates)
        return _capped(a + 1), s
    if kind == "expr":
        return _repeated(_size(children[0], extra, templates), str(children[1]), children[2:], extra)
    if kind == "template_usage":
        a, s = templates.get(str(getattr(children[0], "name", children[0])), (1, 1))
        extra[0], extra[1] = _capped(extra[0] + a), _capped(extra[1] + s)
    return 1, 1


def _repeated(size: tuple, op: str, args, extra: list) -> tuple:
    a, s = size
    if op == "?":
        return _capped(a + 1), s
    if op in ("+", "*"):  # a helper rule: "_x: _x x | x"
        extra[0], extra[1] = _capped(extra[0] + 2 * a), _capped(extra[1] + 2 * s + a)
        return (1, 1) if op == "+" else (2, 1)
    try:
        low, high = int(str(args[0])), int(str(args[-1]))
    except (ValueError, IndexError):
        return _CAP, _CAP
    if high >= 50:  # lark splits a long repeat into helper rules of at most five copies each
        a5, s5 = _powers(a, s, 0, 5)
        return _capped(a5 * 2 * (high.bit_length() + 1)), _capped(s5 * 2 * (high.bit_length() + 1))
    return _powers(a, s, low, high)


def _powers(a: int, s: int, low: int, high: int) -> tuple:
    """Size of n copies in a row, for each n from ``low`` to ``high``, as alternatives of their own."""
    alternatives = symbols = 0
    power, previous = 1, 0  # a ** n and a ** (n - 1)
    for n in range(high + 1):
        if n >= low:
            alternatives, symbols = _capped(alternatives + power), _capped(symbols + n * s * previous)
        power, previous = _capped(power * a), power
        if alternatives >= _CAP:
            break
    return alternatives, symbols


_RULE = re.compile(r"^\??([a-z][a-z0-9_]*)\s*:", re.M)
_IGNORE = re.compile(r"^%ignore[ \t]+([A-Z][A-Z0-9_]*)[ \t]*$", re.M)


_TITLE = re.compile(r"^([A-Z][A-Z0-9_]*)\.%d[ \t]*:" % TITLE_PRIORITY, re.M)


def _title_terminals(path: Path) -> list[str]:
    """The terminals of a grammar's own that open sections (priority TITLE_PRIORITY)."""
    return _TITLE.findall(grammar_source(path))


def _ignored_terminals(path: Path) -> list[str]:
    """The terminals a grammar ``%ignore``s by name (their tokens are collected, see IgnoredLines)."""
    return _IGNORE.findall(grammar_source(path))
_IMPORT = re.compile(r"^%import\s+\S+\s*\(([^)]*)\)", re.M)


def _start_rules(path: Path) -> list[str]:
    """The rules a grammar defines or imports by name: each can start a parse (one build, not two)."""
    text = grammar_source(path)
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
