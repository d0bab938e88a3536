"""Role ``cover``: a Form 8-K cover page or signature block printed in a statement, into ``filing``.

Some filers print the statement in the 8-K's own body, after its cover page (the U.S. Bank
layouts). The section's lines are read by the same caption reader that reads a cover filed as
its own EDGAR document (intake/cover.py): registrant, form, date of report, file and IRS
numbers, address, telephone, signer. An item the cover answers in its text ("Have any
deficiencies occurred?  NO.") maps through the format's ``cover.answers`` aliases; other dates
its text prints, and the signature itself, are kept in ``extra``.
"""

from __future__ import annotations

from ...intake.cover import read_cover
from ...parse.values import Cell
from ..record import Builder

class Cover:
    """Reads the cover and signature sections of one report."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        tokens = [item for item in items if hasattr(item, "type")]
        self.b.heading_lines(tokens)  # a cover's numbers (file numbers, zip codes) are text, not amounts
        lines = [(token.line + offset, text) for token in tokens
                 for offset, text in enumerate(str(token).split("\n")[:-1])]  # blank lines kept: they end blocks
        cover = read_cover(lines)
        for name, fact in cover.facts.items():
            cell = Cell(fact.text, fact.line, fact.column)
            if fact.value is not None and name != "report_date":  # joined from several lines
                self.b.put(("filing", name), cell, value=fact.value, end_line=fact.end_line)
            else:
                self.b.put(("filing", name), cell, kind="date" if name == "report_date" else "text")
        for question, fact in cover.answers:
            self._answer(question, fact)
        for label, fact in cover.dates:
            self.b.add_extra("cover", label, [Cell(fact.text, fact.line, fact.column)], fact.line)
        if cover.signed is not None:
            self.b.add_extra("signature", "By", [Cell(cover.signed.text, cover.signed.line, cover.signed.column)],
                             cover.signed.line)

    def _answer(self, question: str, fact) -> None:
        label = Cell(question, fact.line, fact.column)
        target, _ = self.b.spec.table("cover.answers").lookup(question)
        self.b.note_label("cover.answers", question, target, label)
        cell = Cell(fact.text, fact.line, fact.column)
        if target is not None and target != "extra":
            self.b.put(("filing", target), cell)
        else:
            self.b.add_extra("cover", question, [Cell(fact.text.rstrip("."), fact.line, fact.column)], fact.line)
