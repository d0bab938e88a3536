"""Check a format's grammar: it compiles, LALR finds no conflict in it, no two of its terminals of
the same priority read the same line in one lexer state.

A collision is found on lines, not proven from the regular expressions: every line of every
format's sample is offered to each terminal, and two terminals of one priority that both read a
whole line where the lexer would try both are reported with that line. (Comparing the
expressions themselves, as lark does with the optional package interegular, takes minutes on a
family grammar's terminals.) Both checks run under a time budget (RG213 when it runs out).
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from lark import logger as lark_logger
from lark.exceptions import LarkError

from ..errors import ConfigError, Finding
from .resources import FormatFileError, data_dir

BUDGET = 60.0  # seconds for the collision check of one grammar


def _finding(code: str, message: str, line: int | None = None, hint: str | None = None,
             severity: str = "error") -> Finding:
    return Finding(code, severity, message, line=line, column=1 if line else None, hint=hint)


class _Conflicts(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def lint_grammar(path: Path) -> list:
    """Grammar problems: it does not compile, or LALR finds a conflict (with the grammar's path and line);
    a grammar file refused (RG220) or over the compile budget (RG224)."""
    from ..parse.grammar import compile_grammar

    catcher = _Conflicts()
    saved = lark_logger.handlers[:], lark_logger.level
    lark_logger.handlers[:] = [catcher]  # collect lark's warnings instead of printing them
    lark_logger.setLevel(logging.WARNING)
    try:
        compile_grammar(path, parser="lalr", lexer="contextual", debug=True)
    except LarkError as exc:
        text = str(exc).strip()
        # a collision names both terminals and an example on later lines: show it whole
        return [(str(path), _finding("RG213", "grammar does not compile: " + "\n    ".join(text.splitlines()),
                                     _line_in(path, text)))]
    except FormatFileError as exc:
        return [(str(exc.path), _finding(exc.code, exc.reason, exc.line))]
    except ConfigError as exc:  # RG224, the budget
        return [(str(path), _finding("RG224", str(exc).removeprefix(f"{path}: RG224 ")))]
    finally:
        lark_logger.handlers[:], level = saved
        lark_logger.setLevel(level)
    problems = []
    messages = catcher.messages
    for index, message in enumerate(messages):
        if "conflict" in message.lower():
            rule = messages[index + 1].strip() if index + 1 < len(messages) else ""
            where = _rule_file(path, rule)
            problems.append((str(where), _finding(
                "RG213", f"LALR {message} {rule} (in the grammar {path.name})", _line_in(where, rule),
                "a rule of this grammar lets the named rule end where it could also go on")))
    return problems


def _rule_file(path: Path, rule: str) -> Path:
    """The grammar file that defines the rule a conflict names: the format's own, or shared.lark."""
    for candidate in (path, path.parent / "shared.lark", data_dir("grammars") / "shared.lark"):
        if candidate.is_file() and _line_in(candidate, rule):
            return candidate
    return path


def _line_in(path: Path, message: str) -> int | None:
    from ..parse.grammar import grammar_source

    match = re.search(r"line (\d+)", message)
    if match:
        return int(match.group(1))
    names = re.findall(r"<([a-z_][a-z0-9_]*) :", message) + re.findall(r"\b([A-Z][A-Z0-9_]+)\b", message)
    try:
        lines = grammar_source(path).splitlines()
    except ConfigError:
        return None
    for name in names:
        for number, line in enumerate(lines, 1):
            if re.match(rf"\??{re.escape(name)}(\.\d+)?\s*:", line):
                return number
    return None


def lint_collisions(path: Path, probes: list, budget: float = BUDGET) -> list:
    """RG213 for two terminals of one priority that read the same line where the lexer tries both."""
    from ..parse.grammar import build, options_for, parser_extras

    try:
        parser = build(path, options_for(path), parser_extras(path))
    except (LarkError, ConfigError):
        return []  # lint_grammar reports it
    lexer = getattr(parser.parser.lexer, "lexer", parser.parser.lexer)
    ignored = set(parser.lexer_conf.ignore)
    deadline = time.monotonic() + budget
    matches: dict = {}
    found: dict = {}
    for basic in {id(lexer): lexer for lexer in lexer.lexers.values()}.values():
        groups: dict = {}
        for terminal in basic.terminals:
            groups.setdefault(terminal.priority, []).append(terminal)
        for group in groups.values():
            for index, first in enumerate(group):
                for second in group[index + 1:]:
                    if {first.name, second.name} <= ignored or (first.name, second.name) in found:
                        continue
                    if time.monotonic() > deadline:
                        return _collisions(path, found) + [(str(path), _finding(
                            "RG213", f"the terminal collision check stopped after {budget:.0f} s", None,
                            "the grammar has very many terminals or lines to try", "warning"))]
                    both = _reads(first, probes, matches) & _reads(second, probes, matches)
                    if both:
                        found[(first.name, second.name)] = probes[min(both)]
    return _collisions(path, found)


def _reads(terminal, probes: list, cache: dict) -> set:
    """The indices of the probe lines a terminal reads whole."""
    if terminal.name not in cache:
        pattern = re.compile(terminal.pattern.to_regexp())
        cache[terminal.name] = {i for i, line in enumerate(probes)
                                if (m := pattern.match(line + "\n")) is not None and m.end() >= len(line)}
    return cache[terminal.name]


def _collisions(path: Path, found: dict) -> list:
    return [(str(path), _finding("RG213", f"terminals {a} and {b} have the same priority and both read the line "
                                 f"{line.strip()[:80]!r} where the lexer tries both: which one it takes is "
                                 "not defined", _line_in(path, a) or _line_in(path, b),
                                 "give one a higher priority (TERMINAL.2), or narrow one of them"))
            for (a, b), line in sorted(found.items())]
