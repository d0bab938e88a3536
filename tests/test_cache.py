"""The result cache (remitgrammar/cache.py) through runner.run: a cached run yields what an uncached run
yields, an input is parsed again only when it, the formats or the options change, and an entry that is
not whole, or a directory others may write, is never trusted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from remitgrammar import cache as cache_module, corpus, pipeline, runner
from remitgrammar.cache import Cache, clean, default_dir, info
from remitgrammar.config import load
from remitgrammar.formats.resources import data_dir
from remitgrammar.formats.search import configure

ROOT = Path(__file__).resolve().parent
GOLDEN = sorted(str(p) for p in (ROOT / "corpus").glob("*/*.txt")) + sorted(str(p) for p in (ROOT / "edgar").iterdir())


@pytest.fixture
def parses(monkeypatch):
    """How many inputs were parsed (each a call of corpus.parse_reports: runs of jobs=1 parse here)."""
    counted = []
    real = corpus.parse_reports

    def counting(name, *args, **kwargs):
        counted.append(str(name))
        return real(name, *args, **kwargs)

    monkeypatch.setattr(corpus, "parse_reports", counting)
    return counted


def shown(results) -> list:
    """Everything a result carries that a caller sees, findings field by field."""
    return [(r.name, r.record, r.provenance, [vars(f) for f in r.findings], r.ok, r.identity, r.duplicate_of,
             r.rows, r.view, r.sha256, r.error) for r in results]


def every_entry(directory: Path) -> list:
    return sorted(p for p in directory.glob("??/*") if not p.name.startswith(".tmp-"))


def entries(directory: Path) -> list:
    """The inputs' entries (a list each), not the one of the deals' findings across months (a dict)."""
    return [p for p in every_entry(directory) if not p.read_bytes().partition(b"\n")[2].startswith(b"{")]


def deals_entry(directory: Path) -> Path:
    """The entry of the deals' findings across months (cache.DealMemo): there is one."""
    (found,) = [p for p in every_entry(directory) if p not in entries(directory)]
    return found


def test_a_cached_run_over_the_golden_corpus_yields_what_an_uncached_run_yields(tmp_path, parses):
    every = list(runner.KEPT)
    uncached = shown(runner.run(GOLDEN, keep=every))
    assert any(f["code"].startswith("RG4") for r in uncached for f in r[3])  # the rules across months ran
    cache = Cache(tmp_path / "cache")
    del parses[:]
    assert shown(runner.run(GOLDEN, keep=every, cache=cache)) == uncached
    assert len(parses) == len(GOLDEN) and len(entries(tmp_path / "cache")) == len(GOLDEN)
    assert deals_entry(tmp_path / "cache")
    del parses[:]
    assert shown(runner.run(GOLDEN, keep=every, cache=cache)) == uncached
    assert parses == []  # every input from the cache


@pytest.mark.parametrize("keep", [("record", "provenance"), ("findings",), ("rows",), ("view", "findings")])
def test_each_keep_set_is_kept_apart_and_yields_what_an_uncached_run_yields(tmp_path, parses, keep):
    files = GOLDEN[:6]
    uncached = shown(runner.run(files, keep=keep))
    cache = Cache(tmp_path)
    list(runner.run(files, keep=("record",), cache=cache))  # another keep set: not what this run reads
    del parses[:]
    assert shown(runner.run(files, keep=keep, cache=cache)) == uncached
    assert len(parses) == len(files)
    del parses[:]
    assert shown(runner.run(files, keep=keep, cache=cache)) == uncached
    assert parses == []


def test_history_months_are_cached_and_compared_as_uncached(tmp_path, parses):
    reported, history = GOLDEN[:1], [str(ROOT / "corpus")]
    uncached = shown(runner.run(reported, history=history, keep=("findings",)))
    cache = Cache(tmp_path)
    assert shown(runner.run(reported, history=history, keep=("findings",), cache=cache)) == uncached
    del parses[:]
    assert shown(runner.run(reported, history=history, keep=("findings",), cache=cache)) == uncached
    assert parses == []


def varied(source: Path, target: Path) -> Path:
    """A copy of a report with the last digit of its first amount changed: another file, as parseable."""
    text = source.read_bytes()
    at = text.index(b".00") - 1
    target.write_bytes(text[:at] + (b"7" if text[at:at + 1] != b"7" else b"8") + text[at + 1:])
    return target


