"""The bundle of built-in specs (remitgrammar/formats/bundle.py, packed.py, tests/make_bundle.py): current,
the same formats as their YAML, used only when it is whole and current, and never for a formats directory."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from make_bundle import bundle_text
from typer.testing import CliRunner

from remitgrammar.cli import app
from remitgrammar.errors import ConfigError
from remitgrammar.formats import bundle, search, specs
from remitgrammar.formats.resources import data_dir
from remitgrammar.formats.specs import FormatSpec, read_yaml

ROOT = data_dir("specs").parent
CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = CORPUS / "usbank-absc-2003" / "absc_2003-he2_2003-06-16.txt"


@pytest.fixture
def fresh(monkeypatch):
    """Empty caches of the bundle and of what is built from it, for this test only: the process's own
    (other tests hold on to its formats) come back afterwards."""
    for module, name in ((bundle, "payload"), (specs, "canonical"), (search, "_load_all"), (search, "canonical_months")):
        cached = getattr(module, name)
        monkeypatch.setattr(module, name, functools.lru_cache(maxsize=None)(cached.__wrapped__))


def test_the_bundle_is_current():
    """A stale bundle costs every run the YAML: run python tests/make_bundle.py."""
    assert bundle.bundle_path().read_text(encoding="utf-8") == bundle_text(), \
        "specs/formats.bundle.json is stale: run python tests/make_bundle.py"
    assert bundle.payload() is not None


def test_the_built_in_formats_come_from_the_bundle(fresh, monkeypatch):
    def no_yaml(*args, **kwargs):
        raise AssertionError("a built-in spec was read from its YAML")

    monkeypatch.setattr(search, "load_format", no_yaml)
    monkeypatch.setattr(specs, "read_yaml", no_yaml)
    names = [spec.name for spec in search.every_format()]
    assert names == BUILT_IN
    assert "classes" in specs.canonical()


def test_a_format_from_the_bundle_is_the_one_its_yaml_gives(fresh):
    bundled = search.every_format()
    from_yaml = search.yaml_formats(ROOT, "built-in")
    assert [s.name for s in bundled] == [s.name for s in from_yaml]
    for one, other in zip(bundled, from_yaml, strict=True):
        for field in dataclasses.fields(FormatSpec):
            if field.compare:
                assert getattr(one, field.name) == getattr(other, field.name), (one.name, field.name)
        assert one.aliases.keys() == other.aliases.keys() and one.aliases
        for scope, table in one.aliases.items():
            assert (table.exact, table.templates) == (other.aliases[scope].exact, other.aliases[scope].templates)
            for label in list(table.exact)[:20]:
                assert table.lookup(label) == other.aliases[scope].lookup(label)
        assert one.months.carries and type(one.months) is type(other.months)
        assert all(type(a) is type(b) for a, b in zip(one.identities, other.identities, strict=True))


def test_the_documents_the_bundle_keeps_are_their_yaml(fresh):
    assert specs.canonical() == read_yaml(ROOT / "specs" / "canonical.yaml")
    for path in (ROOT / "specs" / "errors").glob("*.yaml"):
        copy = specs.load_yaml(path, ROOT / "specs")
        assert copy == read_yaml(path, ROOT / "specs") and copy["examples"]
        copy["examples"].clear()  # each caller gets its own copy
        assert specs.load_yaml(path, ROOT / "specs")["examples"]


def _check_in_a_fresh_process(report: Path, *options, cwd: Path) -> subprocess.CompletedProcess:
    """``remitgrammar check REPORT``, then whether PyYAML was imported."""
    code = ("import sys, runpy\n"
            f"sys.argv = ['remitgrammar', 'check', {str(report)!r}, *{[str(o) for o in options]!r}]\n"
            "try:\n    runpy.run_module('remitgrammar', run_name='__main__')\n"
            "except SystemExit as exit:\n    print('exit', exit.code, file=sys.stderr)\n"
            "print('yaml imported:', 'yaml' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, "REMITGRAMMAR_CACHE_DIR": str(cwd / "cache")}
    env.pop("REMITGRAMMAR_PATH", None)
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


BUILT_IN = sorted(p.stem for p in (ROOT / "specs" / "formats").glob("*.yaml"))
FIRST_OF_EACH = [sorted((CORPUS / name).glob("*.txt"))[0] for name in BUILT_IN]


@pytest.mark.parametrize("sample", FIRST_OF_EACH, ids=[p.parent.name for p in FIRST_OF_EACH])
def test_a_one_file_check_of_a_built_in_format_imports_no_yaml(sample, tmp_path):
    done = _check_in_a_fresh_process(sample, cwd=tmp_path)
    assert "Traceback" not in done.stderr and done.stdout.strip(), done.stderr[-800:]
    assert "exit 0" in done.stderr or "exit 1" in done.stderr, done.stderr[-800:]
    assert "yaml imported: False" in done.stderr, done.stderr[-800:]


@pytest.fixture
def formats(tmp_path, monkeypatch):
    """A formats directory holding acme, a copy of usbank-absc-2003."""
    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(app, ["new-format", "acme", "--from", "usbank-absc-2003", "--into", "formats"])
    assert made.exit_code == 0, made.output
    return tmp_path / "formats"


def test_a_formats_directory_is_read_as_yaml(formats, tmp_path):
    done = _check_in_a_fresh_process(SEED, "--formats-dir", formats, cwd=tmp_path)
    assert "yaml imported: True" in done.stderr and "Traceback" not in done.stderr, done.stderr[-800:]


NESTED = "deep: " + "[" * 45 + "]" * 45 + "\n"
LAUGHS = "\n".join(['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                   + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
                   + ["columns: {summary: {total_distribution: *a9}}"]) + "\n"


# (file, text, code, words of the finding, the line it names given the lines the file held before)
CAPPED = [("specs/formats/acme.yaml", NESTED, "RG221", "nests deeper than", lambda before: before + 1),
          ("specs/aliases/acme.yaml", LAUGHS, "RG221", "once its aliases are expanded", lambda before: 6),
          ("specs/formats/acme.yaml", "broken: [unclosed\n", "RG210", "not valid YAML at line", lambda before: before + 2)]


@pytest.mark.parametrize("file, text, code, words, line", CAPPED, ids=["nesting", "aliases", "syntax"])
def test_a_formats_directory_gets_every_check_of_its_yaml(formats, file, text, code, words, line):
    path = formats / file
    before = path.read_text(encoding="utf-8")
    at = line(before.count("\n"))
    path.write_text(before + text if "formats/" in file else text, encoding="utf-8")
    done = CliRunner().invoke(app, ["detect", str(SEED), "--formats-dir", str(formats)])
    assert done.exit_code == 2 and code in done.output and words in done.output, done.output
    assert f"line {at}" in done.output, done.output


def test_lint_reads_the_yaml_for_its_line_numbers(formats):
    spec = formats / "specs" / "formats" / "acme.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text + "colour: red\n", encoding="utf-8")
    (formats / "specs" / "aliases" / "acme.yaml").write_text(LAUGHS, encoding="utf-8")
    linted = CliRunner().invoke(app, ["lint", "--formats-dir", str(formats)])
    line = text.count("\n") + 1
    assert linted.exit_code == 1 and f"formats/acme.yaml:{line}:" in linted.output and "colour" in linted.output, \
        linted.output
    assert "aliases/acme.yaml:6:" in linted.output and "RG221" in linted.output, linted.output


# -- a bundle that is not whole, not of this version or not current is not used -----------------

@pytest.fixture
def own_specs(tmp_path, monkeypatch, fresh):
    """A copy of the built-in specs with their bundle, that bundle.py takes for the built-in ones."""
    copy = tmp_path / "specs"
    shutil.copytree(data_dir("specs"), copy)
    monkeypatch.setattr(bundle, "data_dir", lambda name: copy if name == "specs" else data_dir(name))
    return copy


def _rewrite(path: Path, header=None, body=None, checksum=True) -> None:
    """The bundle with its header's keys or its body changed (the checksum made to match, or not)."""
    head, _, rest = path.read_bytes().partition(b"\n")
    fields = json.loads(head)
    rest = body(rest) if body else rest
    fields.update(header or {})
    if checksum:
        fields["checksum"] = hashlib.sha256(rest).hexdigest()
    path.write_bytes(json.dumps(fields).encode() + b"\n" + rest)


