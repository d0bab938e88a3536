"""``python -m remitgrammar``: the command line."""

from .cli import main

main()
