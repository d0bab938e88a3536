"""Parse a report that does not fit its grammar line for line, losing only the lines that do not fit.

Entered only when lark's plain parse (parse/tree.py) fails. The report is parsed again a line
token at a time with the same LALR tables. When a line does not fit where it stands:

- if a construct further out on the parser's stack takes it (a section title, a page heading,
  a table heading: the next section begins), the constructs above it are closed as they
  stand: their lines so far become a partial tree, built the way lark builds a whole one, so
  that the roles read every row that did parse; the parser resumes with the line;
- otherwise the line is skipped (RG101, with what would have fitted there) and parsing goes
  on in the same state, so a stray line inside a table costs that line only.

At the end of the text, a construct still open is closed the same way, and RG102 says the
text ends inside it. Nothing here names a format's rule or terminal: the stack's symbols are
read back from the parse table.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import LexerState
from lark.utils import TextSlice

from ..formats.specs import FormatSpec
from .grammar import TITLE_PRIORITY, parser_for
from .values import is_cell

MAX_SKIPPED_FINDINGS = 200  # a file of garbage: the count goes on, the listing stops
WINDOW = 6  # lines of lookahead when weighing a skip against closing the open constructs
LOSS = 10  # what a line weighs that closing a construct would drop rather than keep
MAX_WEIGHED = 200  # recoveries weighed per report; past that (a file of garbage) the nearest fit is taken
# lines a trial close may drop before it can no longer beat a skip (whose score is never below 0): the
# trial stops counting there, so weighing a close over a huge report's stack costs a few lines, not the report
HOPELESS = (WINDOW + 1) * (1 + TITLE_PRIORITY) // LOSS + 1


@dataclass
class Recovery:
    """What a careful parse produced besides its tree.

    Attributes:
        findings: RG101 for each line skipped, RG102 when the text ends inside a construct.
        skipped: the (line number, text) of every line skipped.
        closed: first line of each construct closed before it was complete.
    """

    findings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    closed: list = field(default_factory=list)


class _Table:
    """What the driver reads off a parser: its states, rules, and the lexer of each state."""

    def __init__(self, parser):
        frontend = parser.parser
        lexer = frontend.lexer
        self.lexer = getattr(lexer, "lexer", lexer)  # the contextual lexer (under any postlexer): one per state
        self.states = frontend.parser.parser.parse_table.states
        self.priority = {t.name: t.priority for t in parser.terminals}
        self.rules: dict = {}
        for rule in parser.rules:
            self.rules.setdefault(rule.origin.name, []).append(rule)
        self._symbols: dict = {}

    def symbol(self, state, following) -> str | None:
        """The grammar symbol whose shift (or goto) leads from ``state`` to ``following``."""
        key = (state, following)
        if key not in self._symbols:
            self._symbols[key] = next((name for name, (action, target) in self.states[state].items()
                                       if target == following and not _is_reduce(action)), None)
        return self._symbols[key]


def _is_reduce(action) -> bool:
    return getattr(action, "name", str(action)) == "Reduce"


_TABLES: dict = {}


def table_of(spec: FormatSpec) -> _Table:
    parser = parser_for(spec)
    found = _TABLES.get(id(parser))
    if found is None or found[0] is not parser:
        found = _TABLES[id(parser)] = (parser, _Table(parser))
    return found[1]


class Driver:
    """One careful parse: the interactive parser, its lexer position, and what was recovered."""

    def __init__(self, text: str, spec: FormatSpec, describe, start: str = "start"):
        self.text, self.spec, self.describe = text, spec, describe
        self.table = table_of(spec)
        interactive = parser_for(spec).parse_interactive(text, start=start)
        self.state = interactive.parser_state
        lexer_state = interactive.lexer_thread.state
        assert lexer_state is not None  # parse_interactive(text) starts its lexer on the text
        self.lexer_state: LexerState = lexer_state
        self.out = Recovery()
        self.recoveries = 0
        self.trial = False  # a copy weighing a recovery: it counts lost lines, it reports nothing

    def run(self) -> tuple:
        """(tree or None, Recovery)."""
        while True:
            position = copy(self.lexer_state.line_ctr)
            token = self._token_here()
            if token is False:  # the end of the text
                return self._finish(), self.out
            if token is not None and self._feed(token):
                continue
            self.lexer_state.line_ctr = copy(position)
            if not self._resume_outer(position):
                self._skip(position, token)

    def _token_here(self):
        """The token at the lexer's position in the current state: None when no kind of line of this
        state reads it, False at the end of the text."""
        try:
            return self._next(self.state.position)
        except UnexpectedCharacters:
            return None

    def _next(self, state, lexer_state: LexerState | None = None):
        """The next line token as the lexer of ``state`` reads it; False at the end of the text."""
        try:
            return self.table.lexer.lexers[state].next_token(lexer_state or self.lexer_state, self.state)
        except EOFError:
            return False

    def _feed(self, token: Token) -> bool:
        """Feed a token; on failure leave the parser as it was and return False."""
        if token.type not in self.table.states[self.state.position]:
            return False
        trial = _safe_copy(self.state)
        try:
            trial.feed_token(token)
        except UnexpectedToken:
            return False
        self.state = trial
        return True

    def _resume_outer(self, position) -> bool:
        """Close the open constructs down to the depth where the line fits best, when that fits the
        lines that follow better than skipping it does (see _fit); True when it did."""
        self.recoveries += 1
        if self.recoveries > MAX_WEIGHED:  # a file of garbage: no more weighing, lines are skipped
            return False
        best, best_fit = None, self._fit(position, None)
        for depth in range(len(self.state.state_stack) - 2, -1, -1):
            fit = self._fit(position, depth)
            if fit > best_fit:
                best, best_fit = depth, fit
        return best is not None and self._close_above(best, position)

    def _fit(self, position, depth) -> int:
        """How well the next lines fit after skipping the line at ``position`` (``depth`` None) or
        closing the constructs above ``depth``: over a window of lines, each line that fits counts
        one plus the priority of the line kind that took it (a section title is strong evidence; a
        line any text fits, a terminal of priority -1, is none), and lines that do not fit are skipped."""
        trial = copy(self)
        trial.state = _safe_copy(self.state)
        trial.lexer_state = copy(self.lexer_state)
        trial.lexer_state.line_ctr = copy(position)
        trial.lexer_state.text = _window(self.lexer_state.text, position.char_pos)  # the lines it weighs
        trial.out = Recovery()
        trial.trial = True
        if depth is None:
            trial._advance_line()
        elif not trial._close_above(depth, position):
            return -1
        limit, score = position.line + WINDOW, -LOSS * len(trial.out.skipped)  # lines a pop could not keep
        while trial.lexer_state.line_ctr.line <= limit:
            here = copy(trial.lexer_state.line_ctr)
            token = trial._token_here()
            if token is False:
                break
            if token is not None and trial._feed(token):
                weight = 1 + min(max(self.table.priority.get(token.type, 0), -1), TITLE_PRIORITY)
                lines = min(token.end_line or token.line, limit + 1) - token.line
                score += weight * max(lines, 1)
                continue
            trial.lexer_state.line_ctr = here
            trial._advance_line()
        return score

    def _advance_line(self) -> None:
        """Move the lexer past the line it stands on."""
        text, start = self.lexer_state.text.text, self.lexer_state.line_ctr.char_pos
        end = text.find("\n", start)
        self.lexer_state.line_ctr.feed(text[start:(len(text) if end < 0 else end + 1)])

    def _probe_token(self, state, position):
        """The token the lexer of ``state`` reads at ``position``, without moving the lexer; None if none."""
        probe = copy(self.lexer_state)
        probe.line_ctr = copy(position)
        try:
            token = self._next(state, probe)
        except UnexpectedCharacters:
            return None
        return token or None

    def _probe_root(self, position):
        probe = copy(self.lexer_state)
        probe.line_ctr = copy(position)
        try:
            return self.table.lexer.root_lexer.next_token(probe, self.state)
        except (UnexpectedCharacters, EOFError):
            return None

    def _close_above(self, depth: int, position, end: Token | None = None) -> bool:
        """Pop the stack to ``depth`` and push what was popped as a partial construct (or, when no
        construct can be built of it, nothing), so that the line at ``position`` (or ``end``) fits;
        on failure leave the parser as it was."""
        saved = self.state
        settled = self._settled(depth)
        popped = settled.value_stack[depth:]
        for partial in self._partials(settled, depth) + [None]:
            self.state = _safe_copy(settled)
            states, values = self.state.state_stack, self.state.value_stack
            del states[depth + 1:]
            del values[depth:]
            if partial is not None:
                states.append(partial[1])
                values.append(partial[0])
            token = end if end is not None else self._probe_token(self.state.position, position)
            if token is None:
                continue
            probe = _safe_copy(self.state)
            try:
                probe.feed_token(token, end is not None)
            except UnexpectedToken:
                continue
            if partial is not None:
                self.out.closed.append(_first_line(partial[0]))
            else:
                self._dropped(popped)
            return True
        self.state = saved
        return False

    def _settled(self, depth: int):
        """A copy of the parser with the reductions made that its top states can only make (a rule
        that is complete, waiting for the next line to be reduced), down to ``depth``."""
        state = _safe_copy(self.state)
        while True:
            actions = self.table.states[state.position]
            rules = {id(arg): arg for action, arg in actions.values() if _is_reduce(action)}
            if len(rules) != 1:
                return state
            rule = next(iter(rules.values()))
            size = len(rule.expansion)
            if size == 0 or len(state.state_stack) - 1 - size < depth + 0:
                return state
            children = state.value_stack[-size:]
            del state.state_stack[-size:]
            del state.value_stack[-size:]
            goto = self.table.states[state.position].get(rule.origin.name)
            if goto is None:
                return _safe_copy(self.state)
            state.state_stack.append(goto[1])
            state.value_stack.append(_as_value((rule, children)))

    def _partials(self, state, depth: int) -> list:
        """(value, state after it) for each construct that could have been begun at ``depth`` with
        the popped part of the stack, built as lark builds a whole one."""
        stack, values = state.state_stack, state.value_stack
        symbols = [self.table.symbol(stack[i], stack[i + 1]) for i in range(depth, len(stack) - 1)]
        popped = values[depth:]
        if not popped or None in symbols:
            return []
        found = []
        for name, (action, target) in self.table.states[stack[depth]].items():
            if _is_reduce(action) or name.isupper() or name.startswith("$"):
                continue
            built = _derive(self.table.rules, name, symbols, popped, frozenset())
            if built is not None:
                found.append((_as_value(built), target))
        return found

    def _dropped(self, popped: list) -> None:
        """Lines of popped values that no construct could take: reported as skipped."""
        for token in _tokens_of(popped):
            for offset, line in enumerate(str(token).split("\n")):
                if not line.strip():
                    continue
                number = token.line + offset
                self.out.skipped.append((number, line))
                if self.trial and len(self.out.skipped) >= HOPELESS:
                    return
                if not self.trial and len(self.out.findings) < MAX_SKIPPED_FINDINGS:
                    self.out.findings.append(self.describe.misfit(self.state, token, number, line))

    def _skip(self, position, token) -> None:
        """Skip the line at ``position`` (RG101) and go on in the same state."""
        text = self.lexer_state.text.text
        start = position.char_pos
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        line = text[start:end].rstrip("\r\n")
        if token is None:  # no kind of line of this state: say what the line reads as anywhere
            token = self._probe_root(position)
        self.lexer_state.line_ctr.feed(text[start:end])
        if line.strip():
            self.out.skipped.append((position.line, line))
            if len(self.out.findings) < MAX_SKIPPED_FINDINGS:
                self.out.findings.append(self.describe.misfit(self.state, token, position.line, line))

    def _finish(self):
        """The tree at the end of the text. A construct still open is closed as it stands; RG102
        says the text ends inside it when what is open holds values (a table cut off), not when it
        is only headings or prose that nothing followed."""
        last = self.lexer_state.last_token
        end = Token.new_borrow_pos("$END", "", last) if last is not None else Token("$END", "")
        try:
            return _safe_copy(self.state).feed_token(end, True)
        except UnexpectedInput:
            pass
        cut = self.describe.cut_off(self.state)
        # Cut off when the section left open has read no row of values yet (its title, its headings);
        # not when what is open is only a heading or prose under a section that read its rows.
        start = getattr(self.describe, "open_section_at", lambda state: None)(self.state)
        open_part = self.state.value_stack[start:] if start is not None else self._settled(0).value_stack[-1:]
        truncated = not any(_has_values(token) for token in _tokens_of(open_part)) if start is not None else any(
            _has_values(token) or self.table.priority.get(token.type, 0) >= TITLE_PRIORITY
            for token in _tokens_of(open_part))
        stack = self.state.state_stack
        for depth in range(len(stack) - 2, -1, -1):
            if self._close_above(depth, None, end):
                try:
                    tree = _safe_copy(self.state).feed_token(end, True)
                except UnexpectedInput:
                    continue
                if truncated:
                    self.out.findings.append(cut)
                return tree
        self.out.findings.append(cut)
        return None


def _window(text: TextSlice, start: int, lines: int = WINDOW + 2) -> TextSlice:
    """The text up to ``lines`` lines from ``start``: a trial reads no further, so that a run of rows
    is not matched to its end at every line it weighs (1,000 misplaced Total rows: 112 s -> 24 s)."""
    end = start
    for _ in range(lines):
        end = text.text.find("\n", end, text.end) + 1
        if not end:
            return text
    return TextSlice(text.text, text.start, end)


def _safe_copy(state):
    """A copy of a parser state that can be fed without changing the original's trees: lark, to
    build a left-recursive list in linear time, appends to the children of the list's tree as it
    reduces, so the inlined list trees on the stack (``__x_plus_1``) are copied; nothing else is
    ever changed in place."""
    copied = state.copy(deepcopy_values=False)
    copied.value_stack = [Tree(v.data, list(v.children)) if isinstance(v, Tree) and str(v.data).startswith("_")
                          else v for v in copied.value_stack]
    return copied


def _derive(rules: dict, target: str, symbols: list, values: list, busy: frozenset):
    """The children of ``target`` built from ``symbols`` as a prefix of one of its rules (the
    last of them possibly a prefix of a rule of its own), or None."""
    key = (target, len(symbols))
    if key in busy:  # left recursion: the same question again
        return None
    busy = busy | {key}
    for rule in rules.get(target, ()):
        children, used = [], 0
        for expected in rule.expansion:
            if used == len(symbols):
                break
            if expected.name == symbols[used]:
                children.append(values[used])
                used += 1
                continue
            if expected.is_term:
                break
            inner = _derive(rules, expected.name, symbols[used:], values[used:], busy)
            if inner is None:
                break
            children.append(_as_value(inner))
            used = len(symbols)
        if used == len(symbols) and children:
            return rule, children
    return None


def _as_value(built):
    """A derived (rule, children) as lark builds the value of a whole one: inlined ``_rule``s'
    children spliced in, ``?rule``s with one child replaced by it, an alias naming the tree."""
    rule, children = built
    flat = []
    for child in children:
        if isinstance(child, Tree) and str(child.data).startswith("_"):
            flat.extend(child.children)
        elif isinstance(child, list):
            flat.extend(child)
        elif isinstance(child, Token) and child.type.startswith("_"):
            continue
        else:
            flat.append(child)
    if rule.options.expand1 and len(flat) == 1:
        return flat[0]
    return Tree(rule.alias or rule.origin.name, flat)


def _has_values(token) -> bool:
    """A line token with a line that ends in a value (a row, not a heading or prose)."""
    return any(len(pieces) > 1 and is_cell(pieces[-1]) for pieces in (line.split() for line in str(token).split("\n")))


def _tokens_of(values: Iterable):
    for value in values:
        if isinstance(value, Token):
            yield value
        else:
            yield from _tokens_of(getattr(value, "children", ()))


def _first_line(value) -> int | None:
    if isinstance(value, Token):
        return value.line
    for child in getattr(value, "children", ()):
        line = _first_line(child)
        if line is not None:
            return line
    return None
