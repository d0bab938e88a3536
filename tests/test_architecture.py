"""The package's shape: formats are data, and the stages import each other without circles.

A format's whole definition is its grammar and its YAML: no Python file of the
package may name a rule or terminal that a format's own grammar defines (the
names of ``grammars/shared.lark`` are the shared vocabulary Python implements).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "remitgrammar"
FORMAT_GRAMMARS = sorted(p for p in (ROOT / "grammars").glob("*.lark") if p.name != "shared.lark")
DEFINITION = re.compile(r"^\??([A-Za-z_][A-Za-z0-9_]*)(?:\.\d+)?\s*:", re.M)


def grammar_names(path: Path) -> set[str]:
    """Rules and terminals a grammar file defines itself (``start`` is lark's, every grammar has it)."""
    return {name for name in DEFINITION.findall(path.read_text(encoding="utf-8")) if name != "start"}


def code_words(path: Path) -> set[str]:
    """Identifiers and the words inside string literals of a Python file (comments and docstrings left out)."""
    source = path.read_text(encoding="utf-8")
    doc_lines = {n.lineno for n in ast.walk(ast.parse(source))
                 if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
    words = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME:
            words.add(token.string)
        elif token.type == tokenize.STRING and token.start[0] not in doc_lines:
            words.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", token.string))
    return words


@pytest.mark.parametrize("grammar", FORMAT_GRAMMARS, ids=lambda p: p.name)
def test_no_python_names_a_format_grammars_own_rules_or_terminals(grammar):
    names = grammar_names(grammar)
    assert names, "the grammar defines no rule of its own?"
    used = {py.relative_to(ROOT).as_posix(): sorted(names & code_words(py)) for py in PACKAGE.rglob("*.py")}
    assert {path: found for path, found in used.items() if found} == {}


def test_the_meta_test_sees_a_name_in_code(tmp_path):
    """A Python file that dispatches on a format's own rule name is caught."""
    grammar = FORMAT_GRAMMARS[0]
    name = sorted(grammar_names(grammar))[0]
    sample = tmp_path / "bad.py"
    sample.write_text(f'"""Doc mentions {name} harmlessly."""\nif rule == "{name}":\n    pass\n')
    assert name in code_words(sample)
    sample.write_text(f'"""Doc mentions {name} harmlessly."""\n# a comment: {name}\n')
    assert name not in code_words(sample)


def _imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports (relative imports resolved)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
                found.update(m for m in [base] + [f"{base}.{a.name}" for a in node.names] if m in modules)
        graph[name] = found - {name}
    return graph


def test_no_import_circle():
    graph, done, cycles = _imports(), set(), []

    def visit(node, stack):
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in done:
            return
        for dep in graph[node]:
            visit(dep, stack + [node])
        done.add(node)

    for module in graph:
        visit(module, [])
    assert cycles == []


def test_stages_are_folders_in_pipeline_order():
    for stage in ("intake", "detect", "parse", "assemble", "check", "emit", "formats"):
        assert (PACKAGE / stage / "__init__.py").is_file(), stage
    assert (ROOT / "docs" / "architecture.md").is_file()
