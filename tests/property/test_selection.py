"""Laws of summaries and exception selection (issue 4, DESIGN.md sections 2 and 6)."""

from __future__ import annotations

import random

import attrs
from hypothesis import given
from hypothesis import strategies as st

from ragrules import testing
from ragrules.engine.report import Report
from ragrules.engine.ruleset import Ruleset
from ragrules.engine.summary import largest_remainder
from ragrules.model.rules import ExceptionPolicy, ExceptionRule, Polarity


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=8))
def test_percentages_add_up_to_100(counts: list[int]) -> None:
    """Summary percentages are integers that add up to 100 whenever anything is rated."""
    percentages = largest_remainder(counts)
    if sum(counts):
        assert sum(percentages) == 100
        for count, percent in zip(counts, percentages, strict=True):
            assert abs(percent - count * 100 / sum(counts)) < 1
    else:
        assert percentages == [0] * len(counts)


def _with_exceptions(ruleset: Ruleset) -> Ruleset:
    """The ruleset selecting every scale status but the best, as a council would."""
    statuses = tuple(
        dict.fromkeys(
            status
            for indicator in ruleset.indicators
            if indicator.polarity is not Polarity.NEUTRAL
            for status in indicator.scale.statuses[1:]
        )
    )
    policy = ExceptionPolicy(rules=(ExceptionRule(statuses=statuses),), flagged=True)
    return attrs.evolve(ruleset, exceptions=policy)


@st.composite
def rated(draw: st.DrawFn) -> tuple[Ruleset, list[dict[str, object]]]:
    ruleset = _with_exceptions(draw(testing.rulesets()))
    rows = draw(testing.observations(ruleset, strays=True))
    for row in rows:
        if draw(st.booleans()):
            row["flag"] = "of particular note"
    return ruleset, rows


@given(rated())
def test_summary_adds_up_and_every_indicator_appears_once(
    case: tuple[Ruleset, list[dict[str, object]]],
) -> None:
    """Percentages sum to 100 when anything is rated; each indicator is in the results once."""
    ruleset, rows = case
    report = ruleset.rate(rows)
    summary = report.summary
    if summary.rated:
        assert sum(percent for _, percent in summary.percentages) == 100
    assert sorted(r.indicator.id for r in report.results) == sorted(
        i.id for i in ruleset.indicators
    )
    assert summary.rated + sum(n for _, n in summary.unrated) == len(report.results)


@given(rated())
def test_neutral_never_selected_by_status(case: tuple[Ruleset, list[dict[str, object]]]) -> None:
    """Neutral indicators never get a scale status and never enter exceptions by status."""
    ruleset, rows = case
    report = ruleset.rate(rows)
    for chosen in report.exceptions:
        assert chosen.result.indicator.polarity is not Polarity.NEUTRAL
        assert chosen.result.rated
    exceptional = {s.result.indicator.id for s in report.exceptions}
    noted = {s.result.indicator.id for s in report.of_particular_note}
    assert not exceptional & noted
    caveated = {r.indicator.id for r in report.caveats}
    assert not caveated & exceptional


@given(rated(), st.randoms(use_true_random=False))
def test_selection_is_independent_of_row_order(
    case: tuple[Ruleset, list[dict[str, object]]], shuffle: random.Random
) -> None:
    """Exceptions, of-particular-note and caveats follow the ruleset's order, not the rows'."""
    ruleset, rows = case
    period = "2020/21 Q2"
    shuffled = list(rows)
    shuffle.shuffle(shuffled)
    # Duplicate rows are resolved by order by design; compare only inputs without them.
    keys = [(row.get("indicator"), row.get("period") or period) for row in rows]
    if len(set(keys)) != len(keys):
        return
    first, second = ruleset.rate(rows, period=period), ruleset.rate(shuffled, period=period)

    def sections(report: Report) -> tuple[list[tuple[str, tuple[str, ...]]], ...]:
        return (
            [(s.result.indicator.id, s.reasons) for s in report.exceptions],
            [(s.result.indicator.id, s.reasons) for s in report.of_particular_note],
            [(r.indicator.id, ()) for r in report.caveats],
        )

    assert sections(first) == sections(second)
    order = [indicator.id for indicator in ruleset.indicators]
    ids = [s.result.indicator.id for s in first.exceptions]
    assert ids == sorted(ids, key=order.index)
