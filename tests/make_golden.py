"""Write tests/corpus/<format>/<name>.expected.json (and .findings.json, the findings
of `check`) for reports that have none (or all, with --all).

Each record is verified against its source text first (tests/golden.py says how);
a record that fails is not written. Review the new files by hand before committing
them: every finding must be a real property of the filing, not a parser error.

    python tests/make_golden.py [--all]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden import corpus_files, expected_path, findings_json, findings_path, parse_report, verify  # noqa: E402

from remitgrammar.emit.json_record import to_json  # noqa: E402


def main(argv: list[str]) -> int:
    """Generate expected files; return a shell exit code."""
    status = 0
    for report in corpus_files():
        target = expected_path(report)
        if target.exists() and "--all" not in argv:
            continue
        text = report.read_text(encoding="utf-8")
        result = parse_report(report)
        problems = verify(result.record, result.provenance, text)
        if problems:
            print(f"{report}: not written, {len(problems)} problem(s):", *problems[:20], sep="\n  ")
            status = 1
            continue
        target.write_text(to_json({**result.record, "provenance": result.provenance}) + "\n", encoding="utf-8")
        findings_path(report).write_text(findings_json(report), encoding="utf-8")
        print(f"wrote {target} and {findings_path(report).name}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
