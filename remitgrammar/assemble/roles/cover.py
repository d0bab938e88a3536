"""Role ``cover``: the Form 8-K cover page, the statement heading and the signature block into ``filing``.

The shared grammar's cover rules (form heading, registrant, ids, address, ...)
arrive as CoverSteps; this role runs them. Each step reads the line tokens of
its rule, picked by their shared terminal names.
"""

from __future__ import annotations

from ...parse.grammar import short_name
from ...parse.values import Cell, split_phrases
from ..items import CoverStep
from ..record import Builder


def after(token, marker: str) -> Cell:
    """The text of a line token after ``marker``, stripped, with its column."""
    text = str(token).rstrip("\r\n\t\f ")
    start = text.index(marker) + len(marker)
    while start < len(text) and text[start] in " \t":
        start += 1
    return Cell(" ".join(text[start:].split()), token.line, token.column + start)


def _line_text(token) -> Cell:
    return after(token, "") if str(token).strip() else Cell("", token.line, token.column)


def _of(tokens, kind: str) -> list:
    return [t for t in tokens if short_name(t.type) == kind]


class Cover:
    """Runs the cover steps of one section."""

    def __init__(self, builder: Builder):
        self.b = builder

    def run(self, rule: str, params: dict, items: list) -> None:
        for item in items:
            if isinstance(item, CoverStep):
                getattr(self, "_" + item.method)(item.args)

    def _form_heading(self, tokens) -> None:
        """``FORM 8-K`` and the date of report."""
        self.b.put(("filing", "form_type"), after(_of(tokens, "FORM_LINE")[0], "FORM"))
        self.b.put(("filing", "report_date"), after(_of(tokens, "REPORT_DATE_LINE")[0], ":"))

    def _registrant(self, tokens) -> None:
        """The registrant's name; a second line is its continuation or the certificates' title."""
        cells = [_line_text(t) for t in _of(tokens, "TEXT_LINE")]
        name, title = [cells[0]], []
        for cell in cells[1:]:
            (name if cell.text.startswith("Series") and not title else title).append(cell)
        # Provenance points at the first line; the value joins the lines.
        self.b.put(("filing", "registrant"), name[0], value=", ".join(c.text for c in name),
                   end_line=name[-1].line)
        if title:
            self.b.put(("filing", "certificate_title"), title[0], value=", ".join(c.text for c in title),
                       end_line=title[-1].line)
        for cell in name:
            if "Series " in cell.text:
                offset = cell.text.rindex("Series ") + len("Series ")
                series = Cell(cell.text[offset:].split()[0].rstrip(","), cell.line, cell.column + offset)
                self.b.put(("filing", "series"), series)

    def _ids(self, tokens) -> None:
        """State of incorporation, commission file number, IRS employer id."""
        token = _of(tokens, "ID_LINE")[0]
        state, file_no, irs = split_phrases(str(token), token.line, token.column)
        self.b.put(("filing", "state_of_incorporation"), state)
        self.b.put(("filing", "commission_file_number"), file_no)
        self.b.put(("filing", "irs_employer_id"), irs)

    def _address(self, tokens) -> None:
        """Address lines joined by ', '; a zip code printed far right joins its line."""
        lines = _of(tokens, "TEXT_LINE")
        phrases = [split_phrases(str(t), t.line, t.column) for t in lines]
        value = ", ".join(" ".join(p.text for p in line) for line in phrases)
        self.b.put(("filing", "address"), phrases[0][0], value=value, end_line=lines[-1].line)

    def _phone(self, tokens) -> None:
        """The registrant's telephone number."""
        self.b.put(("filing", "telephone"), after(tokens[0], ":"))

    def _answer(self, tokens) -> None:
        """An item answered on the cover (``Have and deficiencies occurred?  NO.``)."""
        token = tokens[0]
        phrases = split_phrases(str(token), token.line, token.column)
        answer = phrases[-1]
        question = phrases[:-1]
        if question and len(question[0].text) <= 3 and question[0].text.endswith("."):
            question = question[1:]
        label = Cell(" ".join(p.text for p in question), question[0].line, question[0].column)
        target, _ = self.b.spec.table("cover.answers").lookup(label.text)
        self.b.note_label("cover.answers", label.text, target, label)
        if target is not None and target != "extra":
            self.b.put(("filing", target), answer)
        else:
            self.b.add_extra("cover", label.text.rstrip(":"), [Cell(answer.text.rstrip("."), answer.line,
                                                                    answer.column)], token.line)

    def _dated(self, tokens, label: str = "Monthly Report dated") -> None:
        """A date printed in the cover's text; kept in extra under its line's words, or ``label``."""
        token = tokens[0]
        phrases = split_phrases(str(token), token.line, token.column)
        last = phrases[-1]
        if last.text[:1].isdigit():
            printed = " ".join(p.text for p in phrases[:-1]) or label
            self.b.add_extra("cover", printed, [last], token.line)

    def _exhibits(self, tokens) -> None:
        """The exhibit list's report dates."""
        for exhibit in _of(tokens, "EXHIBIT_LINE"):
            self._dated([exhibit], "Monthly Distribution Report Dated")

    def _distribution_made(self, tokens) -> None:
        """``On 16-Jun-03 a scheduled distribution was made``: kept in extra."""
        date = after(tokens[0], "On")
        text = date.text.split(" a scheduled")[0]
        self.b.add_extra("cover", "scheduled distribution made on", [Cell(text, date.line, date.column)],
                         tokens[0].line)

    def _distribution_date(self, tokens) -> None:
        """The statement's distribution date."""
        self.b.put(("distribution_date",), after(_of(tokens, "DISTRIBUTION_DATE_LINE")[0], ":"), kind="date")

    def _signature(self, tokens) -> None:
        """Signer, title and trustee of the signature block."""
        by_line, name_line, title_line, trustee_line = [t for t in tokens
                                                        if short_name(t.type) != "SIGNATURES_TITLE"][:4]
        signed = after(by_line, "By:")
        self.b.add_extra("signature", "By", [signed], by_line.line)
        self.b.put(("filing", "signer_name"), after(name_line, "Name:"))
        self.b.put(("filing", "signer_title"), after(title_line, "Title:"))
        trustee = _line_text(trustee_line)
        text = trustee.text.split(", as Trustee")[0]
        self.b.put(("filing", "trustee"), Cell(text, trustee.line, trustee.column))
