"""The line lexer of a format's parser: each terminal's regex compiled once per format, when first needed.

lark's contextual lexer gives every parser state a scanner that compiles one regular expression, the
union of every terminal the state allows. A format's row terminals are kilobytes of regex each, a
report visits some twenty states, and each union compiles the same terminals again: 40 ms a state,
most of a cold one-file run. Here a format's terminals are compiled one at a time, each at most once
per process, and a state's scanner tries its terminals in the order of lark's union, the first that
matches at the position winning, as the first alternative of a union that matches does. Only the
scanner changes: lark's own code still makes the tokens (line and column numbers, newlines counted,
ignored terminals, callbacks). ``grammar.parser_extras`` plugs ``LineLexers`` into every parser.
"""

from __future__ import annotations

from collections.abc import Collection

from lark.lexer import BasicLexer, CallChain, ContextualLexer, PatternRE, PatternStr


class Terminals:
    """A format's terminals compiled on first need, shared by the lexers of all its parser states."""

    def __init__(self, conf):
        self.re, self.flags, self.use_bytes = conf.re_module, conf.g_regex_flags, conf.use_bytes
        self.compiled: dict = {}
        self.shadowing: dict = {}

    def regex(self, terminal):
        """The terminal's compiled regex, as its alternative of lark's union reads."""
        found = self.compiled.get(terminal.name)
        if found is None:
            pattern = terminal.pattern.to_regexp()
            found = self.compiled[terminal.name] = self.re.compile(
                pattern.encode("latin-1") if self.use_bytes else pattern, self.flags)
        return found

    def shadows(self, regexp, string) -> bool:
        """Whether ``regexp`` reads the whole of the string terminal ``string`` (lark's ``_create_unless``)."""
        key = (regexp.name, string.name)
        if key not in self.shadowing:
            value = string.pattern.value
            if self.use_bytes:  # lark matches the str pattern here, not the bytes one it scans with
                found = self.re.match(regexp.pattern.to_regexp(), value, self.flags)
            else:
                found = self.regex(regexp).match(value)
            self.shadowing[key] = found is not None and found.group(0) == value
        return self.shadowing[key]

    def unless(self, terminals: Collection) -> tuple:
        """lark's ``_create_unless`` over the sorted terminals of a state: a string terminal that a
        regexp terminal of its priority reads whole is found by a callback on the regexp's tokens
        (and left out of the scan when the regexp's flags cover its own)."""
        strings = [t for t in terminals if isinstance(t.pattern, PatternStr)]
        embedded: set = set()
        callbacks: dict = {}
        for regexp in terminals:
            if not isinstance(regexp.pattern, PatternRE):
                continue
            shadowed = [s for s in strings if s.priority == regexp.priority and self.shadows(regexp, s)]
            embedded.update(s for s in shadowed if s.pattern.flags <= regexp.pattern.flags)
            if shadowed:
                callbacks[regexp.name] = Unless(OrderedScanner(shadowed, self))
        return [t for t in terminals if t not in embedded], callbacks


class OrderedScanner:
    """lark's ``Scanner`` without the union: the terminals tried one by one in the union's order."""

    def __init__(self, terminals: list, compiled: Terminals):
        self.terminals, self.compiled = terminals, compiled
        self.allowed_types = {t.name for t in terminals}
        self.names = [t.name for t in terminals]
        self.regexes: list = [None] * len(terminals)  # filled as the scan first reaches each

    def _regex(self, index: int):
        regex = self.regexes[index] = self.compiled.regex(self.terminals[index])
        return regex

    def match(self, text, pos):
        """(value, terminal name) of the first terminal that matches at ``pos``, or None."""
        string, end = text.text, text.end
        regexes = self.regexes
        for index, name in enumerate(self.names):
            found = (regexes[index] or self._regex(index)).match(string, pos, end)
            if found:
                return found.group(0), name
        return None

    def fullmatch(self, text: str):
        """The first terminal that reads the whole of ``text``, or None (an ``unless`` callback's question)."""
        for index, name in enumerate(self.names):
            if (self.regexes[index] or self._regex(index)).fullmatch(text):
                return name
        return None


class Unless:
    """lark's ``UnlessCallback`` over an ``OrderedScanner``: a token the regexp read that a string terminal
    it shadows reads whole takes the string terminal's type."""

    def __init__(self, scanner: OrderedScanner):
        self.scanner = scanner

    def __call__(self, token):
        found = self.scanner.fullmatch(token.value)
        if found is not None:
            token.type = found
        return token


class LineLexer(BasicLexer):
    """The lexer of one parser state: lark's ``BasicLexer`` (its terminal order, its tokens) with an
    ``OrderedScanner`` over the format's shared compiled terminals."""

    def __init__(self, conf, compiled: Terminals, comparator=None):
        super().__init__(conf, comparator)
        self.compiled = compiled

    def _build_scanner(self):
        terminals, self.callback = self.compiled.unless(self.terminals)
        for type_, f in self.user_callbacks.items():
            if type_ in self.callback:
                # as lark's BasicLexer._build_scanner, binding of ``type_`` included, so that tokens are its own
                self.callback[type_] = CallChain(self.callback[type_], f, lambda t: t.type == type_)  # noqa: B023
            else:
                self.callback[type_] = f
        return OrderedScanner(terminals, self.compiled)


class LineLexers(ContextualLexer):
    """lark's contextual lexer whose state lexers (and root lexer) share one ``Terminals``: plugged in
    as lark's ``ContextualLexer`` plugin (``_plugins``), for parsers built and parsers loaded from tables."""

    def __init__(self, conf, states, always_accept=()):
        self.compiled = Terminals(conf)
        super().__init__(conf, states, always_accept)

    def BasicLexer(self, conf, comparator=None):  # type: ignore[override]  # noqa: N802  (lark calls it so)
        return LineLexer(conf, self.compiled, comparator)
