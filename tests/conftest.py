"""Shared fixtures: the golden corpus, discovered from tests/corpus/<format>/<name>.txt."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from golden import corpus_files  # noqa: E402


@pytest.fixture
def runner():
    """A Typer CLI runner (stdout and stderr kept apart)."""
    return CliRunner()


def pytest_generate_tests(metafunc):
    """Parametrize any test taking ``report`` over the corpus, ids from the path."""
    if "report" in metafunc.fixturenames:
        files = corpus_files()
        ids = [f"{p.parent.name}/{p.stem}" for p in files]
        metafunc.parametrize("report", files, ids=ids)


@pytest.fixture(autouse=True)
def _builtin_formats_only():
    """A command run with --formats-dir sets the search path for the process: reset it after each test."""
    yield
    from remitgrammar.formats.search import configure
    configure(())


@pytest.fixture(autouse=True)
def _cache_of_the_test(tmp_path_factory, monkeypatch):
    """Every test's runs cache under a directory of its own, empty: never the user's own cache, and never
    an entry of another test (one that makes a parse fail on purpose must see that parse happen)."""
    directory = tmp_path_factory.mktemp("cache")
    directory.chmod(0o700)
    monkeypatch.setenv("REMITGRAMMAR_CACHE_DIR", str(directory))
    return directory
