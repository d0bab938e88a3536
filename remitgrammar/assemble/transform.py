"""The lark Transformer that hands each section of a report to the role its format gives it.

Shared building blocks (class blocks, key-value rows, headings:
rules of ``grammars/shared.lark``) become items (assemble/items.py). A rule of the
format's own grammar either has a role in the format spec (``sections``), which
maps its items into the record, or has none, and its items pass up to the
section around it. Python never names a format's own rules or terminals.
"""

from __future__ import annotations

import traceback

from lark import Token
from lark.visitors import Transformer_NonRecursive

from ..errors import ConfigError
from ..parse.grammar import short_name
from ..parse.values import Cell
from ..parse.lines import expand_all, join_wrapped
from .items import Block, Heading, Rows, Subsection
from .record import Builder
from .roles import Roles

ROW_KINDS = {"kv": "kv", "sum_line": "sum", "group_kv": "group", "text_kv": "text", "two_line_kv": "two_line"}


def flatten(children) -> list:
    """Children with nested lists (a pass-through rule's items) spliced in."""
    out = []
    for child in children:
        if isinstance(child, list):
            out.extend(flatten(child))
        elif child is not None:
            out.append(child)
    return out


class RecordTransformer(Transformer_NonRecursive):
    """Builds the record of one report; read ``builder`` after ``transform``.

    Non-recursive: a report of thousands of heading lines makes a deep tree, and a
    recursive walk would exhaust Python's stack.
    """

    def __init__(self, builder: Builder):
        super().__init__(visit_tokens=False)
        self.builder = builder
        self.roles = Roles(builder)

    def __default__(self, data, children, meta):
        name = short_name(str(data))
        section = self.builder.spec.section(name)
        if section is not None:
            role, params = section
            self._run(role, name, params, flatten(children))
            return None
        if name in ROW_KINDS:
            return Rows(ROW_KINDS[name], expand_all(children))
        handler = getattr(self, "on_" + name, None)
        return handler(flatten(children)) if handler is not None else flatten(children)

    def _run(self, role: str, name: str, params: dict, items: list) -> None:
        """Map one section; a section whose shape its role cannot read costs that section (RG105)."""
        try:
            self.roles.run(role, name, params, items)
        except (ConfigError, TimeoutError, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001 - one section, never the report
            line = next((t.line for t in _tokens(items) if t.line), 1)
            self.builder.findings.add("RG900", "error", f"internal error: {type(exc).__name__}: {str(exc)[:200]} "
                                      f"(while mapping section {name}, role {role}; the rest of the report was read)",
                                      Cell("", line, 1), source_line=self.builder.source_line(line),
                                      hint="please report it, with the file; --debug shows the traceback")
            self.builder.tracebacks.append(traceback.format_exc())

    def on_class_heading(self, children):
        headings = [c for c in children if isinstance(c, Heading)]
        if len(headings) == 1:  # a left-recursive heading grows by a line: extend it, don't copy it (linear)
            headings[0].tokens.extend(_tokens(children))
            return headings[0]
        return Heading([t for h in headings for t in h.tokens] + _tokens(children))

    on_table_heading = on_class_heading

    def on_class_block(self, children):
        heading, rows = children[0], _tokens(children[1:])
        if not isinstance(heading, Heading):  # a block closed before its heading was complete
            heading, rows = Heading([]), _tokens(children)
        has_total = bool(rows) and short_name(rows[-1].type) in ("TOTAL_ROW", "TOTALS_ROW", "VALUE_ROWS")
        return Block(heading.tokens, join_wrapped(expand_all(rows)), labelled=True, has_total=has_total)

    def on_unlabelled_block(self, children):
        heading = children[0] if children and isinstance(children[0], Heading) else Heading([])
        return Block(heading.tokens, expand_all(_tokens(children[1:] if children else [])), labelled=False,
                     has_total=False)

    def on_subsection(self, children):
        return Subsection(children[0], children[1:]) if children else None

    def on_note(self, children):
        return None


def _tokens(children) -> list:
    return [c for c in children if isinstance(c, Token)]


def check_required(builder: Builder) -> None:
    """RG109 for each section the format requires (``required: true``) that the report did not print."""
    printed = {rule for rule, _ in builder.sections}
    last = len(builder.lines)
    for rule, (_, params) in builder.spec.sections.items():
        if params.get("required") and rule not in printed:
            builder.findings.add("RG109", "error", f"the report prints no {rule} section, which every report of "
                                 f"{builder.spec.name} prints", Cell("", last, 1), source_line=builder.source_line(last),
                                 hint="the text may be cut off (compare it with the filing on EDGAR), or print "
                                      f"the section in words {builder.spec.grammar_path.name} does not know")
