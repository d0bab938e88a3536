"""Build the LALR parsers from the grammar files and parse a report with its format's grammar."""

from __future__ import annotations

import functools
from pathlib import Path

from lark import Lark, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from .errors import Finding, RemitError
from .resources import data_dir
from .specs import FormatSpec

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
    "NOTE_LINE": "the '*Note:' line",
    "TEXT_LINE": "a line of text",
    "$END": "the end of the report",
}


def short_name(name: str) -> str:
    """A rule or terminal name without the namespace lark gives imported ones."""
    return name.rsplit("__", 1)[-1]


def parser_for(spec: FormatSpec, start: str = "start") -> Lark:
    """The LALR parser of a format, from ``start`` (a section rule, for tests and tools)."""
    return _parser(str(spec.grammar_path), start)


@functools.lru_cache(maxsize=None)
def _parser(grammar_path: str, start: str) -> Lark:
    # Built once per process; lark also caches the analysed grammar on disk.
    # `%import shared (...)` finds the format directory's own shared.lark first,
    # then the built-in one.
    paths = [str(Path(grammar_path).parent), str(data_dir("grammars"))]
    return Lark.open(grammar_path, parser="lalr", lexer="contextual", start=start, import_paths=paths,
                     propagate_positions=True, cache=True, maybe_placeholders=False)


def _word(name: str) -> str:
    name = short_name(name)
    if name in TERMINAL_WORDS:
        return TERMINAL_WORDS[name]
    if name.endswith(("_TITLE", "_LINE", "_CAPTION", "_HEADER", "_SERVICERS")):
        return f"the {name.lower().replace('_', ' ')} ({name})"
    return name


def _expected_words(names) -> str:
    words = sorted({_word(n) for n in names})
    return "; ".join(words[:8])


def parse_tree(text: str, spec: FormatSpec, path: str) -> Tree:
    """Parse a report's text with its format's grammar.

    Raises:
        RemitError: RG101 with the line, column and what was expected.
    """
    try:
        return parser_for(spec).parse(text)
    except UnexpectedInput as exc:
        raise RemitError(_parse_finding(exc, text, spec), path) from None
    except LarkError as exc:
        raise RemitError(Finding("RG101", "error", f"cannot parse: {exc}", line=1, column=1), path) from None


def _parse_finding(exc: UnexpectedInput, text: str, spec: FormatSpec) -> Finding:
    lines = text.splitlines()
    if isinstance(exc, UnexpectedEOF) or getattr(getattr(exc, "token", None), "type", "") == "$END":
        expected = _accepted_before(spec, text, exc)
        last = max(len(lines), 1)
        return Finding("RG102", "error", "the report ends before it is complete (cut off?)",
                       line=last, column=1, source_line=lines[-1] if lines else "",
                       expected=_expected_words(expected),
                       hint="the file may be truncated; compare it with the filing on EDGAR")
    line, column = getattr(exc, "line", 1) or 1, getattr(exc, "column", 1) or 1
    token = getattr(exc, "token", None)
    found = f"it reads as {_expected_words([token.type])}" if token is not None else "it fits no line kind"
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    return Finding("RG101", "error",
                   f"line does not fit the {spec.name} layout here: {found}",
                   line=line, column=column, source_line=source,
                   expected=_expected_words(_accepted_before(spec, text, exc)),
                   hint=f"the grammar is {spec.grammar_path.name}; a label or layout may have drifted")


def _accepted_before(spec: FormatSpec, text: str, exc: UnexpectedInput) -> set:
    """What the parser would have taken at the failing line, before it reduced its way out.

    Lark reports the expectations of the state it reached after reducing on the
    bad token, which hides the table that was open (a class row would have been
    fine). Replaying the parse up to the failing position recovers them; this
    runs only on the error path.
    """
    interactive = parser_for(spec).parse_interactive(text)
    position = getattr(exc, "pos_in_stream", None)
    try:
        for token in interactive.iter_parse():
            if position is not None and token.start_pos >= position:
                break
    except UnexpectedInput:
        pass
    try:
        return interactive.accepts()
    except LarkError:
        return set(getattr(exc, "expected", None) or ())
