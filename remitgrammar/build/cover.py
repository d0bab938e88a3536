"""The Form 8-K cover page, the statement heading and the signature block into ``filing``."""

from __future__ import annotations

from .record import Builder
from ..parse.values import Cell, split_phrases


def after(token, marker: str) -> Cell:
    """The text of a line token after ``marker``, stripped, with its column."""
    text = str(token).rstrip("\r\n\t\f ")
    start = text.index(marker) + len(marker)
    while start < len(text) and text[start] in " \t":
        start += 1
    return Cell(" ".join(text[start:].split()), token.line, token.column + start)


def _line_text(token) -> Cell:
    return after(token, "") if str(token).strip() else Cell("", token.line, token.column)


class Cover:
    """Maps the cover page, statement heading and signature lines."""

    def __init__(self, builder: Builder):
        self.b = builder

    def form_heading(self, form_line, date_line) -> None:
        """``FORM 8-K`` and the date of report."""
        self.b.put(("filing", "form_type"), after(form_line, "FORM"))
        self.b.put(("filing", "report_date"), after(date_line, ":"))

    def registrant(self, lines: list) -> None:
        """The registrant's name; a second line is its continuation or the certificates' title."""
        cells = [_line_text(t) for t in lines]
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

    def ids(self, token) -> None:
        """State of incorporation, commission file number, IRS employer id."""
        state, file_no, irs = split_phrases(str(token), token.line, token.column)
        self.b.put(("filing", "state_of_incorporation"), state)
        self.b.put(("filing", "commission_file_number"), file_no)
        self.b.put(("filing", "irs_employer_id"), irs)

    def address(self, lines: list) -> None:
        """Address lines joined by ', '; a zip code printed far right joins its line."""
        phrases = [split_phrases(str(t), t.line, t.column) for t in lines]
        value = ", ".join(" ".join(p.text for p in line) for line in phrases)
        self.b.put(("filing", "address"), phrases[0][0], value=value, end_line=lines[-1].line)

    def phone(self, token) -> None:
        """The registrant's telephone number."""
        self.b.put(("filing", "telephone"), after(token, ":"))

    def answer(self, token) -> None:
        """An item answered on the cover (``Have and deficiencies occurred?  NO.``)."""
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

    def dated(self, token, label: str) -> None:
        """A date printed in the cover's text; kept in extra under its line's words, or ``label``."""
        phrases = split_phrases(str(token), token.line, token.column)
        last = phrases[-1]
        if last.text[:1].isdigit():
            printed = " ".join(p.text for p in phrases[:-1]) or label
            self.b.add_extra("cover", printed, [last], token.line)

    def distribution_made(self, token) -> None:
        """``On 16-Jun-03 a scheduled distribution was made``: kept in extra."""
        date = after(token, "On")
        text = date.text.split(" a scheduled")[0]
        self.b.add_extra("cover", "scheduled distribution made on", [Cell(text, date.line, date.column)],
                         token.line)

    def distribution_date(self, token) -> None:
        """The statement's distribution date."""
        self.b.put(("distribution_date",), after(token, ":"), kind="date")

    def signature(self, by_line, name_line, title_line, trustee_line) -> None:
        """Signer, title and trustee of the signature block."""
        signed = after(by_line, "By:")
        self.b.add_extra("signature", "By", [signed], by_line.line)
        self.b.put(("filing", "signer_name"), after(name_line, "Name:"))
        self.b.put(("filing", "signer_title"), after(title_line, "Title:"))
        trustee = _line_text(trustee_line)
        text = trustee.text.split(", as Trustee")[0]
        self.b.put(("filing", "trustee"), Cell(text, trustee.line, trustee.column))
