"""Parse a report's text with its format's grammar into a tree."""

from __future__ import annotations

from lark import Tree
from lark.exceptions import UnexpectedInput

from ..errors import Finding
from ..formats.specs import FormatSpec
from .grammar import parser_for


def parse_tree(text: str, spec: FormatSpec) -> tuple[Tree | None, list[Finding]]:
    """The parse tree of a report, and a finding for every line that does not fit.

    Returns:
        (tree, findings): findings is empty on the plain path; otherwise the
        diagnosis (parse/diagnose.py) reports every misfit, and when the report
        ends inside a section the tree holds the sections completed before it
        (None if there are none).
    """
    try:
        return parser_for(spec).parse(text, start="start"), []
    except UnexpectedInput:
        pass
    from .diagnose import careful_parse  # only a report that does not fit pays for the diagnosis

    return careful_parse(text, spec)
