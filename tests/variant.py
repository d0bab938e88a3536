"""A report in a layout no built-in format accepts, made from a seed for the walkthrough test.

docs/adding-a-format.md follows the same steps by hand. The changes, each of a
kind trustees really made between filings:

* renamed labels: "Orig Bal" is printed "Original Bal", "Beginning Bal" is
  "Opening Balance", "Servicing Fee" is "Master Servicing Fee";
* a reordered section: the Interest Shortfall tables come after the key-value
  footer instead of before it;
* an extra column: the Loss / Total Dist block gains a "Factor" column.
"""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).resolve().parent / "corpus" / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected one '{old}' in the seed"
    return text.replace(old, new)


def make_variant(text: str) -> str:
    """The seed's text in the variant layout."""
    text = _replace(text, "     Class         Orig Bal       Beg Bal           Prin",
                    "     Class         Original Bal   Beg Bal           Prin")
    text = _replace(text, "Beginning Bal     476,502,065", "Opening Balance   476,502,065")
    text = _replace(text, "Servicing Fee                                          305,569",
                    "Master Servicing Fee                                   305,569")
    text = _add_factor_column(text)
    start = text.index("Interest Shortfall\n")
    end = text.index("Num. of Loans for which Prep.Prem.")
    shortfalls = text[start:end]
    text = text[:start] + text[end:]
    signatures = text.index("                SIGNATURES")
    return text[:signatures] + shortfalls + text[signatures:]


def _add_factor_column(text: str) -> str:
    lines = text.split("\n")
    start = lines.index("     Class           Loss        Total Dist")
    lines[start] += "        Factor"
    for offset in range(1, 15):  # the 13 class rows and the Total row
        lines[start + offset] += f"{'    0.98256951':>14}"
    return "\n".join(lines)


def write_variant(target: Path) -> Path:
    """Write the variant report to ``target`` and return it."""
    target.write_text(make_variant(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    return target
