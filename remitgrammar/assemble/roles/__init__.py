"""The roles a format spec gives its sections (formats/roles.py lists them and their parameters).

Each role is a class with ``run(rule, params, items)``; one instance of each
serves a whole report, so that what one section sets up (the classes the
summary names, the group columns) carries to the next.
"""

from __future__ import annotations

from typing import Protocol

from ...formats.roles import defaults_of
from ..record import Builder
from .class_table import ClassTables
from .cover import Cover
from .info_box import InfoBox
from .key_values import KeyValues
from .status_matrix import StatusMatrix
from .title_block import TitleBlock


class Role(Protocol):
    """What every role class offers the transformer."""

    def run(self, rule: str, params: dict, items: list) -> None: ...


class _Ignored:
    """Role ``ignored``: boilerplate, named so that its lines are known to hold no report values."""

    def run(self, rule: str, params: dict, items: list) -> None:
        return None


class Roles:
    """The role instances of one report."""

    def __init__(self, builder: Builder):
        self.b = builder
        self._roles: dict[str, Role] = {"class_table": ClassTables(builder), "key_values": KeyValues(builder),
                       "status_matrix": StatusMatrix(builder), "info_box": InfoBox(builder),
                       "cover": Cover(builder), "title_block": TitleBlock(builder), "ignored": _Ignored()}

    def run(self, role: str, rule: str, params: dict, items: list) -> None:
        """Map one section's items by its role, with every parameter the spec leaves out at its
        declared default (formats/roles.py)."""
        self.b.sections.append((rule, role))
        self.b.heading = None
        self._roles[role].run(rule, {**defaults_of(role), **params}, items)
        self.b.heading = None
