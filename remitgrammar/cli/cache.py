"""`cache info` and `cache clean`: the result cache's directory (cache.py), what it holds, and emptying it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import visible
from .base import cache_directory, echo
from .group import CACHE_DIR, app, configured

cache_app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                        context_settings={"help_option_names": ["-h", "--help"]},
                        help="The result cache: `info` shows where it is and what it holds, `clean` empties it.")
app.add_typer(cache_app, name="cache")


def _directory(cache_dir: Optional[Path]) -> Path:
    """--cache-dir, else the configuration's ``cache-dir``, else REMITGRAMMAR_CACHE_DIR or the platform's."""
    from ..cache import default_dir

    config, _ = configured(None, None)
    return cache_directory(config, cache_dir, default_dir)


@cache_app.command("info")
def info(cache_dir: Optional[Path] = CACHE_DIR) -> None:
    """Print the cache's directory, its entries and their size, and whether a run may use it."""
    from ..cache import info as cache_info

    shown = cache_info(_directory(cache_dir))
    echo(f"directory: {visible(shown['directory'])}")
    echo(f"entries: {shown['entries']}")
    echo(f"bytes: {shown['bytes']}")
    echo("usable: yes" if shown["usable"] else f"usable: no ({visible(shown['why'])})")


@cache_app.command("clean")
def clean(cache_dir: Optional[Path] = CACHE_DIR) -> None:
    """Remove every entry of the cache (a directory another user owns or others may write is left alone)."""
    from ..cache import clean as cache_clean, info as cache_info

    directory = _directory(cache_dir)
    shown = cache_info(directory)
    if not shown["usable"]:
        echo(f"remitgrammar: {visible(shown['why'])}: nothing removed", err=True)
        raise SystemExit(2)
    removed = cache_clean(directory)
    echo(f"remitgrammar: removed {removed} cache entr{'y' if removed == 1 else 'ies'} from {visible(directory)}",
         err=True)
