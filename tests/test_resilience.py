"""One misfit costs one line, never the report: every golden sample, changed as real filings change.

Into each sample of the golden corpus the tests put an unknown line in its title block, an unknown
page between two of its sections, and move one of its sections elsewhere. The report must still
give at least 95% of the canonical values of the unchanged report, with the same values; the
findings the changes cause must point at the inserted lines only, and every figure printed on
them must be kept (in `extra`) or named by a finding. Then every format's sample, wrapped as an
EDGAR submission with its 8-K cover as document 1, must give the record of the bare sample.
"""

from __future__ import annotations

import pytest
from lark import Tree

from golden import corpus_files
from remitgrammar.errors import RemitError
from remitgrammar.formats.search import all_formats
from remitgrammar.parse.grammar import short_name
from remitgrammar.parse.values import is_cell
from remitgrammar.pipeline import parse_reports, parse_result
from remitgrammar.records import parse_rendered, value_at

SAMPLES = [p for p in corpus_files() if not p.name.endswith(".submission.txt")]
IDS = [f"{p.parent.name}/{p.stem}" for p in SAMPLES]

TITLE_LINE = "PREPARED FOR HOLDERS OF RECORD AS OF THE RECORD DATE   REF 4471-B  7"
UNKNOWN_PAGE = [
    "",
    "                              NOTICE TO CERTIFICATEHOLDERS",
    "",
    "The Trustee was advised of a change of the servicer's payment address for this series.",
    "INSURED AMOUNT PAID THIS PERIOD                                 12,345.67",
    "",
]


def outcome(text: str, name: str = "changed.txt"):
    """The ParseResult of a text, also when it raises with a partial record."""
    try:
        return parse_result(text, name)
    except RemitError as exc:
        assert exc.result is not None, exc.render()
        return exc.result


def canonical(result) -> dict:
    """path -> value of every value the record holds."""
    return {path: value_at(result.record, parse_rendered(path)) for path in result.provenance}


def kept(before: dict, after: dict) -> float:
    same = sum(1 for path, value in before.items() if path in after and after[path] == value)
    return 100.0 * same / len(before)


def findings_at(result) -> set:
    return {(f["code"], f.get("line")) for f in result.record["findings"] if f["severity"] != "info"}


def top_sections(result) -> list:
    """(first line, last line) of each part of the report the start rule holds, in order."""
    spans = []
    for child in result.tree.children:
        lines = sorted(_lines(child))
        if lines:
            spans.append((short_name(str(child.data)) if isinstance(child, Tree) else child.type,
                          lines[0], lines[-1]))
    return spans


def _lines(node):
    if isinstance(node, Tree):
        for child in node.children:
            yield from _lines(child)
    else:
        yield node.line
        yield node.line + str(node).rstrip("\n").count("\n")


def insert(lines: list[str], at: int, new: list[str]) -> tuple[list[str], range]:
    """The lines with ``new`` before line ``at`` (1-based), and the numbers the new lines get."""
    return lines[:at - 1] + new + lines[at - 1:], range(at, at + len(new))


