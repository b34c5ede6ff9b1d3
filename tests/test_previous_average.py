"""Travel against the average of the previous N periods (Pentana's "average of the previous
N"): `against = "previous-average"` with `points = N`, exact whatever the mean's digits."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.stream import write_stream

QUARTERS = ["2020/21 Q1", "2020/21 Q2", "2020/21 Q3", "2020/21 Q4", "2021/22 Q1"]


def _rules(
    points: int = 3, polarity: str = "higher-is-better", extra: str = ""
) -> ragrules.Ruleset:
    return ragrules.loads(
        '[ruleset]\nformat = 1\nid = "pentana"\n[travel.comparisons]\n'
        f'average = {{ against = "previous-average", points = {points}{extra} }}\n'
        f'[[indicator]]\nid = "a"\npolarity = "{polarity}"\ntarget = 50\n'
        'tolerance = { relative = "10%" }\n'
    )


def _rows(values: list[str]) -> list[dict[str, str]]:
    return [
        {"indicator": "a", "period": period, "value": value}
        for period, value in zip(QUARTERS, values, strict=False)
    ]


def test_the_mean_of_three_quarters_is_compared_exactly() -> None:
    # 1, 1 and 2 average 4/3: 1.3333 is below it, 1.33334 above, whatever the digits.
    for current, moved in (("1.3333", "down"), ("1.33334", "up")):
        move = _rules().rate(_rows(["1", "1", "2", current])).result("a").travel[0]
        assert (move.direction.value, str(move.period)) == (moved, "2020/21 Q1")
        assert move.earlier is not None and move.earlier_text.startswith("1.3333333333")
    # An exact mean is printed as it is: 1, 2 and 3 average 2, and 2 is unchanged.
    move = _rules().rate(_rows(["1", "2", "3", "2"])).result("a").travel[0]
    assert (move.direction.value, move.earlier_text, move.judgement) == (
        "unchanged",
        "2",
        ragrules.Judgement.UNCHANGED,
    )


@given(
    st.lists(st.integers(-1000, 1000), min_size=3, max_size=3),
    st.integers(-3000, 3000),
    st.sampled_from(["higher-is-better", "lower-is-better"]),
)
def test_the_direction_is_the_exact_fractions(
    earlier: list[int], tenths: int, polarity: str
) -> None:
    current = Fraction(tenths, 10)
    rows = _rows([*map(str, earlier), f"{tenths / 10:.1f}"])
    move = _rules(polarity=polarity).rate(rows).result("a").travel[0]
    mean = Fraction(sum(earlier), 3)
    expected = "unchanged" if current == mean else "up" if current > mean else "down"
    assert move.direction.value == expected
    better = (expected == "up") == (polarity == "higher-is-better")
    assert move.judgement is (
        ragrules.Judgement.UNCHANGED
        if expected == "unchanged"
        else ragrules.Judgement.IMPROVING
        if better
        else ragrules.Judgement.WORSENING
    )


@pytest.mark.parametrize(
    ("values", "words"),
    [
        (["1", "", "2", "3"], "no row for 2020/21 Q2"),
        (["1", "N/A", "2", "3"], "no comparable value for 2020/21 Q2"),
        (["1", "2", "3"], "no row for 2019/20 Q4"),
    ],
)
def test_a_missing_period_makes_the_average_not_comparable(values: list[str], words: str) -> None:
    rows = [row for row in _rows(values) if row["value"] != ""]
    move = _rules().rate(rows).result("a").travel[0]
    assert move.direction is ragrules.Direction.NOT_COMPARABLE
    assert move.reason == f"{words}: the average of the 3 periods before needs each of them"


def test_a_stream_of_a_sorted_file_gives_the_reports_movements() -> None:
    rules, rows = _rules(points=2), _rows(["10", "20", "16", "14", "15"])
    out = io.StringIO()
    write_stream(rules.iter_rate(rows), rules, out, "json")
    lines = out.getvalue().splitlines()
    last = rules.rate(rows).result("a").travel[0]
    assert last.direction is ragrules.Direction.UNCHANGED  # 15 against the mean of 16 and 14
    assert f'"earlier": "{last.earlier}"' in lines[-1] and '"direction": "unchanged"' in lines[-1]
    assert '"direction": "up"' in lines[2]  # 16 against the mean of 10 and 20


def test_it_is_keyed_and_kept_in_the_canonical_form() -> None:
    rules = _rules(points=4)
    assert 'against = "previous-average"' in rules.canonical_toml
    assert ragrules.loads(rules.canonical_toml).travel == rules.travel
    key = ragrules.output.render(rules.rate(_rows(["1"])), "markdown")
    assert "the average of the 4 quarters before" in key


@pytest.mark.parametrize(
    ("extra", "points", "key", "words"),
    [
        ("", 1, "travel.comparisons.average.points", "from 2 to 24"),
        ("", 25, "travel.comparisons.average.points", "from 2 to 24"),
        (', test = "regression"', 3, "travel.comparisons.average.test", "only a recent-trend"),
    ],
)
def test_a_wrong_average_is_refused_where_it_is_written(
    extra: str, points: int, key: str, words: str
) -> None:
    with pytest.raises(ragrules.RulesetError) as caught:
        _rules(points=points, extra=extra)
    (problem,) = caught.value.problems
    assert problem.key == key and words in problem.message


def test_an_average_without_points_is_refused_with_a_hint() -> None:
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(
            '[ruleset]\nformat = 1\nid = "p"\n[travel.comparisons]\n'
            'average = { against = "previous-average" }\n[[indicator]]\nid = "a"\n'
            'polarity = "neutral"\n'
        )
    (problem,) = caught.value.problems
    assert problem.key == "travel.comparisons.average" and "points = 4" in (problem.hint or "")
