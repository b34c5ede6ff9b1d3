"""Direction of travel: comparisons by period arithmetic, direction, judgement, arrows."""

from __future__ import annotations

from decimal import Decimal

import pytest

import ragrules
from ragrules import Direction, Judgement
from ragrules.engine.travel import direction, judge, unchanged
from ragrules.model.rules import NO_CHANGE, Basis, Margin, Polarity, Target
from tests.conftest import assert_refused_at

HEADER = """
[ruleset]
format = 1
id = "t"

[travel]
arrows = "judgement"
unchanged-within = { relative = "3%" }
glyphs = { improving = "better", worsening = "worse" }

[travel.comparisons]
short = { against = "previous-period" }
long = { against = "same-period-last-year", label = "Long term" }
england = { against = "benchmark", benchmark = "england" }

[defaults]
tolerance = { absolute = 1 }
"""


def _ruleset(indicators: str) -> ragrules.Ruleset:
    return ragrules.loads(HEADER + indicators)


RULESET = _ruleset(
    """
[[indicator]]
id = "up"
target = 50

[[indicator]]
id = "down"
polarity = "lower-is-better"
target = 50

[[indicator]]
id = "neutral"
polarity = "neutral"

[[indicator]]
id = "band"
polarity = "in-range"
target = { lower = 15, upper = 20 }
unchanged-within = { absolute = "0" }
"""
)


def _travel(indicator: str, *rows: tuple[str, str], **extra: str) -> dict[str, ragrules.Movement]:
    data: list[dict[str, str]] = [
        {"indicator": indicator, "period": period, "value": value} for period, value in rows
    ]
    data[0].update(extra)
    report = RULESET.rate(data)
    result = next(r for r in report.results if r.indicator.id == indicator)
    return {move.comparison.name: move for move in result.travel}


def test_previous_period_crosses_the_financial_year() -> None:
    """Q1 2021/22 is compared with Q4 2020/21, by arithmetic, whatever the row order."""
    moves = _travel("up", ("2021/22 Q1", "60"), ("2019/20 Q1", "1"), ("2020/21 Q4", "40"))
    assert str(moves["short"].period) == "2020/21 Q4"
    assert (moves["short"].direction, moves["short"].judgement) == (
        Direction.UP,
        Judgement.IMPROVING,
    )
    assert moves["short"].arrow == "better"
    assert str(moves["long"].period) == "2020/21 Q1"
    assert moves["long"].reason == "no row for 2020/21 Q1"
    assert moves["long"].arrow == "-"


def test_polarity_sets_the_judgement_not_the_direction() -> None:
    """The same fall is worsening when higher is better and improving when lower is."""
    rows = (("2020/21 Q2", "40"), ("2020/21 Q1", "45"))
    up, down = _travel("up", *rows)["short"], _travel("down", *rows)["short"]
    assert up.direction is down.direction is Direction.DOWN
    assert (up.judgement, down.judgement) == (Judgement.WORSENING, Judgement.IMPROVING)
    assert (up.arrow, down.arrow) == ("worse", "better")


def test_neutral_has_direction_and_no_judgement() -> None:
    """A neutral indicator moves but is never judged; its arrow shows the direction."""
    move = _travel("neutral", ("2020/21 Q2", "40"), ("2020/21 Q1", "45"))["short"]
    assert (move.direction, move.judgement, move.arrow) == (Direction.DOWN, None, "\u2193")


def test_unchanged_within_a_relative_margin_is_inclusive() -> None:
    """3% of the earlier 100 is 3: a move of exactly 3 either way is unchanged."""
    for value in ("103", "97"):
        move = _travel("up", ("2020/21 Q2", value), ("2020/21 Q1", "100"))["short"]
        assert move.direction is Direction.UNCHANGED
        assert move.judgement is Judgement.UNCHANGED
    assert _travel("up", ("2020/21 Q2", "103.01"), ("2020/21 Q1", "100"))["short"].direction is (
        Direction.UP
    )


def test_in_range_is_judged_by_distance_to_the_range() -> None:
    """Moving from 25 to 21 goes down but towards the range 15-20: improving."""
    move = _travel("band", ("2020/21 Q2", "21"), ("2020/21 Q1", "25"))["short"]
    assert (move.direction, move.judgement) == (Direction.DOWN, Judgement.IMPROVING)
    inside = _travel("band", ("2020/21 Q2", "16"), ("2020/21 Q1", "19"))["short"]
    assert (inside.direction, inside.judgement) == (Direction.DOWN, Judgement.UNCHANGED)


@pytest.mark.parametrize(
    ("earlier", "extra", "reason"),
    [
        ("N/A", {}, "no comparable value for 2020/21 Q1 (no data: published as 'N/A')"),
        ("<5", {}, "no comparable value for 2020/21 Q1 (suppressed: published as '<5')"),
    ],
)
def test_earlier_values_that_cannot_be_compared(
    earlier: str, extra: dict[str, str], reason: str
) -> None:
    """A blank, N/A or suppressed earlier value makes the comparison not comparable, with why."""
    move = _travel("up", ("2020/21 Q2", "40"), ("2020/21 Q1", earlier))["short"]
    assert move.direction is Direction.NOT_COMPARABLE
    assert move.reason == reason


