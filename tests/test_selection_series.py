"""Exceptions, flags and caveats of every council at once: each series is its own."""

from __future__ import annotations

import json

import ragrules

RULES = """\
[ruleset]
format = 1
id = "areas"
[exceptions]
flagged = true
rules = [{ statuses = ["red"] }]
[[indicator]]
id = "a"
target = 50
tolerance = { absolute = 5 }
"""
ROWS = [
    {"indicator": "a", "area": "E1", "period": "2024", "value": "10"},
    {"indicator": "a", "area": "E2", "period": "2024", "value": "20", "commentary": "fix it"},
    {"indicator": "a", "area": "E3", "period": "2024", "value": "60", "flag": "Y"},
    {"indicator": "a", "area": "E4", "period": "2024", "value": "60", "caveat": "data issue"},
]


def test_a_flag_is_of_note_though_another_area_of_its_indicator_is_an_exception() -> None:
    """E1 and E2 are red exceptions; E3 is green and flagged by hand: of particular note,
    as it is when rated alone (`--area E3`)."""
    report = ragrules.loads(RULES).rate(ROWS)
    noted = [(s.result.area, s.reasons) for s in report.of_particular_note]
    assert noted == [("E3", ("flagged: Y",))]
    alone = report.for_area("E3")
    assert [(s.result.area, s.reasons) for s in alone.of_particular_note] == noted


def test_the_json_sections_name_each_series() -> None:
    data = json.loads(json.dumps(ragrules.loads(RULES).rate(ROWS).to_dict()))
    assert [(e["indicator"], e["area"], e["breakdown"]) for e in data["exceptions"]] == [
        ("a", "E1", {}),
        ("a", "E2", {}),
    ]
    assert [(n["area"], n["reasons"]) for n in data["of_particular_note"]] == [
        ("E3", ["flagged: Y"])
    ]
    assert [(c["area"], c["caveat"]) for c in data["caveats"]] == [("E4", "data issue")]
    # A single council's data: no area, no breakdown.
    single = ragrules.loads(RULES).rate([{"indicator": "a", "period": "2024", "value": "10"}])
    (exception,) = single.to_dict()["exceptions"]
    assert (exception["area"], exception["breakdown"]) == (None, {})