def _renamed(body: bytes) -> bytes:
    assert body.count(b'"name":"usbank-absc-2003"') == 1
    return body.replace(b'"name":"usbank-absc-2003"', b'"name":"usbank-absc-2099"')


def test_a_whole_and_current_copy_is_used(own_specs):
    _rewrite(own_specs / bundle.NAME, body=_renamed)
    assert "usbank-absc-2099" in [spec.name for spec in search.every_format()]


@pytest.mark.parametrize("change", [
    {"body": _renamed, "checksum": False},
    {"header": {"layout": bundle.LAYOUT + 1}},
    {"header": {"version": "0.0.0"}},
    {"header": {"fingerprint": "0" * 64}},
], ids=["checksum", "layout", "version", "fingerprint"])
def test_a_bundle_that_fails_its_header_is_not_used(own_specs, change):
    _rewrite(own_specs / bundle.NAME, **change)
    assert bundle.payload() is None
    assert [spec.name for spec in search.every_format()] == [spec.name for spec in search.yaml_formats(ROOT, "built-in")]


def test_a_bundle_older_than_a_spec_beside_it_is_not_used(own_specs):
    assert bundle.payload() is not None
    with (own_specs / "aliases" / "statements.yaml").open("a", encoding="utf-8") as edited:
        edited.write("# edited\n")
    bundle.payload.cache_clear()
    assert bundle.payload() is None


@pytest.mark.parametrize("damage", [b"", b"{", b"[]\n[]", b"\n", b"\x00" * 10, b'{"layout": 1}\n{}'])
def test_a_damaged_bundle_means_the_yaml_not_an_error(own_specs, damage):
    (own_specs / bundle.NAME).write_bytes(damage)
    assert bundle.payload() is None
    assert len(search.every_format()) == len(search.yaml_formats(ROOT, "built-in"))
    assert "classes" in specs.canonical()


def test_the_time_limit_striking_while_the_bundle_loads_is_not_taken_for_damage(fresh, monkeypatch):
    def expire(*args, **kwargs):
        raise TimeoutError

    monkeypatch.setattr(bundle.json, "loads", expire)
    with pytest.raises(TimeoutError):
        bundle.payload()


# -- the bundle is made from formats a run would accept ------------------------------------------

@pytest.fixture
def own_root(tmp_path):
    """A copy of the built-in grammars and specs, for make_bundle to read."""
    for name in ("grammars", "specs"):
        shutil.copytree(data_dir(name), tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("edit, error", [
    ("  bogus_rule: {role: class_table, colour: red}\n", ConfigError),
    ("  bogus_rule: {role: class_table, total_labels: [2003-06-16]}\n", ValueError),
], ids=["unknown-parameter", "a-date"])
def test_making_the_bundle_validates_every_format(own_root, edit, error):
    assert bundle_text(own_root)
    spec = own_root / "specs" / "formats" / "usbank-absc-2003.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("\nsections:\n", "\nsections:\n" + edit), encoding="utf-8")
    with pytest.raises(error):
        bundle_text(own_root)
