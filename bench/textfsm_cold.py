"""A cold TextFSM run, the baseline of a cold `remitgrammar check FILE`: import textfsm, read the
template of bench/textfsm/ and parse one file with it, in a fresh interpreter.

    python bench/textfsm_cold.py FILE
"""

import sys
from pathlib import Path

import textfsm

TEMPLATE = Path(__file__).resolve().parent / "textfsm" / "usbank_absc_2003.textfsm"

with TEMPLATE.open(encoding="utf-8") as template:
    rows = textfsm.TextFSM(template).ParseText(Path(sys.argv[1]).read_text(encoding="utf-8"))
print(len(rows[0][1]) if rows else 0, "classes")
