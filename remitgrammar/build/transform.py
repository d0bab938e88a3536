"""The lark Transformer that turns a parse tree into the canonical record.

Each grammar rule has a method here (rules imported from shared.lark arrive with
a ``shared__`` prefix, which is dropped). Rules below a section return their
tokens; section rules hand them to the mappers, which write into a Builder.
"""

from __future__ import annotations

from lark import Token, Transformer

from .cover import Cover
from .delinquency import Delinquency
from ..parse.grammar import short_name
from .keyvalues import KeyValues, group_columns
from ..parse.lines import expand_all
from .record import Builder
from .tables import Block, ClassTables

KV_KINDS = {"kv": "kv", "sum_line": "sum", "group_kv": "group", "text_kv": "text", "two_line_kv": "two_line"}
SECTION_SCOPES = {"summary": "summary", "per_unit": "per_1000", "shortfalls": "shortfall"}


def _tokens(children, kind: str) -> list:
    return [c for c in children if isinstance(c, Token) and short_name(c.type) == kind]


class RecordTransformer(Transformer):
    """Builds the record of one report; read ``builder`` after ``transform``.

    The mappers sit in underscored attributes: lark looks up a method by rule name,
    and a plain ``delinquency`` attribute would shadow the rule of that name.
    """

    def __init__(self, builder: Builder):
        super().__init__(visit_tokens=False)
        self.builder = builder
        self._tables = ClassTables(builder)
        self._kv = KeyValues(builder)
        self._delinquency = Delinquency(builder)
        self._cover = Cover(builder)

    def __default__(self, data, children, meta):
        name = short_name(str(data))
        if name in KV_KINDS:
            return (KV_KINDS[name], expand_all(children))
        if name in SECTION_SCOPES:
            self._tables.section(SECTION_SCOPES[name], [c for c in children if isinstance(c, Block)])
            return name
        handler = getattr(self, "on_" + name, None)
        return handler(children) if handler else children

    # Class tables
    def on_class_heading(self, children):
        return [t for c in children for t in (c if isinstance(c, list) else [c])]

    on_table_heading = on_class_heading

    def on_class_block(self, children):
        rows = expand_all(c for c in children[1:] if isinstance(c, Token))
        has_total = rows[-1].type in ("TOTAL_ROW", "VALUE_ROWS")
        return Block(children[0], rows, labelled=True, has_total=has_total)

    def on_unlabelled_block(self, children):
        return Block(children[0], expand_all(children[1:]), labelled=False, has_total=False)

    # Key-value sections
    def on_subsection(self, children):
        return ("subsection", children[0], children[1:])

    def on_remittance(self, children):
        head = children[0]
        if short_name(head.type) == "GROUP_HEADER":
            self._kv.groups = group_columns(head)
        for child in children[1:]:
            if child[0] == "subsection":
                self._kv.rows("remittance", child[2], heading=child[1])
            else:
                self._kv.rows("remittance", [child])
        return "remittance"

    def on_footer(self, children):
        self._kv.rows("footer", children)
        return "footer"

    # Delinquency and loan status
    def on_note(self, children):
        return "note"

    def on_delinquency_table(self, children):
        groups, heading = children[0], children[1]
        self._delinquency.bucket_table(group_columns(groups), heading, expand_all(_tokens(children, "BUCKET_ROWS")))

    def on_delinquency(self, children):
        head = children[0]
        if short_name(head.type) != "DELINQUENCY_SERVICERS":
            return "delinquency"
        self._delinquency.bucket_table(group_columns(head, skip=1), children[1], expand_all(_tokens(children, "BUCKET_ROWS")))
        for empty in _tokens(children, "HEADING"):
            self._delinquency.empty_row(empty)
        return "delinquency"

    def on_status_rows(self, children):
        return (children[0], expand_all(children[1:]))

    on_servicer_rows = on_status_rows

    def on_status_table(self, children):
        head, (heading, rows) = children
        if short_name(head.type) == "GROUP_HEADER":
            group = group_columns(head)[0].name
            self._delinquency.status_rows(heading, rows, group=group)
        else:
            bucket = self._delinquency.title_bucket(head)
            if bucket is not None:
                self._delinquency.status_rows(heading, rows, bucket=bucket)
        return "status"

    # Cover page, statement heading, signature
    def on_form_heading(self, children):
        self._cover.form_heading(*_tokens(children, "FORM_LINE"), *_tokens(children, "REPORT_DATE_LINE"))

    def on_registrant_name(self, children):
        self._cover.registrant(_tokens(children, "TEXT_LINE"))

    def on_id_block(self, children):
        self._cover.ids(children[0])

    def on_address_block(self, children):
        self._cover.address(_tokens(children, "TEXT_LINE"))

    def on_phone_line(self, children):
        self._cover.phone(children[0])

    def on_answer(self, children):
        self._cover.answer(children[0])

    def on_report_dated(self, children):
        self._cover.dated(children[0], "Monthly Report dated")

    on_wrapped_date = on_report_dated

    def on_distribution_made(self, children):
        self._cover.distribution_made(children[0])

    def on_events(self, children):
        for exhibit in _tokens(children, "EXHIBIT_LINE"):
            self._cover.dated(exhibit, "Monthly Distribution Report Dated")

    def on_statement_heading(self, children):
        self._cover.distribution_date(*_tokens(children, "DISTRIBUTION_DATE_LINE"))

    def on_signature(self, children):
        self._cover.signature(*[c for c in children if isinstance(c, Token)][1:])
