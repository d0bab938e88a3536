"""Write grammars/<name>.tables.json, the prebuilt parse tables of every built-in grammar
(remitgrammar/parse/tables.py says why). Run it after editing a built-in grammar or shared.lark,
or after upgrading lark; tests/test_tables.py fails while a table is stale.

    python tests/make_tables.py
"""

from __future__ import annotations

from remitgrammar.formats.resources import data_dir
from remitgrammar.parse.grammar import build, options_for
from remitgrammar.parse.tables import write


def main() -> int:
    for grammar in sorted(data_dir("grammars").glob("*.lark")):
        if grammar.name != "shared.lark":
            options = options_for(grammar)
            print(write(grammar, build(grammar, options), options))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
