"""Parse errors a maintainer can act on: what a skipped line read as, what would have fitted, where.

The careful parse (parse/recover.py) calls ``Describe`` for every line it skips and for a text
that ends inside a construct. A curated message is added where the failure looks like one of
the format's known mistakes (``specs/errors/*.yaml``, matched the way lark's
``match_examples`` does: the same parser state, the same kind of line).
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..errors import Finding
from ..formats.specs import FormatSpec, load_yaml
from .grammar import describe_terminals, short_name


class Describe:
    """Findings of one careful parse, worded with its format's sections and terminals."""

    def __init__(self, spec: FormatSpec, lines: list[str], table):
        self.spec, self.lines, self.table = spec, lines, table

    def misfit(self, state, token, line: int, text: str) -> Finding:
        """RG101 for a line skipped in parser state ``state``; ``token``: what it read as, if anything."""
        section = self.section(state)
        expected = describe_terminals(self.accepts(state))
        has_figures = any(ch.isdigit() for ch in text)
        where = f" in section {section}" if section else ""
        if token is None:
            message = f"line does not fit the {self.spec.name} layout{where}: no kind of line it knows reads it"
        else:
            message = (f"line does not fit the {self.spec.name} layout{where}: it reads as "
                       f"{describe_terminals([token.type])}")
            curated = _curated(self.spec, state.position, short_name(token.type))
            if curated:
                message += f"; {curated}"
        column = len(text) - len(text.lstrip()) + 1
        return Finding("RG101", "error" if has_figures else "warning", message, line=line, column=column,
                       source_line=text, expected=expected,
                       hint=f"the line was skipped and parsing went on; if the layout prints it, add it to "
                            f"{self.spec.grammar_path.name}")

    def cut_off(self, state) -> Finding:
        """RG102: the text ends inside a construct that is not complete."""
        section = self.section(state)
        last = max(len(self.lines), 1)
        return Finding("RG102", "error", f"the report ends inside {('section ' + section) if section else 'a section'}"
                       ", before it is complete (cut off?)", line=last, column=1,
                       source_line=self.lines[last - 1] if self.lines else "",
                       expected=describe_terminals(self.accepts(state)),
                       hint="the file may be truncated; compare it with the filing on EDGAR")

    def accepts(self, state) -> list:
        """The kinds of line the parser state would take next."""
        return [name for name in self.table.states[state.position] if name.isupper() or name == "$END"]

    def section(self, state) -> str | None:
        """The section being read: the innermost construct open on the stack that the spec gives a
        role (named by the rule whose first line kind began it), else the last one completed."""
        stack = state.state_stack
        for index in range(len(stack) - 2, -1, -1):
            symbol = short_name(self.table.symbol(stack[index], stack[index + 1]) or "")
            if self.spec.section(symbol) is not None:
                return symbol
            if symbol.isupper():
                opened = self._started_by(stack[index], symbol)
                if opened:
                    return opened
        return None

    def open_section_at(self, state) -> int | None:
        """Where on the stack the innermost open section with a role begins (its first line), or None."""
        stack = state.state_stack
        for index in range(len(stack) - 2, -1, -1):
            symbol = short_name(self.table.symbol(stack[index], stack[index + 1]) or "")
            if symbol.isupper() and self._started_by(stack[index], symbol):
                return index
        return None

    def _started_by(self, state, terminal: str) -> str | None:
        """The rule with a role that a line of kind ``terminal`` begins in parser state ``state``."""
        for name in self.table.states[state]:
            if not name.isupper() and self.spec.section(short_name(name)) is not None:
                for rule in self.table.rules.get(name, ()):
                    if rule.expansion and short_name(rule.expansion[0].name) == terminal:
                        return short_name(name)
        return None


def _curated(spec: FormatSpec, position, token_type: str) -> str | None:
    for signature, message in _example_signatures(spec):
        if signature == (position, token_type):
            return message
    return None


@functools.lru_cache(maxsize=None)
def _example_signatures(spec: FormatSpec) -> tuple:
    """(parser state, kind of line) where each curated example fails, with its message."""
    from .recover import Driver

    signatures = []
    for path in spec.error_examples:
        for example in load_yaml(path, Path(spec.spec_path).parent.parent.parent).get("examples", ()):  # inside
            found: list[tuple[int, str]] = []  # (parser state, kind of line)
            driver = Driver(example["text"], spec, _Recorder(found), start=example["rule"])
            driver.run()
            if found:
                signatures.append((found[0], example["message"]))
    return tuple(signatures)


class _Recorder:
    """A Describe stand-in that notes where an example first fails."""

    def __init__(self, found: list):
        self.found = found

    def misfit(self, state, token, line, text):
        if token is not None and not self.found:
            self.found.append((state.position, short_name(token.type)))
        return Finding("RG101", "error", "", line=line)

    def cut_off(self, state):
        return Finding("RG102", "error", "")
