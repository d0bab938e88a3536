"""Parse a report's text with its format's grammar into a tree, losing only the lines that do not fit."""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Tree
from lark.exceptions import UnexpectedInput

from ..formats.specs import FormatSpec
from .grammar import IGNORED, parser_for


@dataclass
class Parsed:
    """The outcome of parsing one report.

    Attributes:
        tree: the parse tree (None when no line of the report fits its format).
        findings: RG101 for every line skipped, RG102 when the text ends inside a construct.
        skipped: (line, text) of every line skipped.
        ignored: the line tokens the grammar ``%ignore``s (rules, page numbers, running heads).
    """

    tree: Tree | None
    findings: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    ignored: list = field(default_factory=list)


def parse_tree(text: str, spec: FormatSpec) -> Parsed:
    """The parse tree of a report, and a finding for every line that does not fit.

    The plain path is lark's own parse. Only a report that does not fit pays for the careful
    parse (parse/recover.py), which skips what does not fit and closes what was cut short.
    """
    parser = parser_for(spec)
    with IGNORED.collecting() as ignored:
        try:
            return Parsed(parser.parse(text, start="start"), ignored=ignored)
        except UnexpectedInput:
            ignored.clear()
        from .diagnose import Describe
        from .recover import Driver, table_of  # only a report that does not fit pays for them

        driver = Driver(text, spec, None)
        driver.describe = Describe(spec, text.splitlines(), table_of(spec))
        tree, recovery = driver.run()
        return Parsed(tree, recovery.findings, recovery.skipped, ignored)
