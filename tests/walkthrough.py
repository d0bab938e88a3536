"""The edits docs/adding-a-format.md makes by hand, as data: tests/test_adding_a_format.py makes them to
test the walkthrough, and the document's examples (written again by tests/make_examples.py) make them
with this script before running the commands whose output they show, so the output cannot drift.

    python tests/walkthrough.py STEP     # in the directory holding acme-2003-06.txt and formats/
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SPEC = Path("specs/formats/acme-absc-2003.yaml")
GRAMMAR = Path("grammars/acme_absc_2003.lark")
ALIASES = Path("specs/aliases/acme-absc-2003.yaml")
REPORT = "acme-2003-06.txt"

# step -> (file under formats/, old text, new text): what the document's diff blocks show
EDITS = {
    3: [(SPEC, "  - Orig Bal\n", "  - Original Bal\n"),
        (SPEC, "sample: ''", f"sample: samples/{REPORT}"),
        (GRAMMAR, "delinquency_info: DELINQUENCY_TITLE delinquency_table+ status_table+\n",
         "delinquency_info: DELINQUENCY_TITLE delinquency_table+ status_table+ footer?\n")],
    4: [(ALIASES, "    original_balance: [Orig Bal, Orig Face Value]",
         "    original_balance: [Orig Bal, Orig Face Value, Original Bal]\n    extra: [Factor]"),
        (ALIASES, "beginning_balance: [Beginning Bal, Beginning Balance, Beg Bal]",
         "beginning_balance: [Beginning Bal, Beginning Balance, Beg Bal, Opening Balance]"),
        (ALIASES, "servicing_fee: [Servicing Fee, Serv Fee]",
         "servicing_fee: [Servicing Fee, Serv Fee, Master Servicing Fee]")],
}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"walkthrough: {old!r} is not in {path}")
    path.write_text(text.replace(old, new), encoding="utf-8")


def make(step: int, home: Path) -> None:
    """Make a step's edits in ``home`` (which holds the report and formats/); step 3 also gives the
    format its sample, a copy of the report."""
    formats = home / "formats"
    if step == 3:
        (formats / "samples").mkdir(exist_ok=True)
        shutil.copyfile(home / REPORT, formats / "samples" / REPORT)
    for path, old, new in EDITS[step]:
        edit(formats / path, old, new)


if __name__ == "__main__":
    make(int(sys.argv[1]), Path.cwd())
