"""Locate the grammars and specs, in an installed wheel or in a source checkout."""

from __future__ import annotations

from pathlib import Path

# This module sits in remitgrammar/formats/; the data lives beside the package root.
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """Return the directory holding the built-in ``grammars`` or ``specs``.

    A wheel carries them inside the package; a source checkout keeps them at the
    top of the repository, beside the package.

    Args:
        name: ``"grammars"`` or ``"specs"``.

    Returns:
        The directory path.

    Raises:
        FileNotFoundError: when neither location holds it.
    """
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"remitgrammar data directory '{name}' not found")
