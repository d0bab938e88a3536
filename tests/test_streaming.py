"""`check` over a corpus in flat memory: findings and months spilled to disk and read back exactly."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from remitgrammar.check import baseline as baselines
from remitgrammar.check.across import check_months
from remitgrammar.check.months import month_of
from remitgrammar.check.spill import Spill, findings_in, findings_out, month_in, month_out
from remitgrammar.check.streaming import Held
from remitgrammar.errors import Finding
from remitgrammar.pipeline import check_result, parse_path, parse_reports

CORPUS = Path(__file__).resolve().parent / "corpus" / "usbank-absc-2003"
JUNE, NOVEMBER = CORPUS / "absc_2003-he2_2003-06-16.txt", CORPUS / "absc_2003-he2_2003-11-17.txt"
HE4 = CORPUS / "absc_2003-he4_2003-12-15.txt"


def test_a_month_comes_back_from_the_spill_as_it_went_in():
    result = parse_path(NOVEMBER)
    check_result(result)  # the seed's failed identities go with its month (RG407)
    month = month_of("nov.txt", result, ref=3)
    assert month.suspects and month.checked
    spill = Spill()
    again = month_in(spill.get(spill.add(month_out(month))))
    spill.close()
    assert again == month and again.rules == month.rules and again.keys == month.keys
    assert isinstance(again.figures["classes[A-1].ending_balance"], Decimal)
    assert again.figures["classes[A-1].cusip"] == "04541GDP4"
    assert len(again.rules.carries) >= 10 and again.rules.carries[0].title == month.rules.carries[0].title


def test_findings_come_back_from_the_spill_as_they_went_in():
    """Any text: accents, controls, a long message clipped once, a surrogate from a file name not in UTF-8."""
    findings = check_result(parse_path(NOVEMBER)) + [Finding("RG999", "error", "é \u0000 \n", line=3),
                                                      Finding("RG998", "error", "x" * 5000),
                                                      Finding("RG997", "info", "name a\udcff.txt"),
                                                      Finding("RG996", "info", "built on two", rests_on=("RG1", "RG2"))]
    spill = Spill()
    assert findings_in(spill.get(spill.add(findings_out(findings)))) == findings
    spill.close()


def test_a_record_comes_back_from_the_spill_exactly():
    """Decimals with their printed digits (0.00000000 is not 0E-8), ints, texts, nesting."""
    from remitgrammar.emit.json_record import to_json

    result = parse_path(NOVEMBER)
    record = {**result.record, "provenance": result.provenance}
    spill = Spill()
    again = spill.get(spill.add({"record": record}))["record"]
    spill.close()
    assert to_json(again) == to_json(record) and again == record
    assert isinstance(again["classes"][0]["ending_balance"], Decimal)


def _checked(paths: list) -> list:
    """(findings, month) of each report of ``paths``, as the runner's workers give them."""
    from remitgrammar.pipeline import month_of_outcome

    out = []
    for path in paths:
        for name, outcome in parse_reports(path):
            out.append((check_result(outcome), month_of_outcome(str(path), outcome)))
    return out


def test_held_reports_get_the_findings_across_months_in_order():
    """The June and November 2003-HE2 reports are one deal; the November copy is the same month again."""
    paths = [NOVEMBER, HE4, JUNE, NOVEMBER]
    parts = _checked(paths)
    held = Held()
    indexes = [held.add({"findings": findings_out(findings)}, month) for findings, month in parts]
    across = held.across()
    expected = check_months([month_of(str(p), parse_path(p), ref=i) for i, p in enumerate(paths)])
    assert indexes == [0, 1, 2, 3] and across == expected and set(across) == {0, 3}
    assert "RG404" in {f.code for f in across[0]} and "RG406" in {f.code for f in across[3]}  # after June; again
    assert [findings_in(held.get(i)["findings"]) for i in indexes] == [f for f, _ in parts]
    held.close()


def test_months_held_for_comparison_are_compared_not_reported():
    (findings, month), = _checked([NOVEMBER])
    (_, june), = _checked([JUNE])
    held = Held()
    held.add({"findings": findings_out(findings)}, month)
    held.compare(month_of(str(JUNE), parse_path(JUNE), reported=False))
    across = held.across()
    held.close()
    assert list(across) == [0] and [f.code for f in across[0]] == ["RG404"]  # four months between them


def test_a_baseline_is_written_as_findings_come(tmp_path):
    results = [("a.txt", check_result(parse_path(NOVEMBER))), ("b.txt", []), ("c.txt", check_result(parse_path(HE4)))]
    count = baselines.write(tmp_path / "b.json", iter(results))
    doc = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert count == len(doc["findings"]) == sum(len(f) for _, f in results)
    known = baselines.load(tmp_path / "b.json")
    assert all(known.known(p, f, None) for p, fs in results for f in fs) and known.fixed() == 0
    assert baselines.write(tmp_path / "empty.json", iter([])) == 0
    assert json.loads((tmp_path / "empty.json").read_text(encoding="utf-8")) == {"version": 2, "findings": []}


def test_an_interrupted_baseline_leaves_the_old_one(tmp_path):
    target = tmp_path / "known.json"
    baselines.write(target, iter([("a.txt", check_result(parse_path(HE4)))]))
    before = target.read_text(encoding="utf-8")

    def interrupted():
        yield "b.txt", check_result(parse_path(NOVEMBER))
        raise KeyboardInterrupt

    try:
        baselines.write(target, interrupted())
    except KeyboardInterrupt:
        pass
    assert target.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["known.json"]  # no partial file left behind
