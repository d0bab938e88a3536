"""Parse errors a maintainer can act on, and every one of them in one run.

Entered only when lark's plain parse (parse/tree.py) fails: the report is parsed again
token by token: before each token the parser state is saved, so a line that does
not fit is reported with what the open table would have taken (lark's own error
comes after it has reduced its way out of the table) and the section it was in,
then skipped; the parse goes on and the sections that do parse still produce
their part of the record. A curated message is added where the failure looks
like one of the format's known mistakes (``specs/errors/*.yaml``, matched the way
lark's ``match_examples`` does: same parser state, same kind of line).
"""

from __future__ import annotations

import functools

from lark import Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser

from ..errors import Finding
from .grammar import describe_terminals, parser_for, short_name
from ..formats.specs import FormatSpec, load_yaml

MAX_ERRORS = 25


def careful_parse(text: str, spec: FormatSpec, start: str = "start") -> tuple[Tree | None, list[Finding]]:
    """Parse again line by line after the plain parse failed, reporting every line that does not fit.

    Returns:
        (tree, findings): when the report ends inside a section, the tree holds the
        sections completed before it (None if there are none).
    """
    lines = text.splitlines()
    interactive = parser_for(spec).parse_interactive(text, start=start)
    findings: list[Finding] = []
    for token, saved in _steps(interactive):
        if token is None:  # no kind of line starts here: nothing to skip to
            findings.append(_misfit(spec, None, saved, lines, interactive))
            break
        findings.append(_misfit(spec, token, saved, lines, interactive))
        if len(findings) >= MAX_ERRORS:
            break
    before_end = interactive.parser_state.copy(deepcopy_values=False)
    try:
        return interactive.feed_eof(), findings
    except UnexpectedInput:
        findings.append(_cut_off(spec, before_end, interactive, lines))
        return _completed_sections(spec, before_end), findings


def _completed_sections(spec: FormatSpec, state) -> Tree | None:
    """The sections a cut-off report completed before it ended, as a partial tree (or None)."""
    sections = set(_start_expansion(spec))
    done = [v for v in state.value_stack if isinstance(v, Tree) and short_name(str(v.data)) in sections]
    return Tree("start", done) if done else None


def _steps(interactive):
    """Feed every token, saving the state first; yield (token, saved state) for each that does not fit.

    A token that does not fit is skipped: the state is restored to before it, so
    the table that was open stays open for the lines after it.
    """
    tokens = interactive.lexer_thread.lex(interactive.parser_state)
    while True:
        saved = interactive.parser_state.copy(deepcopy_values=False)
        try:
            token = next(tokens)
        except StopIteration:
            return
        except UnexpectedToken as exc:  # a line only the root lexer could read; it has been consumed
            yield exc.token, saved
            tokens = interactive.lexer_thread.lex(interactive.parser_state)
            continue
        except UnexpectedCharacters:
            yield None, saved
            return
        try:
            interactive.feed_token(token)
        except UnexpectedToken:
            interactive.parser_state = saved
            yield token, saved
            tokens = interactive.lexer_thread.lex(interactive.parser_state)


def _misfit(spec: FormatSpec, token, state, lines: list[str], interactive) -> Finding:
    section, after = _where(spec, state)
    if token is None:
        line = interactive.lexer_thread.state.line_ctr.line
        return Finding("RG101", "error", f"no kind of line starts here (section {section})", line=line, column=1,
                       source_line=_line(lines, line), expected=describe_terminals(_accepts(state, interactive)))
    line = token.line
    message = (f"line does not fit the {spec.name} layout in section {section}"
               f"{f' (after {after})' if after else ''}: it reads as {describe_terminals([token.type])}")
    curated = _curated(spec, state.position, short_name(token.type))
    return Finding("RG101", "error", message + (f"; {curated}" if curated else ""),
                   line=line, column=token.column, source_line=_line(lines, line),
                   expected=describe_terminals(_accepts(state, interactive)),
                   hint=f"the grammar is {spec.grammar_path.name}; the line was skipped and parsing went on")


def _cut_off(spec: FormatSpec, state, interactive, lines: list[str]) -> Finding:
    section, _ = _where(spec, state)
    last = max(len(lines), 1)
    return Finding("RG102", "error", f"the report ends before it is complete, in section {section} (cut off?)",
                   line=last, column=1, source_line=_line(lines, last),
                   expected=describe_terminals(_accepts(state, interactive)),
                   hint="the file may be truncated; compare it with the filing on EDGAR")


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _accepts(state, interactive) -> set:
    """The terminals a saved parser state would take (lark tries each on a copy)."""
    probe = InteractiveParser(interactive.parser, state.copy(deepcopy_values=False), interactive.lexer_thread)
    return probe.accepts()


def _where(spec: FormatSpec, state) -> tuple[str, str | None]:
    """The section of the start rule being parsed, and the last completed part of it."""
    expansion = _start_expansion(spec)
    index = 0
    for value in state.value_stack:
        if index < len(expansion) and isinstance(value, Tree) and short_name(str(value.data)) == expansion[index]:
            index += 1
        else:
            break
    section = expansion[index] if index < len(expansion) else "end"
    inside = state.value_stack[index:]
    last = inside[-1] if inside else None
    after = short_name(str(last.data)) if isinstance(last, Tree) else (
        describe_terminals([last.type]) if last is not None and hasattr(last, "type") else None)
    return section, after


@functools.lru_cache(maxsize=None)
def _start_expansion(spec: FormatSpec) -> tuple:
    rule = next(r for r in parser_for(spec).rules if r.origin.name == "start")
    return tuple(short_name(s.name) for s in rule.expansion)


def _curated(spec: FormatSpec, position, token_type: str) -> str | None:
    for signature, message in _example_signatures(spec):
        if signature == (position, token_type):
            return message
    return None


@functools.lru_cache(maxsize=None)
def _example_signatures(spec: FormatSpec) -> tuple:
    """(parser state, kind of line) where each curated example fails, with its message."""
    signatures = []
    for path in spec.error_examples:
        for example in load_yaml(path).get("examples", ()):
            interactive = parser_for(spec).parse_interactive(example["text"], start=example["rule"])
            for token, saved in _steps(interactive):
                if token is not None:
                    signatures.append(((saved.position, short_name(token.type)), example["message"]))
                break
    return tuple(signatures)
