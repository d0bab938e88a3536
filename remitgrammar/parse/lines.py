"""Split a run token (several rows of one kind, one lark token) back into its lines."""

from __future__ import annotations

from .grammar import short_name
from .values import Cell


class RowLine:
    """One row of a run token, with the position lark would have given it alone.

    Attributes:
        text: the row's text, without its line end.
        line: 1-based line number.
        column: 1-based column where the text starts (always 1: rows start a line).
        type: the run's terminal name without its namespace (``CLASS_ROWS``).
        wrapped: the rest of the row's first word, printed alone on the next line (a class name
            too wide for its column: "LT-" over "ACCRUAL"), or None.
    """

    __slots__ = ("text", "line", "column", "type", "wrapped")

    def __init__(self, text: str, line: int, column: int, type_: str):
        self.text, self.line, self.column, self.type = text, line, column, type_
        self.wrapped: Cell | None = None

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"RowLine({self.line}: {self.text!r})"


def expand(token) -> list[RowLine]:
    """The non-blank lines of a token, each with its own line number."""
    kind = short_name(token.type)
    rows = []
    for offset, text in enumerate(str(token).split("\n")):
        if text.strip():
            rows.append(RowLine(text, token.line + offset, token.column if offset == 0 else 1, kind))
    return rows


def expand_all(tokens) -> list[RowLine]:
    """The lines of several tokens, in order."""
    return [row for token in tokens for row in expand(token)]


def join_wrapped(rows: list[RowLine]) -> list[RowLine]:
    """Rows with a first word that ends in a hyphen and goes on alone on the next line ("LT-"
    over "ACCRUAL") as one row, the rest of the word in ``wrapped``."""
    out: list[RowLine] = []
    for row in rows:
        before = out[-1] if out else None
        word = row.text.strip()
        if (before is not None and before.wrapped is None and row.line == before.line + 1 and word
                and " " not in word and before.text.split(None, 1)[0].endswith("-")):
            before.wrapped = Cell(word, row.line, len(row.text) - len(row.text.lstrip()) + 1)
            continue
        out.append(row)
    return out