def test_a_changed_file_is_parsed_again_and_an_unchanged_one_is_not(tmp_path, parses):
    samples = [Path(p) for p in GOLDEN if "payment-report" in p][:3]
    files = [shutil.copy(p, tmp_path / p.name) for p in samples]
    cache = Cache(tmp_path / "cache")
    list(runner.run(files, keep=("findings", "record"), cache=cache))
    varied(samples[1], Path(files[1]))
    del parses[:]
    cached = shown(runner.run(files, keep=("findings", "record"), cache=cache))
    assert parses == [str(files[1])]
    assert cached == shown(runner.run(files, keep=("findings", "record")))


@pytest.fixture
def compared(monkeypatch):
    """The deals whose rules across months ran: the names of each one's months."""
    from remitgrammar.check import streaming

    counted = []
    real = streaming.check_months

    def counting(months):
        counted.append(sorted(os.path.basename(m.name) for m in months))
        return real(months)

    monkeypatch.setattr(streaming, "check_months", counting)
    return counted


def he_deals(tmp_path: Path) -> list:
    """Copies of the 2003-HE2 deal's three months (the November one has an RG404) and the 2003-HE4 deal's."""
    return [shutil.copy(p, tmp_path / Path(p).name) for p in GOLDEN if "absc_2003-he" in p and "submission" not in p]


def test_a_deal_whose_months_are_unchanged_takes_its_findings_across_months_from_the_cache(tmp_path, compared):
    files = he_deals(tmp_path)
    uncached = shown(runner.run(files, keep=("findings",)))
    assert any(f["code"] == "RG404" for r in uncached for f in r[3])
    cache = Cache(tmp_path / "cache")
    del compared[:]
    assert shown(runner.run(files, keep=("findings",), cache=cache)) == uncached
    assert len(compared) == 2
    del compared[:]
    assert shown(runner.run(files, keep=("findings",), cache=cache)) == uncached
    assert compared == []
    # another deal first, or left out: each deal's months the same, in the same order, still found
    for given in ([files[-1]] + files[:-1], files[:-1]):
        expected = shown(runner.run(given, keep=("findings",)))
        del compared[:]
        assert shown(runner.run(given, keep=("findings",), cache=cache)) == expected
        assert compared == []


def test_a_changed_month_compares_its_deal_again_and_only_its_deal(tmp_path, compared):
    files = he_deals(tmp_path)
    cache = Cache(tmp_path / "cache")
    list(runner.run(files, keep=("findings",), cache=cache))
    varied(Path(files[1]), Path(files[1]))
    del compared[:]
    cached = shown(runner.run(files, keep=("findings",), cache=cache))
    assert compared == [sorted(os.path.basename(f) for f in files[:3])]
    assert cached == shown(runner.run(files, keep=("findings",)))


