"""Exception reports, of-particular-note, caveats and commentary findings."""

from __future__ import annotations

import attrs
import pytest

import ragrules
from tests.conftest import EXAMPLES, assert_refused_at, load_case


def _merton() -> ragrules.Report:
    ruleset = ragrules.load(EXAMPLES / "merton-2020-21-nov.toml")
    return ruleset.rate(ragrules.read_observations(EXAMPLES / "merton-2020-21-nov.csv"))


def test_merton_sections_match_the_case() -> None:
    """Merton: red exceptions in index order, 40 of particular note, four caveats."""
    case = load_case("merton-2020-21-nov")
    report = _merton()
    by_section: dict[str, list[str]] = {}
    for item in case["indicators"]:
        by_section.setdefault(item["expected"]["section"], []).append(item["id"])
    order = [indicator.id for indicator in report.ruleset.indicators]

    def ordered(ids: list[str]) -> list[str]:
        return sorted(ids, key=order.index)

    assert [s.result.indicator.id for s in report.exceptions] == ordered(by_section["exceptions"])
    assert all(s.result.status == "red" for s in report.exceptions)
    assert [s.result.indicator.id for s in report.of_particular_note] == by_section[
        "of particular note"
    ]
    assert report.of_particular_note[0].result.status != "red"
    assert [r.indicator.id for r in report.caveats] == ordered(by_section["data caveats"])
    assert all(r.caveat for r in report.caveats)
    assert not report.findings


def test_merton_data_is_labelled_illustrative() -> None:
    """The case prints no values, so every row of the shipped data says it is illustrative."""
    rows = ragrules.read_observations(EXAMPLES / "merton-2020-21-nov.csv")
    assert rows
    assert all(
        isinstance(row, ragrules.Observation) and row.column("note") == "illustrative value"
        for row in rows
    )


def test_caveats_are_excluded_from_percentages_and_never_dropped() -> None:
    """Four caveats: not rated, not in the percentages, but every one in the report."""
    report = _merton()
    summary = report.summary.to_dict()
    assert summary["rated"] == 4
    assert summary["unrated"] == {"caveat": 4}
    assert sum(s["percent"] for s in summary["statuses"].values()) == 100
    assert len(report.results) == len(report.ruleset.indicators)


def test_havering_red_exceptions_and_missing_corrective_action() -> None:
    """Havering: the three reds are exceptions; a red without commentary is a finding."""
    case = load_case("havering-2020-21-q2")
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    rows = ragrules.read_observations(EXAMPLES / "havering-2020-21-q2.csv")
    report = ruleset.rate(rows)
    assert [s.result.indicator.id for s in report.exceptions] == case["expected_exceptions"]["ids"]
    assert [s.reasons for s in report.exceptions] == [("status red",)] * 3
    assert not report.findings

    stripped = [
        attrs.evolve(row, commentary="")
        if isinstance(row, ragrules.Observation) and row.indicator == "lac-placement-stability"
        else row
        for row in rows
    ]
    (finding,) = ruleset.rate(stripped).findings
    assert (finding.indicator, finding.row) == ("lac-placement-stability", 7)
    assert finding.message == "a red rating needs commentary, and none was given"


RULES = """
[ruleset]
format = 1
id = "rules"

[travel.comparisons]
short = { against = "previous-period", label = "Short term" }

[exceptions]
flagged = false
rules = [
  { name = "Red or amber and worsening", statuses = ["red", "amber"],
    travel = { comparison = "short", judgement = "worsening" } },
  { statuses = ["red"], travel = { comparison = "short", judgement = ["worsening"], periods = 2 } },
]

[defaults]
tolerance = { absolute = 5 }

[[indicator]]
id = "a"
target = 50

[[indicator]]
id = "n"
polarity = "neutral"
"""


def _rate_series(values: list[str], flag: str = "") -> ragrules.Report:
    ruleset = ragrules.loads(RULES)
    start = ragrules.parse_period("2020/21 Q1")
    rows = [
        {"indicator": "a", "period": str(start.shifted(i)), "value": value}
        for i, value in enumerate(values)
    ]
    rows[-1]["flag"] = flag
    rows += [{"indicator": "n", "period": str(start.shifted(len(values) - 1)), "value": "1"}]
    return ruleset.rate(rows)


@pytest.mark.parametrize(
    ("values", "reasons"),
    [
        (["47", "46"], ("Red or amber and worsening",)),
        (["40", "47"], ()),
        (["40", "50", "30"], ("Red or amber and worsening",)),
        (
            ["50", "40", "30"],
            (
                "Red or amber and worsening",
                "status red and worsening on short for 2 periods running",
            ),
        ),
        (["30", "40", "30"], ("Red or amber and worsening",)),
    ],
)
def test_combined_and_consecutive_rules(values: list[str], reasons: tuple[str, ...]) -> None:
    """Rules combine status and travel; `periods` needs that many worsening periods running."""
    report = _rate_series(values)
    assert [s.reasons for s in report.exceptions] == ([reasons] if reasons else [])


