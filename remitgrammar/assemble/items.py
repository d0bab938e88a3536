"""What the shared grammar rules become on their way up to the section that holds them.

The transformer turns each shared building block (a class block, a run of
key-value rows, a table heading) into one of these; a section's role receives
them, in order, together with the line tokens of the section's own terminals.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """One block of a class table, as the grammar found it.

    Attributes:
        heading: the heading line tokens.
        rows: the row lines (class rows, then the total row if any).
        labelled: False for a block whose rows carry no class names.
        has_total: True when the last row is the block's total row.
    """

    heading: list
    rows: list
    labelled: bool
    has_total: bool


@dataclass
class Heading:
    """The column heading lines of a status or loan table."""

    tokens: list


@dataclass
class Rows:
    """A run of key-value rows of one kind: ``kv``, ``sum``, ``group``, ``text``, ``two_line``."""

    kind: str
    rows: list


@dataclass
class Subsection:
    """A heading line and the key-value rows under it."""

    heading: object
    items: list = field(default_factory=list)
