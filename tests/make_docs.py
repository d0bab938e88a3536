"""Rewrite the role parameter tables of docs/adding-a-format.md from the roles' declarations
(remitgrammar/formats/roles.py). Each table stands between ``<!-- parameters: ROLE -->`` and
``<!-- end parameters -->`` (``ROLE`` ``None``: the parameters every role takes). Run it after
changing a role's parameters; tests/test_docs.py fails while a table is stale.

    python tests/make_docs.py
"""

from __future__ import annotations

import re
from pathlib import Path

from remitgrammar.formats.roles import roles_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "adding-a-format.md"
TABLE = re.compile(r"(<!-- parameters: (\w+) -->\n)(.*?)(<!-- end parameters -->)", re.S)


def rewritten(text: str) -> str:
    """The document with every marked table written from the declarations."""
    def table(match: re.Match) -> str:
        role = None if match.group(2) == "None" else match.group(2)
        return match.group(1) + roles_markdown(role) + "\n" + match.group(4)
    return TABLE.sub(table, text)


def marked_roles(text: str) -> list[str]:
    return [match.group(2) for match in TABLE.finditer(text)]


def main() -> int:
    DOC.write_text(rewritten(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(DOC)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
