"""The lark Transformer that hands each section of a report to the role its format gives it.

Shared building blocks (class blocks, key-value rows, headings, cover lines:
rules of ``grammars/shared.lark``) become items (assemble/items.py). A rule of the
format's own grammar either has a role in the format spec (``sections``), which
maps its items into the record, or has none, and its items pass up to the
section around it. Python never names a format's own rules or terminals.
"""

from __future__ import annotations

from lark import Token
from lark.visitors import Transformer_NonRecursive

from ..errors import ConfigError
from ..parse.grammar import short_name
from ..parse.values import Cell
from ..parse.lines import expand_all
from .items import Block, CoverStep, Heading, Rows, Subsection
from .record import Builder
from .roles import Roles

ROW_KINDS = {"kv": "kv", "sum_line": "sum", "group_kv": "group", "text_kv": "text", "two_line_kv": "two_line"}
COVER_STEPS = {"form_heading": "form_heading", "registrant_name": "registrant", "id_block": "ids",
               "address_block": "address", "phone_line": "phone", "answer": "answer",
               "report_dated": "dated", "wrapped_date": "dated", "distribution_made": "distribution_made",
               "events": "exhibits", "statement_heading": "distribution_date", "signature": "signature"}


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
        if name in COVER_STEPS:  # a shared cover rule: its step runs in the section's cover role
            children = children + [CoverStep(COVER_STEPS[name], tuple(_tokens(children)))]
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
            self.builder.findings.add("RG105", "error", f"cannot map the {name} section ({role}): "
                                      f"{type(exc).__name__}: {str(exc)[:200]}", Cell("", line, 1),
                                      source_line=self.builder.source_line(line),
                                      hint="the rest of the report was read; report it, with the file")

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
        return Block(heading.tokens, expand_all(rows), labelled=True, has_total=has_total)

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
