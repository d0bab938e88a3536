"""Split a run token (several rows of one kind, one lark token) back into its lines."""

from __future__ import annotations

from .grammar import short_name


class RowLine:
    """One row of a run token, with the position lark would have given it alone.

    Attributes:
        text: the row's text, without its line end.
        line: 1-based line number.
        column: 1-based column where the text starts (always 1: rows start a line).
        type: the run's terminal name without its namespace (``CLASS_ROWS``).
    """

    __slots__ = ("text", "line", "column", "type")

    def __init__(self, text: str, line: int, column: int, type_: str):
        self.text, self.line, self.column, self.type = text, line, column, type_

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
