"""What every command's run shares, without Typer: the run's global options (``Limits``), the project's
configuration, writing a line, a usage or configuration error (one line, exit 2), and the result cache
a command uses. Nothing here imports Typer, so that the quick path (quick.py) starts without it; the
Typer application (group.py) sets ``Limits`` from its options and calls the same functions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, NoReturn, Optional

from ..config import Config, find as find_config, isolated as no_config, load as load_config
from ..errors import ConfigError, visible
from ..formats.search import configure
from ..intake.read import MAX_BYTES

MAX_MB = 64.0  # --max-mb's default
TIMEOUT = 60.0  # --timeout's default


class Limits:
    """The run's global options (set by the app's callback, or the quick path, before a command runs)."""

    debug = False
    max_bytes = MAX_BYTES
    timeout = TIMEOUT
    config_file: Optional[Path] = None
    isolated = False
    show_settings = False
    config: Optional[Config] = None  # read when a command first needs it

    @classmethod
    def defaults(cls) -> None:
        """Every global option as the application's callback sets it when none is given."""
        cls.debug, cls.max_bytes, cls.timeout = False, int(MAX_MB * 1024 * 1024), TIMEOUT
        cls.config_file, cls.isolated, cls.show_settings, cls.config = None, False, False, None


def echo(text: str, err: bool = False) -> None:
    """One line on stdout (or stderr), flushed, as click.echo writes it (our text holds no escape code)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(f"{text}\n")
    stream.flush()


def project_config() -> Config:
    """The run's configuration: --config's file, none with --isolated, else the search (config.py)."""
    if Limits.config is None:
        try:
            Limits.config = (no_config() if Limits.isolated else
                             load_config(Limits.config_file) if Limits.config_file is not None else find_config())
        except ConfigError as exc:
            fail_config(exc)
    return Limits.config


def setup(formats_dir: Optional[List[Path]]) -> None:
    """Use the formats directories given on the command line."""
    configure(formats_dir or ())


def configured_run(formats_dir: Optional[List[Path]], jobs: Optional[int]):
    """The project's configuration (config.py), and the formats directories and worker count it gives
    where the command line does not (--show-settings is the application's: group.configured)."""
    config = project_config()
    setup(formats_dir or list(config.formats_dirs))
    return config, jobs if jobs is not None else (config.jobs if config.jobs is not None else 0)


def cache_for(config: Config, cache_dir: Optional[Path] = None, no_cache: bool = False):
    """The result cache a command uses (cache.py): --cache-dir's directory, else the configuration's
    ``cache-dir``, else REMITGRAMMAR_CACHE_DIR or the platform's; None with --no-cache. A directory that
    may not hold it (another user's, or one others may write) is said once on stderr, and the run goes
    on uncached."""
    if no_cache:
        return None
    from ..cache import Cache, default_dir  # here: a run with --no-cache never touches it

    cache = Cache(cache_directory(config, cache_dir, default_dir))
    if cache.problem is not None:
        echo(f"remitgrammar: warning: {visible(cache.problem)}: the run goes on without the cache", err=True)
        return None
    return cache


def cache_directory(config: Config, cache_dir: Optional[Path], default_dir) -> Path:
    """The cache's directory: --cache-dir, the configuration's ``cache-dir``, else ``default_dir()``."""
    chosen = cache_dir if cache_dir is not None else getattr(config, "cache_dir", None)
    return Path(chosen) if chosen is not None else default_dir()


MAX_ERROR = 1000  # characters of a configuration error: a key or a path can be any length


def fail_config(exc: str | Exception) -> NoReturn:
    """A usage or configuration error: one line on stderr, exit 2."""
    text = "; ".join(part.strip() for part in str(exc).splitlines() if part.strip())
    if len(text) > MAX_ERROR:
        text = text[:MAX_ERROR] + "..."
    echo(f"remitgrammar: configuration error: {visible(text)}", err=True)
    raise SystemExit(2)


def usage(text: str) -> NoReturn:
    """A value of an option that is not one: one line on stderr, exit 2."""
    echo(f"remitgrammar: {visible(text)}", err=True)
    raise SystemExit(2)
