"""Spark rates each series (indicator, area, breakdown) on its own: a ruleset that reads other
areas' rows (England's row, a group's values) is refused with the reason before any Spark
work, rather than rated with those rows never found. Runs without Spark: the check comes
first."""

from __future__ import annotations

import pytest

import ragrules
from ragrules.reports.spark import across_series, rate_spark

HEAD = '[ruleset]\nformat = 1\nid = "s"\n[benchmarks.england]\narea = "E92000001"\n'
PLAIN = '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { relative = "10%" }\n'


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            HEAD
            + '[travel.comparisons]\neng = { against = "benchmark", benchmark = "england" }\n'
            + PLAIN,
            "travel.comparisons.eng",
            "it compares with the england benchmark",
        ),
        (
            HEAD + PLAIN.replace("target = 50", 'target = { benchmark = "england" }'),
            "indicator 'a'",
            "its target is the england benchmark",
        ),
        (
            HEAD
            + '[scales.sig]\nsignificance = { benchmark = "england" }\n'
            + '[[indicator]]\nid = "a"\nscale = "sig"\n',
            "indicator 'a'",
            "its scale 'sig' compares with the england benchmark",
        ),
        (
            HEAD + '[scales.q]\nquantiles = { count = 4 }\n[[indicator]]\nid = "a"\nscale = "q"\n',
            "indicator 'a'",
            "it is rated on the quantiles of scale 'q'",
        ),
    ],
)
def test_a_ruleset_reading_other_areas_is_refused_before_any_spark_work(
    text: str, where: str, words: str
) -> None:
    ruleset = ragrules.loads(text)
    assert across_series(ruleset) == (where, words)
    with pytest.raises(ragrules.RulesetError) as caught:
        rate_spark(ruleset, object())  # never read: refused first
    (problem,) = caught.value.problems
    assert problem.key == where
    assert "Spark rates each series" in problem.message
    assert problem.hint and "ragrules rate" in problem.hint


@pytest.mark.parametrize(
    "text",
    [
        HEAD + PLAIN,  # declared but not used
        '[ruleset]\nformat = 1\nid = "c"\n'  # a benchmark column of the row itself
        '[travel.comparisons]\neng = { against = "benchmark", benchmark = "england" }\n'
        + PLAIN.replace("target = 50", 'target = { benchmark = "neighbours" }'),
    ],
)
def test_a_ruleset_reading_only_its_own_rows_is_not_refused(text: str) -> None:
    assert across_series(ragrules.loads(text)) is None
