"""Documentation that must stay true: every finding code used in the code is documented."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_finding_code_is_documented():
    used = set()
    for source in (ROOT / "remitgrammar").rglob("*.py"):
        used |= set(re.findall(r'"(RG\d{3})"', source.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^\| (RG\d{3}) \|", (ROOT / "docs" / "findings.md").read_text(), re.M))
    documented |= set(re.findall(r"^## (RG\d{3}) ", (ROOT / "docs" / "rules.md").read_text(), re.M))
    assert used, "no finding codes found in the code"
    assert used <= documented, f"undocumented: {sorted(used - documented)}"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```", 2)[1]
    commands = [line for line in block.splitlines() if line and not line.startswith(("#", "sh"))]
    assert len(commands) == 2
    assert "remitgrammar parse tests/corpus" in commands[0]
    test_command = commands[1].split(" && ", 2)[-1]
    assert test_command == 'pip install ".[test]" && pytest -q'
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_benchmark_script_runs_and_prints_its_figures():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_parse.py"), "--seconds", "0.05",
                          "--cold-runs", "1", "--reports", "2"], capture_output=True, text=True, check=True).stdout
    assert "docs/s" in out and "ratio baseline/remitgrammar" in out and "cold `remitgrammar parse" in out
    assert "bytecode: compiled" in out and ("PASS" in out or "MISS" in out)


def test_the_role_parameter_tables_are_the_roles_declarations():
    """docs/adding-a-format.md prints every role's parameters as roles.py declares them."""
    from make_docs import DOC, marked_roles, rewritten

    from remitgrammar.formats.roles import ROLES
    text = DOC.read_text(encoding="utf-8")
    assert sorted(marked_roles(text)) == sorted([*ROLES, "None"]), "a role's table is missing from the document"
    assert rewritten(text) == text, "a parameter table is stale: run python tests/make_docs.py"


def test_the_examples_of_command_output_are_what_the_commands_print():
    """README.md's and docs/*.md's marked examples are real runs (tests/make_examples.py writes them)."""
    from make_examples import DOCS, marked, rewritten

    texts = {doc: doc.read_text(encoding="utf-8") for doc in DOCS}
    assert len(marked(texts[ROOT / "README.md"])) >= 5 and marked(texts[ROOT / "docs" / "adding-a-format.md"])
    stale = [doc.name for doc, text in texts.items() if marked(text) and rewritten(text) != text]
    assert not stale, f"examples out of date in {stale}: run python tests/make_examples.py"


def test_a_stale_example_is_found(tmp_path):
    from make_examples import rewritten

    text = "Text.\n\n<!-- run -->\n```\n$ echo one && echo two >&2\nthree\n```\n<!-- end run -->\nMore.\n"
    assert rewritten(text) == text.replace("three", "one\ntwo")
    single = "<!-- run: printf 'a\\nb\\n' | sed -n 2p -->\n```json\nold\n```\n<!-- end run -->\n"
    assert rewritten(single) == single.replace("old", "b")