def test_findings_across_months_that_do_not_fit_the_deal_are_not_trusted(tmp_path, compared):
    import hashlib
    import json

    files = he_deals(tmp_path)
    cache = Cache(tmp_path / "cache")
    uncached = shown(runner.run(files, keep=("findings",)))
    list(runner.run(files, keep=("findings",), cache=cache))
    entry = deals_entry(tmp_path / "cache")
    stored = json.loads(entry.read_bytes().partition(b"\n")[2])
    payload = json.dumps({digest: [[99, []]] for digest in stored}).encode()  # a place no deal has
    entry.write_bytes(cache_module.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    del compared[:]
    assert shown(runner.run(files, keep=("findings",), cache=cache)) == uncached
    assert len(compared) == 2


def a_formats_dir(tmp_path: Path) -> Path:
    """A copy of the built-in payment-report format under another name, in a formats directory."""
    root = tmp_path / "formats"
    (root / "grammars").mkdir(parents=True)
    (root / "specs" / "formats").mkdir(parents=True)
    shutil.copytree(data_dir("specs") / "aliases", root / "specs" / "aliases")
    for name in ("payment_report.lark", "shared.lark"):
        shutil.copy(data_dir("grammars") / name, root / "grammars" / name)
    spec = (data_dir("specs") / "formats" / "payment-report.yaml").read_text()
    spec = spec.replace("name: payment-report", "name: payment-copy")
    (root / "specs" / "formats" / "payment-copy.yaml").write_text(
        "\n".join(line for line in spec.splitlines() if not line.startswith("sample:")) + "\n")
    return root


def test_an_edited_format_file_is_parsed_again(tmp_path, parses):
    root = a_formats_dir(tmp_path)
    configure([root])
    files = [p for p in GOLDEN if "payment-report" in p][:2]
    cache = Cache(tmp_path / "cache")
    first = shown(runner.run(files, format_name="payment-copy", keep=("record",), cache=cache))
    assert first[0][1] is not None and len(parses) == 2
    del parses[:]
    list(runner.run(files, format_name="payment-copy", keep=("record",), cache=cache))
    assert parses == []
    with open(root / "specs" / "aliases" / "payment-report.yaml", "a") as aliases:
        aliases.write("\n# an edit that changes no result still changes the format\n")
    assert shown(runner.run(files, format_name="payment-copy", keep=("record",), cache=cache)) == first
    assert len(parses) == 2


@pytest.mark.parametrize("damage", ["flip", "truncate", "not json", "empty"])
def test_a_damaged_entry_is_ignored_removed_and_written_again(tmp_path, parses, damage):
    files = GOLDEN[:2]
    cache = Cache(tmp_path)
    uncached = shown(runner.run(files, keep=("findings", "record")))
    list(runner.run(files, keep=("findings", "record"), cache=cache))
    entry = entries(tmp_path)[0]
    data = entry.read_bytes()
    broken = {"flip": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:], "truncate": data[: len(data) // 2],
              "not json": data.split(b"\n")[0] + b"\n{not json", "empty": b""}[damage]
    if damage == "not json":  # its checksum right: only the JSON fails
        import hashlib
        broken = cache_module.MAGIC + hashlib.sha256(b"{not json").hexdigest().encode() + b"\n{not json"
    entry.write_bytes(broken)
    del parses[:]
    assert shown(runner.run(files, keep=("findings", "record"), cache=cache)) == uncached
    assert len(parses) == 1
    assert entry.read_bytes() == data  # written anew, whole


def test_an_entry_over_the_size_bound_is_neither_kept_nor_read(tmp_path, parses, monkeypatch):
    files = GOLDEN[:1]
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 1000)
    list(runner.run(files, keep=("record",), cache=Cache(tmp_path)))
    assert entries(tmp_path) == []


@pytest.mark.parametrize("why", ["group-writable", "other-writable", "foreign"])
def test_a_directory_others_may_write_is_not_used(tmp_path, parses, monkeypatch, why):
    directory = tmp_path / "shared"
    directory.mkdir(mode=0o700)
    if why == "group-writable":
        directory.chmod(0o770)
    elif why == "other-writable":
        directory.chmod(0o1777)
    else:
        uid = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: uid + 1)
    cache = Cache(directory)
    assert cache.problem and str(directory) in cache.problem
    assert info(directory)["usable"] is False and info(directory)["why"] == cache.problem
    files = GOLDEN[:2]
    list(runner.run(files, keep=("findings",), cache=cache))
    list(runner.run(files, keep=("findings",), cache=cache))
    assert len(parses) == 4 and entries(directory) == []
    assert clean(directory) == 0


def test_a_new_directory_is_made_for_this_user_alone(tmp_path):
    cache = Cache(tmp_path / "a" / "cache")
    assert cache.problem is None
    assert (tmp_path / "a" / "cache").stat().st_mode & 0o777 == 0o700


def test_an_internal_error_is_not_kept(tmp_path, parses, monkeypatch):
    files = GOLDEN[:1]
    real = pipeline.parse_result

    def failing(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline, "parse_result", failing)
    cache = Cache(tmp_path)
    result = list(runner.run(files, keep=("findings",), cache=cache))
    assert [f.code for f in result[0].findings] == ["RG900"]
    assert entries(tmp_path) == []
    monkeypatch.setattr(pipeline, "parse_result", real)
    assert list(runner.run(files, keep=("findings",), cache=cache))[0].ok
    assert len(parses) == 2