def test_flags_can_be_turned_off() -> None:
    """With flagged = false, a hand flag does not make a section."""
    assert not _rate_series(["60", "61"], flag="yes").of_particular_note


@pytest.mark.parametrize(
    ("flag", "flagged"), [("Y", True), ("of note", True), ("no", False), ("", False)]
)
def test_flag_tokens(flag: str, flagged: bool) -> None:
    """A flag cell flags the row unless it is blank or says no."""
    assert ragrules.Observation(indicator="x", flag=flag).flagged is flagged


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ('[exceptions]\nstatuses = ["neutral"]\n', "exceptions.statuses[0]", "not a status"),
        ('[exceptions]\nstatuses = ["rde"]\n', "exceptions.statuses[0]", "not a status"),
        ('[exceptions]\nstatuses = "red"\n', "exceptions.statuses", "expected a list"),
        ("[exceptions]\nflaged = true\n", "exceptions.flaged", "unknown key"),
        (
            '[exceptions]\nrules = [{ travel = { comparison = "x", judgement = "worsening" } }]\n',
            "exceptions.rules[0].travel.comparison",
            "unknown comparison",
        ),
        (
            '[travel.comparisons]\ns = { against = "previous-period" }\n[exceptions]\n'
            'rules = [{ travel = { comparison = "s", judgement = "worsening", periods = 0 } }]\n',
            "exceptions.rules[0].travel.periods",
            "whole number",
        ),
    ],
)
def test_exception_settings_are_checked(body: str, key: str, words: str) -> None:
    """Mistakes in [exceptions] are errors at their key path."""
    text = (
        '[ruleset]\nformat = 1\nid = "t"\n'
        + body
        + '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    )
    assert_refused_at(text, key, words)


def test_neutral_status_hint() -> None:
    """Listing neutral as an exception status explains that only rated statuses count."""
    text = (
        '[ruleset]\nformat = 1\nid = "t"\n[exceptions]\nstatuses = ["neutral"]\n'
        '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert "neutral indicators are never rated" in (caught.value.problems[0].hint or "")


def test_sections_in_json() -> None:
    """JSON carries exceptions with reasons, of-particular-note, caveats, findings and the key."""
    data = _merton().to_dict()
    assert [e["indicator"] for e in data["exceptions"]] == ["3", "16", "22"]
    assert data["of_particular_note"][0]["reasons"] == ["flagged: of particular note"]
    assert [c["indicator"] for c in data["caveats"]] == ["8", "10", "23", "23a"]
    assert data["findings"] == []
    assert data["key"]["statuses"][0] == {
        "label": "Green",
        "text": "At least as good as the target.",
    }


def test_flags_on_exceptions_and_caveats() -> None:
    """A flagged exception keeps its flag as a reason; a flagged caveat stays with caveats."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "f"\n[exceptions]\nstatuses = ["red"]\n'
        '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
        '[[indicator]]\nid = "b"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    report = ruleset.rate(
        [
            {"indicator": "a", "value": "1", "flag": "outside our control"},
            {"indicator": "b", "caveat": "late", "flag": "yes"},
        ]
    )
    assert report.exceptions[0].reasons == ("status red", "flagged: outside our control")
    assert not report.of_particular_note
    assert [(r.indicator.id, r.caveat) for r in report.caveats] == [("b", "late")]


@pytest.mark.parametrize("flag", ["N/A", "-", "No.", "not flagged"])
def test_no_data_tokens_do_not_flag(flag: str) -> None:
    """N/A and similar cells in the flag column flag nothing."""
    assert not ragrules.Observation(indicator="x", flag=flag).flagged


@pytest.mark.parametrize("rule", ['{ name = "only a name" }', "{ statuses = [] }"])
def test_empty_rules_are_errors(rule: str) -> None:
    """A rule that selects on nothing is an error, not silently dropped."""
    text = (
        f'[ruleset]\nformat = 1\nid = "t"\n[exceptions]\nrules = [{rule}]\n'
        '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    )
    with pytest.raises(ragrules.RulesetError, match="needs at least one status"):
        ragrules.loads(text)


def test_judgement_typo_names_the_setting() -> None:
    """A bad judgement in a list is 'not a valid judgement', without the index."""
    text = (
        '[ruleset]\nformat = 1\nid = "t"\n'
        '[travel.comparisons]\ns = { against = "previous-period" }\n'
        '[exceptions]\nrules = [{ travel = { comparison = "s", judgement = "worse" } }]\n'
        '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert caught.value.problems[0].message == "'worse' is not a valid judgement"


# -- exceptions with memory: runs of statuses, and kept until met ------------------------------

MEMORY = """
[ruleset]
format = 1
id = "memory"

[[exceptions.rules]]
name = "Missed target two quarters running, until met"
statuses = ["amber", "red"]
periods = 2
until = ["green"]

[[exceptions.rules]]
statuses = ["red"]
periods = 3

[[indicator]]
id = "a"
target = 50
tolerance = { absolute = 5 }
"""


def _memory_report(*values: str) -> ragrules.Report:
    rows = [
        {"indicator": "a", "period": f"2023/24 Q{quarter}", "value": value}
        for quarter, value in enumerate(values, start=1)
    ]
    return ragrules.loads(MEMORY).rate(rows)


@pytest.mark.parametrize(
    ("values", "reasons"),
    [
        (("40", "40"), ["Missed target two quarters running, until met"]),
        (
            ("40", "40", "40"),
            [
                "Missed target two quarters running, until met (on the list since 2023/24 Q2)",
                "status red for 3 periods running",
            ],
        ),
        (("40", "N/A", "40"), []),  # a quarter with no rated row ends a run
        (
            ("47", "47", "N/A", "48"),
            [
                "Missed target two quarters running, until met (on the list since 2023/24 Q2)",
            ],
        ),  # ... but neither selects nor releases what is already on the list
        (("47", "47", "51"), []),  # met: released
    ],
)
def test_runs_of_statuses_and_kept_until_met(values: tuple[str, ...], reasons: list[str]) -> None:
    report = _memory_report(*values)
    assert [list(s.reasons) for s in report.exceptions] == ([reasons] if reasons else [])


def test_earlier_statuses_are_in_the_result_and_its_json() -> None:
    report = _memory_report("40", "N/A", "47")
    result = report.result("a")
    assert result.earlier_statuses == (None, "red")  # latest first; nothing before Q1
    assert result.to_dict()["earlier_statuses"] == [None, "red"]
    plain = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "p"\n[exceptions]\nstatuses = ["red"]\n'
        '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { absolute = 5 }\n'
    )
    rows = [{"indicator": "a", "period": "2023/24 Q2", "value": "40"}]
    assert "earlier_statuses" not in plain.rate(rows).result("a").to_dict()


def test_an_override_counts_in_a_run_of_statuses() -> None:
    text = MEMORY.replace(
        "tolerance = { absolute = 5 }", "tolerance = { absolute = 5 }\noverrides = true"
    )
    rows = [
        {
            "indicator": "a",
            "period": "2023/24 Q1",
            "value": "40",
            "override": "green",
            "override_reason": "data error corrected after publication",
        },
        {"indicator": "a", "period": "2023/24 Q2", "value": "40"},
    ]
    report = ragrules.loads(text).rate(rows)
    assert report.result("a").earlier_statuses == ("green",)
    assert report.exceptions == ()  # Q1 was reported green: no run


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('{ statuses = ["red"], periods = 0 }', "periods must be a whole number from 1 to 12"),
        ('{ statuses = ["red"], until = ["gren"] }', "'gren' is not a status"),
        (
            '{ periods = 2, travel = { comparison = "short", judgement = "worsening" } }',
            "give statuses",
        ),
    ],
)
def test_memory_rules_are_checked(rule: str, message: str) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[travel.comparisons]\nshort = { against = '
        f'"previous-period" }}\n[exceptions]\nrules = [{rule}]\n[[indicator]]\nid = "a"\n'
        "target = 50\ntolerance = { absolute = 5 }\n"
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line == 7 for p in caught.value.problems)


def test_memory_rules_survive_canonical_toml() -> None:
    ruleset = ragrules.loads(MEMORY)
    again = ragrules.loads(ruleset.canonical_toml)
    assert again.exceptions == ruleset.exceptions
    assert again.exceptions.memory == 12


def test_the_exceptions_with_memory_example() -> None:
    """rulesets/examples/exceptions: kept until met (Tandridge), a run of reds, worsening."""
    folder = EXAMPLES / "exceptions"
    ruleset = ragrules.load(folder / "tandridge-kept-until-met.toml")
    report = ruleset.rate(
        ragrules.read_observations(folder / "tandridge-kept-until-met-2024-25.csv")
    )
    assert str(report.period) == "2024/25 Q4"
    kept = "Missed target two quarters running (kept until met) (on the list since 2024/25 Q2)"
    worsening = "Red or amber and worsening"
    assert {s.result.indicator.id: s.reasons for s in report.exceptions} == {
        # red in Q1 and Q2 (on the list from Q2), amber since: kept, and worse than Q3.
        "benefit-claims-days": (kept, worsening),
        # red all year: kept, escalated after three quarters, and worse than Q3.
        "complaints-on-time": (kept, "Red three quarters running: escalated", worsening),
        # amber in Q1 and Q2, green in Q3 (released), amber again: only worsening.
        "invoices-paid-30-days": (worsening,),
    }
