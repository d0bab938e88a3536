"""Rewrite the examples of command output in README.md and docs/*.md from real runs, as sqlite-utils
does with cog: an example stands between ``<!-- run -->`` and ``<!-- end run -->``, in a fenced
block, and its output is whatever the commands print today. Run it after changing what a command
prints; tests/test_docs.py fails while an example is stale.

    python tests/make_examples.py

Two kinds of block. ``<!-- run: COMMAND -->`` holds the output of COMMAND alone (an excerpt is a
pipe: ``remitgrammar parse FILE | sed -n 29,58p``). ``<!-- run -->`` holds a session: each line
``$ COMMAND`` (continued on the next lines while a quotation is open) is followed by its output.
Commands run in bash, stdout and stderr interleaved as on a terminal, in a temporary directory in
which ``tests`` is this repository's tests directory (so ``tests/corpus/...`` reads the corpus and a
file written stays out of the repository), one directory for all the blocks of a document, in order,
with no configuration file and no formats directory but the built-in ones.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
OPEN, CLOSE, PROMPT = "<!-- run", "<!-- end run -->", "$ "
TIMEOUT = 600  # seconds a command may take: a check of the corpus takes ten on a busy machine


def rewritten(text: str) -> str:
    """The document with every marked example's output produced again."""
    lines, out = text.split("\n"), []
    blocks = list(_blocks(lines))
    if not blocks:
        return text
    with tempfile.TemporaryDirectory(prefix="rg-examples-") as home:
        (Path(home) / "tests").symlink_to(ROOT / "tests")
        at = 0
        for start, end, command in blocks:  # start: the fence's first line; end: its closing fence
            out += lines[at:start + 1]
            body = lines[start + 1:end]
            out += _lines(_output(command, home)) if command else _session(body, home)
            at = end
        out += lines[at:]
    return "\n".join(out)


def marked(text: str) -> list:
    """The command of each marked example (None for a session), in order."""
    return [command for _, _, command in _blocks(text.split("\n"))]


def _blocks(lines: list):
    """(line of the opening fence, line of the closing fence, command or None) of each example."""
    number = 0
    while number < len(lines):
        line = lines[number].strip()
        if line.startswith(OPEN + " ") or line.startswith(OPEN + ":"):
            command = line[len(OPEN):].removesuffix("-->").strip().removeprefix(":").strip() or None
            fence = number + 1
            close = lines.index(CLOSE, fence) - 1
            if not lines[fence].startswith("```") or lines[close] != "```":
                raise ValueError(f"line {number + 1}: an example is a fenced block between {OPEN} and {CLOSE}")
            yield fence, close, command
            number = close
        number += 1


def _session(body: list, home: str) -> list:
    """The session's lines with each command's output produced again."""
    out, index = [], 0
    while index < len(body):
        if not body[index].startswith(PROMPT):
            index += 1  # the old output of the command before
            continue
        command, index = _command(body, index)
        out += [PROMPT + command.split("\n")[0], *command.split("\n")[1:]]
        out += _lines(_output(command, home))
        following = index
        while following < len(body) and not body[following].startswith(PROMPT):
            following += 1
        if following < len(body) and body[following - 1] == "":  # a blank line before the next command stays
            out.append("")
    return out


def _lines(output: str) -> list:
    return output.split("\n") if output else []


def _command(body: list, index: int) -> tuple:
    """A command (its lines joined while a quotation is open) and the index of the line after it."""
    command = body[index][len(PROMPT):]
    index += 1
    while not _complete(command) and index < len(body):
        command += "\n" + body[index]
        index += 1
    return command, index


def _complete(command: str) -> bool:
    try:
        shlex.split(command)
    except ValueError:  # no closing quotation
        return False
    return True


def _output(command: str, home: str) -> str:
    """What the command prints, stdout and stderr as a terminal interleaves them, without its last newline."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("REMITGRAMMAR")}
    env.update(PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]), PYTHONUNBUFFERED="1",
               COLUMNS="100", NO_COLOR="1", TERM="dumb")
    done = subprocess.run(["bash", "-c", command], cwd=home, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)
    return done.stdout.rstrip("\n")


def main() -> int:
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        if marked(text):
            doc.write_text(rewritten(text), encoding="utf-8")
            print(doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