def check_changed(original, text: str, inserted: set) -> None:
    changed = outcome(text)
    before, after = canonical(original), canonical(changed)
    assert kept(before, after) >= 95, f"{kept(before, after):.1f}% of the values kept"
    def back(line):  # a line of the changed text as the original numbers it
        return line if line is None or line < inserted.start or line in inserted else line - len(inserted)
    new = {(code, line) for code, line in findings_at(changed) if (code, back(line)) not in findings_at(original)}
    shifted = {line for _, line in new if line not in inserted}
    assert not shifted, f"findings on lines that were not inserted: {sorted(new)}"
    lines = text.split("\n")
    named = {line for _, line in new}
    extra = {(e["line"], v) for e in changed.record["extra"] for v in e["values"]}
    for number in inserted:
        figures = [piece for piece in lines[number - 1].split() if any(ch.isdigit() for ch in piece) and is_cell(piece)]
        for figure in figures:
            assert number in named or (number, figure) in extra, f"line {number}: {figure} neither kept nor named"


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_an_unknown_line_in_the_title_block_costs_that_line(path):
    """Under the first line of the statement's title (a Form 8-K cover before it is its own page)."""
    text = path.read_text(encoding="utf-8")
    original = outcome(text)
    first = next(line for name, line, _ in top_sections(original)
                 if (original.spec.section(name) or ("",))[0] != "cover")
    changed, inserted = insert(text.split("\n"), first + 1, [TITLE_LINE])
    check_changed(original, "\n".join(changed) + "\n", inserted)


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_an_unknown_page_between_two_sections_costs_its_own_lines(path):
    text = path.read_text(encoding="utf-8")
    original = outcome(text)
    sections = [s for s in top_sections(original) if original.spec.section(s[0])]
    name, first, _ = sections[len(sections) // 2]
    changed, inserted = insert(text.split("\n"), first, UNKNOWN_PAGE)
    check_changed(original, "\n".join(changed) + "\n", inserted)


@pytest.mark.parametrize("path", SAMPLES, ids=IDS)
def test_a_section_moved_elsewhere_is_read_where_it_stands(path):
    """The last section that does not name the classes moves ahead of the one before it."""
    text = path.read_text(encoding="utf-8")
    original = outcome(text)
    spans = [s for s in top_sections(original) if original.spec.section(s[0])
             and not original.spec.section(s[0])[1].get("defines_classes")]
    (_, first_a, _), (name, first_b, last_b) = spans[-2], spans[-1]
    lines = text.split("\n")
    end_b = next((s[1] for s in top_sections(original) if s[1] > last_b), len(lines) + 1) - 1
    moved = lines[first_b - 1:end_b]
    changed = lines[:first_a - 1] + moved + lines[first_a - 1:first_b - 1] + lines[end_b:]
    result = outcome("\n".join(changed) + "\n")
    before, after = canonical(original), canonical(result)
    assert kept(before, after) >= 95, f"{name} moved: {kept(before, after):.1f}% of the values kept"
    assert [f for f in result.record["findings"] if f["code"].startswith(("RG1", "RG9"))] == []


def test_the_changes_do_change_the_text():
    """The cases above test what they say: each change makes a different text, and a changed line
    that no role reads is named (an unknown page inside a class table is not silent)."""
    report = next(p for p in SAMPLES if p.parent.name == "usbank-absc-2003")
    text = report.read_text(encoding="utf-8")
    lines = text.split("\n")
    summary = next(i for i, line in enumerate(lines, 1) if line.strip() == "DISTRIBUTION SUMMARY")
    changed, inserted = insert(lines, summary + 4, ["  X-9   ?  1,000  2,000"])
    result = outcome("\n".join(changed) + "\n")
    assert {line for _, line in findings_at(result)} >= set(inserted)


# Requirement 3: the 8-K cover as its own document.

HEADER = """<SEC-DOCUMENT>0000999999-05-000123.txt : 20050830
<SEC-HEADER>0000999999-05-000123.hdr.sgml : 20050830
ACCESSION NUMBER:\t\t0000999999-05-000123
CONFORMED SUBMISSION TYPE:\t8-K
PUBLIC DOCUMENT COUNT:\t\t2
CONFORMED PERIOD OF REPORT:\t20050825
FILED AS OF DATE:\t\t20050830

FILER:

\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tSAMPLE TRUST
\t\tCENTRAL INDEX KEY:\t\t\t0000999999
</SEC-HEADER>
"""
COVER = """SECURITIES AND EXCHANGE COMMISSION
Washington, D.C.  20549

FORM 8-K

CURRENT REPORT

Date of Report (Date of earliest event reported):  August 25, 2005

SAMPLE HOME EQUITY LOAN TRUST 2005-9
(Exact name of registrant as specified in its charter)

     Delaware                    333-100000-09               13-1234567
(State or other jurisdiction   (Commission File Number)   (I.R.S. Employer
 of incorporation)                                        Identification No.)

100 Sample Plaza
New York, New York                                            10005
(Address of principal executive offices)                     (Zip Code)

Registrant's telephone number, including area code:  (212) 555-0100

Item 8.01  Other Events

     The monthly statement to certificateholders is filed as Exhibit 99.1.

                                  SIGNATURES

                              SAMPLE NATIONAL BANK, as Trustee

                              By: /s/ Jordan Example
                              Name:  Jordan Example
                              Title: Vice President
"""


def document(kind: str, sequence: int, text: str) -> str:
    return f"<DOCUMENT>\n<TYPE>{kind}\n<SEQUENCE>{sequence}\n<TEXT>\n{text.rstrip()}\n</TEXT>\n</DOCUMENT>\n"


def wrapped(spec, sample: str) -> str:
    """The sample as EDGAR serves a filing of its format: a layout that prints its statement in the
    8-K's own body gets it as document 1; any other gets a cover as document 1 and the statement as
    EX-99.1."""
    if spec.reads_cover:
        body = document("8-K", 1, sample)
    else:
        body = document("8-K", 1, COVER) + document("EX-99.1", 2, sample)
    return HEADER + body + "</SEC-DOCUMENT>\n"


def built_in_with_samples():
    root = SAMPLES[0].parents[3]
    return [(spec, root / spec.sample) for spec in all_formats() if spec.origin == "built-in" and spec.sample]


@pytest.mark.parametrize("spec,sample", built_in_with_samples(), ids=lambda v: getattr(v, "name", ""))
def test_a_sample_wrapped_as_a_submission_gives_the_same_record(spec, sample):
    bare_text = sample.read_text(encoding="utf-8")
    bare = outcome(bare_text, str(sample))
    data = wrapped(spec, bare_text)
    offset = data.split("\n").index(bare_text.split("\n")[0]) if spec.reads_cover else \
        data.split("\n").index(bare_text.split("\n")[0], data.split("\n").index("<TYPE>EX-99.1"))
    ((_, result),) = list(parse_reports("wrapped.txt", data=data.encode("utf-8")))
    result = result.result if isinstance(result, RemitError) else result
    for key in ("filing", "distribution_date", "classes", "class_totals", "collateral", "delinquency", "pool"):
        assert result.record.get(key) == bare.record.get(key), key
    assert {path: (where["line"] - offset, where["column"], where["text"]) for path, where in result.provenance.items()} \
        == {path: (where["line"], where["column"], where["text"]) for path, where in bare.provenance.items()}
    edgar = result.record["source"]["edgar"]
    if not spec.reads_cover:
        cover = edgar["cover"]
        assert (cover["registrant"], cover["commission_file_number"], cover["report_date"], cover["signer_name"]) \
            == ("SAMPLE HOME EQUITY LOAN TRUST 2005-9", "333-100000-09", "2005-08-25", "Jordan Example")
        assert [d["type"] for d in edgar["documents"]] == ["EX-99.1"]