def test_a_report_over_the_time_limit_is_not_kept(tmp_path, parses, monkeypatch):
    import time

    real = pipeline.parse_result

    def slow(*args, **kwargs):
        time.sleep(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_result", slow)
    cache = Cache(tmp_path)
    result = list(runner.run(GOLDEN[:1], keep=("findings",), cache=cache, timeout=0.2))
    assert [f.code for f in result[0].findings] == ["RG902"]
    result = list(runner.run(GOLDEN[:1], history=GOLDEN[1:2], keep=("findings",), cache=cache, timeout=0.2))
    assert entries(tmp_path) == []


WRITER = """
import sys
from pathlib import Path
from remitgrammar import runner
from remitgrammar.cache import Cache
list(runner.run(sys.argv[2:], keep=("findings", "record"), cache=Cache(Path(sys.argv[1]))))
"""


def test_two_processes_writing_at_once_leave_whole_entries(tmp_path, parses):
    files = GOLDEN[:8]
    directory = tmp_path / "cache"
    Cache(directory)
    # run from tmp_path: from the checkout, `-c` would import its source tree, not the package under test
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(directory), *files], cwd=tmp_path) for _ in range(2)]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    assert len(entries(directory)) == len(files)
    assert not list(directory.glob("??/.tmp-*"))  # no temporary file left behind
    cached = shown(runner.run(files, keep=("findings", "record"), cache=Cache(directory)))
    assert parses == []
    assert cached == shown(runner.run(files, keep=("findings", "record")))


def test_standard_input_is_cached_by_its_bytes(tmp_path, parses, monkeypatch):
    import io

    data = Path(GOLDEN[0]).read_bytes()
    cache = Cache(tmp_path)
    results = []
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        results.append(shown(runner.run(["-"], keep=("record",), cache=cache)))
    assert results[0] == results[1] and results[0][0][1] is not None
    assert len(parses) == 1


def test_info_counts_the_entries_and_clean_removes_them(tmp_path):
    files = GOLDEN[:3]
    list(runner.run(files, keep=("findings",), cache=Cache(tmp_path)))
    shown_info = info(tmp_path)
    assert shown_info["entries"] == 3 + 1 and shown_info["usable"] and shown_info["why"] is None  # and the deals'
    assert shown_info["bytes"] == sum(p.stat().st_size for p in every_entry(tmp_path))
    (tmp_path / "notes.txt").write_text("not an entry")
    assert clean(tmp_path) == 3 + 1
    assert info(tmp_path)["entries"] == 0 and (tmp_path / "notes.txt").exists()


def test_trim_removes_old_entries_once_a_day(tmp_path):
    import time

    list(runner.run(GOLDEN[:2], keep=("findings",), cache=Cache(tmp_path)))
    old = entries(tmp_path)[0]
    long_ago = time.time() - (cache_module.MAX_AGE_DAYS + 1) * 86400
    os.utime(old, (long_ago, long_ago))
    assert cache_module.trim(tmp_path) == 0  # trimmed already today, by the run
    kept = [p for p in entries(tmp_path) if p != old]
    assert cache_module.trim(tmp_path, now=time.time() + 2 * 86400) == 1
    assert entries(tmp_path) == kept


def test_trim_keeps_the_newest_entries_within_the_size_bound(tmp_path, monkeypatch):
    import time

    list(runner.run(GOLDEN[:3], keep=("findings",), cache=Cache(tmp_path)))
    found = every_entry(tmp_path)
    for age, path in enumerate(found):  # the first the newest
        os.utime(path, (time.time() - age * 60, time.time() - age * 60))
    monkeypatch.setattr(cache_module, "MAX_TOTAL_BYTES", found[0].stat().st_size + found[1].stat().st_size)
    assert cache_module.trim(tmp_path, now=time.time() + 2 * 86400) == len(found) - 2
    assert every_entry(tmp_path) == found[:2]


def test_the_default_directory_follows_the_platform(monkeypatch, tmp_path):
    monkeypatch.setenv("REMITGRAMMAR_CACHE_DIR", str(tmp_path / "named"))
    assert default_dir() == tmp_path / "named"
    monkeypatch.delenv("REMITGRAMMAR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert default_dir() == tmp_path / "xdg" / "remitgrammar"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_dir() == tmp_path / ".cache" / "remitgrammar"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert default_dir() == tmp_path / "Library" / "Caches" / "remitgrammar"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert default_dir() == tmp_path / "local" / "remitgrammar" / "Cache"


def test_the_tests_cache_in_a_directory_of_their_own():
    assert Path(os.environ["REMITGRAMMAR_CACHE_DIR"]).resolve() != (Path.home() / ".cache" / "remitgrammar").resolve()


def test_the_configuration_names_the_cache_directory_relative_to_itself(tmp_path):
    (tmp_path / "remitgrammar.toml").write_text('cache-dir = "build/cache"\n')
    assert load(tmp_path / "remitgrammar.toml").cache_dir == tmp_path / "build" / "cache"
