"""The one runner: inputs to results as plain data, for the command line and the API alike.

``run`` expands the inputs (paths, directories, ``-`` for standard input, a list of paths), parses
their reports in worker processes (corpus.py), and keeps of each what the caller asks for. A filing
given again in another byte form (a .gz, CRLF or cp1252 copy; identity_of in pipeline.py) is
reported once, under its first name: each other copy is a result with one RG130 finding and nothing
else. When findings are kept, the rules run over each report, then across the months of each deal
once, the history's months compared too (a history report that is also among those run, or given
twice, counts once), in flat memory (check/streaming.py). Results come in input order. Bad input is
a result with findings; only a configuration error raises.

With a result cache (cache.py), what a worker sends back of an input (its parts, or a history input's
months) is kept as JSON under a key of its bytes, its name, the code, the formats and the options that
change results (the keep set among them); a later run yields those parts without parsing, and the rules
across months run on their months as on any. An input with an internal error or over its time limit
(RG900, RG902) is not kept: another run may fare otherwise.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .corpus import Settings, default_jobs, run as run_inputs
from .errors import ConfigError, Finding, RemitError, visible
from .intake.read import MAX_BYTES

if TYPE_CHECKING:
    from .cache import Cache, DealMemo, Memo

KEPT = frozenset({"record", "provenance", "findings", "rows", "view"})


@dataclass
class Result:
    """One report of a run, as plain data.

    Attributes:
        name: the report as the run names it (its path; ``<stdin>``).
        record: its canonical record (numbers as Decimal), when kept; what did parse when not all did;
            None when nothing did.
        provenance: value path -> {line, column, text}, when kept.
        findings: every finding ``check`` gives (RG4xx included) when findings are kept; else those
            of a report that did not parse in full.
        ok: whether it parsed in full.
        identity: the filing it is: ``accession:`` its EDGAR accession number, else ``sha256:`` that of
            its text; None when it could not be read.
        duplicate_of: for a copy of a filing already given, the name it was reported under.
        rows: its export tables (emit/tables.py), when kept.
        view: what its page shows (view/model.py: its lines and a mark for every printed number), when kept.
        sha256: the sha256 of the file's bytes (what baselines know a report by).
        error: the rendered findings of a report that did not parse in full.
        debug: the traceback of an internal error (RG900).
    """

    name: str
    record: dict | None = None
    provenance: dict | None = None
    findings: list = field(default_factory=list)
    ok: bool = True
    identity: str | None = None
    duplicate_of: str | None = None
    rows: dict | None = None
    view: dict | None = None
    sha256: str | None = None
    error: str | None = None
    debug: str | None = None
    counts: dict | None = field(default=None, repr=False)  # coverage, for the rows of ``reports``
    month: object = field(default=None, repr=False)  # what the rules across months compare
    keys: tuple = field(default=(), repr=False)  # every key of its filing (its accession, its text's sha256)
    dumped: tuple | None = field(default=None, repr=False)  # a cached part: (part, month) as spill.dumps wrote them, deal


def run(paths: Iterable = (), *, files_from=None, history: Iterable = (), format_name: str | None = None,
        repair: bool = True, jobs: int = 1, timeout: float = 60.0, max_bytes: int = MAX_BYTES,
        keep: Iterable = KEPT, progress: Callable | None = None, skip: tuple = (),
        cache: Cache | None = None) -> Iterator[Result]:
    """Every report of the inputs, in input order (see the module's docstring).

    Args:
        paths: files, directories (walked), ``-`` for standard input.
        files_from: a file listing paths, one a line (``-``: standard input).
        history: files or directories whose reports are compared month by month, never reported.
        jobs: worker processes; 0 is one a core, 1 runs in this process.
        keep: of ``record``, ``provenance``, ``findings``, ``rows``, ``view``; findings, rows or view run the rules.
        progress: called with (inputs done, inputs) after each input.
        skip: directories a walk does not enter (where the caller writes its output).
        cache: where what is kept of each input is looked up before it is parsed and stored after
            (cache.py); None, or a cache with a ``problem``, runs uncached.

    Raises:
        ConfigError: no input, a list file or a format name or spec that is wrong, ``jobs`` below 0.
    """
    from .formats.search import check_clashes, configured
    from .intake.sources import expand

    keep = frozenset(keep)
    if keep - KEPT:
        raise ConfigError(f"keep takes {', '.join(sorted(KEPT))}, not {', '.join(sorted(keep - KEPT))}")
    if jobs < 0:
        raise ConfigError(f"jobs takes 0 (one worker a core), 1 (this process) or more, not {jobs}")
    inputs = expand(list(paths), files_from, max_bytes, skip)
    check_clashes(format_name)  # before any worker starts: two formats of one name are the user's to settle
    settings = Settings(format_name, repair, max_bytes, timeout, tuple(configured()))
    jobs = jobs or default_jobs()
    checking = bool(keep & {"findings", "rows", "view"})
    memos = _memos(cache, settings, keep)
    parts = _each(inputs, functools.partial(_part, keep=keep, checking=checking), settings, jobs, progress,
                  memos[0])
    if not checking:
        yield from _once(parts, {})
        return
    months = _history(history, settings, jobs, expand, memos[1])
    yield from _checked(parts, months, keep, memos[2])


def _memos(cache: Cache | None, settings: Settings, keep: frozenset) -> tuple:
    """The cache's memos of the reported inputs, of the history's, and of the deals' findings across
    months, or none (no cache, or one not used)."""
    if cache is None or cache.problem is not None:
        return None, None, None
    from .cache import DealMemo, Memo, context

    base = context({"format": settings.format_name, "repair": settings.repair, "max_bytes": settings.max_bytes})
    back = _parts_held if keep & {"findings", "rows", "view"} else _parts_in  # checked parts go to Held as kept
    return (Memo(cache, f"{base}:reports:{','.join(sorted(keep))}", settings.max_bytes, _parts_out, back),
            Memo(cache, f"{base}:history", settings.max_bytes, _history_out, _history_in),
            DealMemo(cache, f"{base}:deals"))


def _each(inputs: list, work: Callable, settings: Settings, jobs: int, progress: Callable | None,
          memo: Memo | None) -> Iterator:
    for done, results in enumerate(run_inputs(inputs, work, settings, jobs, memo), 1):
        yield from results
        if progress is not None:
            progress(done, len(inputs))


def _history(history: Iterable, settings: Settings, jobs: int, expand: Callable, memo: Memo | None) -> Callable:
    """What yields the (identity, month) of every history report, read once the reported ones are in."""
    names = list(history or ())
    if not names:
        return lambda: iter(())
    inputs = [i for i in expand(names, None, settings.max_bytes) if i.problem is None]  # an unwalkable one holds no month
    return lambda: _each(inputs, _history_part, settings, jobs, None, memo)


def _part(name: str, outcome, keep: frozenset, checking: bool) -> Result:
    """What a worker sends back of one report: what the run keeps, small and picklable."""
    from .pipeline import check_result, month_of_outcome

    failed = isinstance(outcome, RemitError)
    parsed = outcome.result if failed else outcome
    keys = tuple(outcome.identity)
    part = Result(name, ok=not failed, identity=keys[0] if keys else None, keys=keys,
                  debug=getattr(outcome, "debug", None))
    part.error = outcome.render() if failed else None
    part.findings = check_result(outcome) if checking else list(outcome.findings) if failed else []
    if parsed is None:
        return part
    part.sha256 = (parsed.record.get("source") or {}).get("sha256")
    if checking:
        part.month = month_of_outcome(name, parsed)
    if keep & {"record", "rows"}:
        part.record = parsed.record
    if keep & {"provenance", "rows"}:
        part.provenance = parsed.provenance
    if "rows" in keep and not failed:
        from .check.coverage import coverage

        part.counts = coverage(parsed).as_dict()
    if "view" in keep and getattr(parsed, "accounting", None) is not None:
        from .view.model import report_view

        part.view = report_view(parsed)
    return part


def _history_part(name: str, outcome) -> tuple:
    """(keys, month, whether it may be cached) of a history report: compared, never reported."""
    from .pipeline import month_of_outcome

    lasting = not (isinstance(outcome, RemitError) and any(f.code in PASSING for f in outcome.findings))
    return tuple(outcome.identity), month_of_outcome(name, outcome, reported=False), lasting


PASSING = frozenset({"RG900", "RG902"})  # an internal error, a time limit: another run may fare otherwise


def _once(parts: Iterator[Result], seen: dict) -> Iterator[Result]:
    """The parts, each copy of a filing already given made a copy (``seen``: key -> first name)."""
    for part in parts:
        known = next((key for key in part.keys if key in seen), None)
        if known is None:
            seen.update((key, part.name) for key in part.keys)
            yield part
        else:
            yield _copy_of(part, seen[known], known)


def _copy_of(part: Result, first: str, key: str) -> Result:
    """The result of a copy of a filing already reported as ``first`` (``key``: what they share)."""
    how = "accession number " + key.split(":", 1)[1].split("#")[0] if key.startswith("accession:") else "the same text"
    # the file's name, escaped, as RG4xx messages name another report: a baseline knows a finding by its
    # message, and a corpus that moves keeps its file names
    finding = Finding("RG130", "info", f"the same filing as {visible(os.path.basename(first) or first)} ({how}): "
                      "reported once, under that name", hint="give each filing once; a copy adds nothing")
    return Result(part.name, findings=[finding], identity=part.identity, duplicate_of=first, sha256=part.sha256,
                  keys=part.keys)


def _echo(copy: Result, finding: Finding) -> Finding:
    """A copy's RG130 as its first report's export holds it: the copy is no row of its own."""
    return Finding(finding.code, finding.severity, f"given again as {visible(os.path.basename(copy.name) or copy.name)}: "
                   "that copy is left out", hint=finding.hint)


def _checked(parts: Iterator[Result], history: Callable, keep: frozenset,
             deals: DealMemo | None = None) -> Iterator[Result]:
    """The parts with the findings across months, held on disk until every month is in (``deals``: the
    cache's findings across months of deals compared before)."""
    from .check.streaming import Held

    held = Held(deals)
    seen: dict[str, str] = {}  # a filing's key -> the name it was first given as
    first: dict[str, int] = {}  # a filing's key -> the index of the report first given
    echoes: dict[int, list] = {}  # a report's index -> the RG130 of each copy of it (exports carry them)
    try:
        for index, part in enumerate(_once(parts, seen)):
            if part.duplicate_of is None:
                first.update((key, index) for key in part.keys)
            else:
                original = next((first[key] for key in part.keys if key in first), None)
                if original is not None:
                    echoes.setdefault(original, []).extend(_echo(part, finding) for finding in part.findings)
            if part.dumped is not None:  # from the cache: stored as it came, decoded only when handed back
                held.add_dumped(*part.dumped)
            else:
                held.add(_out(part), part.month)
        for keys, month, _ in history():
            if any(key in seen for key in keys):  # a report run too, or a history report given twice: once
                continue
            seen.update((key, "") for key in keys)
            held.compare(month)
        across = held.across()
        if deals is not None:
            deals.save()
        for index in range(len(held)):
            extra = echoes.get(index, []) if "rows" in keep else []  # an export names the copies once
            yield _finished(_in(held.get(index)), across.get(index, []) + extra, keep)
    finally:
        held.close()


_HELD = ("name", "record", "provenance", "ok", "identity", "duplicate_of", "sha256", "error", "debug", "counts",
         "view")


def _out(part: Result) -> dict:
    from .check.spill import findings_out

    return {**{key: getattr(part, key) for key in _HELD}, "findings": findings_out(part.findings)}


def _in(data: dict) -> Result:
    from .check.spill import findings_in

    return Result(**{key: data[key] for key in _HELD}, findings=findings_in(data["findings"]))


def _finished(part: Result, across: list, keep: frozenset) -> Result:
    """A part with its findings across months, its rows, and only what the caller keeps."""
    part.findings += across
    if "rows" in keep and part.ok and part.record is not None:
        from .emit.tables import rows

        part.rows = rows({**part.record, "provenance": part.provenance or {}}, part.findings, counts=part.counts)
    if "record" not in keep:
        part.record = None
    if "provenance" not in keep:
        part.provenance = None
    if "findings" not in keep:
        part.findings = [f for f in part.findings if f.code == "RG130"]
    return part


def _parts_out(parts: list) -> list | None:
    """An input's parts as the cache keeps them, or None when one may fare otherwise next time: of each
    its head, and its part and month as spill.dumps writes them (text: a hit goes to the spill as it is)."""
    from .check.spill import dumps, month_out

    if any(f.code in PASSING for part in parts for f in part.findings):
        return None
    return [{"head": {"name": part.name, "identity": part.identity, "sha256": part.sha256, "keys": list(part.keys)},
             "part": dumps(_out(part)).decode("ascii"),
             "month": None if part.month is None else dumps(month_out(part.month)).decode("ascii"),
             "deal": None if part.month is None else part.month.deal} for part in parts]


def _parts_held(stored) -> list | None:
    """The parts as ``_parts_out`` kept them, for a run that holds them (``_checked``): their heads
    read, the rest handed to the spill undecoded; None when the entry is not of this shape."""
    try:
        parts = []
        for data in stored:
            head = data["head"]
            part = Result(str(head["name"]), identity=head["identity"], sha256=head["sha256"],
                          keys=tuple(head["keys"]))
            month = data["month"]
            part.dumped = (data["part"].encode("ascii"), None if month is None else month.encode("ascii"),
                           _frozen(data["deal"]))
            parts.append(part)
        return parts
    except (KeyError, TypeError, ValueError, AttributeError, UnicodeError):
        return None


def _parts_in(stored) -> list | None:
    """The parts as ``_parts_out`` kept them, decoded (a run that only parses yields them at once)."""
    from .check.spill import loads

    held = _parts_held(stored)
    if held is None:
        return None
    try:
        parts = []
        for shell in held:
            part = _in(loads(shell.dumped[0]))
            part.keys = shell.keys
            parts.append(part)
        return parts
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _frozen(value):
    """JSON's lists back to the tuples a deal is made of (a deal keys a dict)."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def _history_out(parts: list) -> list | None:
    from .check.spill import month_out

    if not all(lasting for _, _, lasting in parts):
        return None
    return [[list(keys), None if month is None else month_out(month)] for keys, month, _ in parts]


def _history_in(stored) -> list | None:
    from .check.spill import month_in

    try:
        return [(tuple(keys), None if month is None else month_in(month), True) for keys, month in stored]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