def test_caveated_values_are_not_compared() -> None:
    """A caveat on either value stops the comparison."""
    report = RULESET.rate(
        [
            {"indicator": "up", "period": "2020/21 Q2", "value": "40"},
            {"indicator": "up", "period": "2020/21 Q1", "value": "45", "caveat": "unreliable"},
        ]
    )
    assert report.results[0].travel[0].reason == "the 2020/21 Q1 value is caveated"
    report = RULESET.rate([{"indicator": "up", "period": "2020/21 Q2", "caveat": "late"}])
    assert report.results[0].travel[0].reason == "the current value is caveated"


def test_benchmark_comparison_reads_the_benchmark_column() -> None:
    """A benchmark comparison compares with the named column of the same row."""
    moves = _travel("up", ("2020/21 Q2", "40"), England="45.5")
    assert (moves["england"].direction, moves["england"].earlier) == (
        Direction.DOWN,
        Decimal("45.5"),
    )
    assert _travel("up", ("2020/21 Q2", "40"))["england"].reason == "the data has no england value"


def test_travel_in_json_and_summary() -> None:
    """JSON carries each comparison's period, value, direction, judgement and arrow."""
    rows = [
        {"indicator": "up", "period": "2020/21 Q2", "value": "40"},
        {"indicator": "up", "period": "2020/21 Q1", "value": "45"},
    ]
    data = RULESET.rate(rows).to_dict()
    assert data["results"][0]["travel"][0] == {
        "comparison": "short",
        "against": "previous-period",
        "period": "2020/21 Q1",
        "earlier": "45",
        "earlier_text": "45",
        "direction": "down",
        "judgement": "worsening",
        "arrow": "worse",
        "reason": "",
        "earlier_judgements": [],
    }
    assert data["summary"]["travel"]["short"] == {
        "improving": 0,
        "worsening": 1,
        "unchanged": 0,
        "neutral": 0,
        "not-comparable": 3,
    }


def test_pure_functions() -> None:
    """direction, unchanged and judge work on decimals alone."""
    margin = Margin(basis=Basis.ABSOLUTE, amount=Decimal("0.5"))
    assert unchanged(Decimal("10.5"), Decimal(10), margin)
    assert direction(Decimal("10.51"), Decimal(10), margin) is Direction.UP
    assert direction(Decimal(9), Decimal(10), NO_CHANGE) is Direction.DOWN
    range_target = Target(lower=Decimal(1), upper=Decimal(2))
    moved = Direction.UP
    assert judge(moved, Polarity.IN_RANGE, Decimal(3), Decimal(1), NO_CHANGE, None) is None
    assert (
        judge(moved, Polarity.IN_RANGE, Decimal(3), Decimal(0), NO_CHANGE, range_target)
        is Judgement.UNCHANGED
    )


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ('[travel]\narows = "judgement"\n', "travel.arows", "unknown key"),
        ('[travel.comparisons]\nshort = { label = "x" }\n', "travel.comparisons.short", "needs"),
        ('[travel.comparisons]\nx = { against = "benchmark" }\n', "travel.comparisons.x", "names"),
        (
            '[travel.comparisons]\nx = { against = "last-year" }\n',
            "travel.comparisons.x.against",
            "not a valid against",
        ),
        (
            '[scales.s]\nbands = [{ status = "a", travel = { comparison = "lng", judgement = '
            '"improving" } }, { status = "b" }]\n',
            "scales.s.bands[0].travel.comparison",
            "unknown comparison",
        ),
        ("[ruleset.x]\n", "ruleset.x", "unknown key"),
    ],
)
def test_travel_settings_are_checked(body: str, key: str, words: str) -> None:
    """Mistakes in [travel] and travel conditions are errors at their key."""
    text = (
        '[ruleset]\nformat = 1\nid = "t"\n'
        + body
        + '[[indicator]]\nid = "a"\npolarity = "neutral"\n'
    )
    assert_refused_at(text, key, words)


def test_academic_calendar() -> None:
    """With calendar = "academic", 2020/21 runs from September and Q1 is autumn."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "a"\ncalendar = "academic"\n[[indicator]]\nid = "x"\n'
        "tolerance = { absolute = 1 }\n"
        'target = [{ from = "2020/21", value = 10 }, { from = "2021/22", value = 20 }]\n'
    )
    assert ruleset.calendar.value == "academic"
    report = ruleset.rate([{"indicator": "x", "period": "2021/22 Q1", "value": "15"}])
    assert report.period is not None
    assert report.period.start == (2021, 9)
    assert report.results[0].status == "red"
