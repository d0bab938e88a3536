"""The runs of `parse` and `check` as plain functions: the Typer commands (reports.py) and the quick path
(quick.py) both call them, so that a plain `check FILE` writes the same bytes and exits the same way
whichever path took it. No Typer here; an exit is ``SystemExit`` with the command's code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from ..check.report import Report, selected
from ..emit.json_record import to_json
from ..errors import visible, ConfigError
from .base import cache_for, echo, fail_config
from .options import choices, finish, open_output
from .running import results


def run_parse(config, jobs: int, paths: Optional[List[Path]], output: Optional[Path] = None,
              format_name: Optional[str] = None, provenance: bool = False, compact: bool = False,
              no_repair: bool = False, files_from: Optional[Path] = None, cache_dir: Optional[Path] = None,
              no_cache: bool = False) -> None:
    """`parse`: each report's record as JSON (one object alone, else JSON lines); exit 1 when one did
    not parse in full. ``config`` and ``jobs``: the run's configuration and workers (base.configured_run)."""
    out = open_output(output, "-o")
    first, count = None, 0
    failures: list[str] = []
    keep = ("record", "provenance") if provenance else ("record",)
    cache = cache_for(config, cache_dir, no_cache)
    for report in results(paths, files_from, keep, format_name, not no_repair, jobs, cache=cache):
        if copy_named(report) or failed(report, failures) or report.record is None:
            continue
        record = {**report.record, "provenance": report.provenance} if provenance else report.record
        count += 1
        if count == 1:
            first = record  # held back: alone it is written as one object
            continue
        if count == 2:
            out.write(to_json(first, indent=None) + "\n")
        out.write(to_json(record, indent=None) + "\n")
    if count == 1:
        out.write(to_json(first, indent=None if compact else 2) + "\n")
    if output is not None:
        out.close()
    if failures:
        echo(f"remitgrammar: {len(failures)} report(s) could not be parsed in full", err=True)
        raise SystemExit(1)


@dataclass
class CheckOptions:
    """What `check` is told beyond its paths, with the defaults its command line has."""

    output_format: str = "human"
    fail_on: Optional[str] = None
    select: Optional[List[str]] = None
    ignore: Optional[List[str]] = None
    extend_select: Optional[List[str]] = None
    extend_ignore: Optional[List[str]] = None
    show_info: bool = False
    exit_zero: bool = False
    output_file: Optional[Path] = None
    quiet: bool = False
    statistics: bool = False
    format_name: Optional[str] = None
    no_repair: bool = False
    history: Optional[List[Path]] = None
    baseline: Optional[Path] = None
    write_baseline: Optional[Path] = None
    files_from: Optional[Path] = None
    cache_dir: Optional[Path] = None
    no_cache: bool = False

    def __post_init__(self) -> None:
        self.output_format = self.output_format.lower()


def run_check(config, jobs: int, paths: Optional[List[Path]], given: CheckOptions) -> None:
    """`check`: every report's findings, written as they come; exit 1 when one reaches --fail-on."""
    fail_on, (chosen, dropped) = choices(config, given.output_format, given.fail_on, given.select, given.ignore,
                                         given.extend_select, given.extend_ignore)
    baseline = given.baseline
    if baseline is None and given.write_baseline is None:  # a baseline being rewritten starts from every finding
        baseline = config.baseline
    out = open_output(given.output_file)
    report = Report(given.output_format, fail_on, out, given.quiet, given.statistics, show_info=given.show_info)
    cache = cache_for(config, given.cache_dir, given.no_cache)
    try:
        reports = results(paths, given.files_from, ("findings",), given.format_name, not given.no_repair, jobs,
                          given.history, cache=cache)
        found = ((report.name, report.findings, report.sha256) for report in reports)
        if baseline is not None:  # before selecting: an entry of a code left out is not fixed
            from ..check import baseline as baselines  # here: a run without a baseline does not need it

            known = baselines.load(baseline)
            found, report.fixed = baselines.only_new(found, known), known.fixed
        found = selected(found, chosen, dropped, per_path=config.ignored_at)
        failing = _report(found, report, given.write_baseline)
    except ConfigError as exc:
        fail_config(exc)
    finish(report, out, paths, given.files_from, failing and given.write_baseline is None, given.exit_zero)


def _report(found, report: Report, write_baseline: Optional[Path]) -> bool:
    """Write the findings as they come (and the baseline); whether one is at or above --fail-on."""

    def shown():
        for name, findings, *identity in found:
            report.add(name, findings)
            yield (name, findings, *identity)
        report.close()

    if write_baseline is None:
        for _ in shown():
            pass
        return report.failed
    from ..check import baseline as baselines

    try:
        count = baselines.write(write_baseline, shown())
    except BrokenPipeError:
        raise
    except OSError as exc:
        fail_config(f"--write-baseline {visible(write_baseline)}: {reason(exc)}")
    echo(f"remitgrammar: wrote {count} finding(s) to {visible(write_baseline)}", err=True)
    return report.failed


def reason(exc: Exception) -> str:
    """What went wrong writing an output, in one line ("No space left on device")."""
    return visible(getattr(exc, "strerror", None) or exc)


def failed(report, failures: list) -> bool:
    """Whether a report did not parse in full, and so went on stderr with its findings (the record of
    what did parse may still be written); its name is added to ``failures``."""
    if report.error is None:
        return False
    echo(report.error, err=True)
    failures.append(report.name)
    return report.record is None


def copy_named(report) -> bool:
    """Whether a report is a copy of a filing given earlier, and so was named on stderr (RG130)."""
    if report.duplicate_of is None:
        return False
    echo("\n".join(f.render(report.name) for f in report.findings), err=True)
    return True
