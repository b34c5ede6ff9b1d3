"""DESIGN section 6, invariant 1: totality."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ragrules import Observation, Ruleset, Unrated, testing
from ragrules.output import to_json

PERIOD = "2020/21 Q2"

# Rows as callers really pass them: mappings, `Observation`s, and the odd thing that is neither.
_ODD_ROWS = st.sampled_from([None, "early-help,2020/21 Q2,30", 42, ("a", "b")])


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Ruleset, list[object]]:
    ruleset = draw(testing.rulesets(rounding=True))
    rows: list[object] = list(
        draw(testing.observations(ruleset, PERIOD, duplicates=True, strays=True))
    )
    for index in draw(st.lists(st.integers(min_value=0, max_value=len(rows)), max_size=3)):
        if index < len(rows) and isinstance(rows[index], dict):
            mapping = rows[index]
            assert isinstance(mapping, dict)
            if mapping.get("indicator"):
                rows[index] = Observation.from_mapping(mapping)
        else:
            rows.insert(index, draw(_ODD_ROWS))
    return ruleset, rows


@given(_cases())
def test_every_observation_gets_exactly_one_status(case: tuple[Ruleset, list[object]]) -> None:
    """ "Totality: every observation gets exactly one status; nothing is dropped."

    Generated rulesets (rag and brag, higher and lower, some rounding) meet published rows
    of every kind: numbers as text and as Python numbers, blanks, N/A, <5, unreadable text,
    caveats, data targets, duplicates, earlier periods, unknown indicators, rows with no
    indicator or an unreadable period, and things that are not rows at all. Each indicator
    gets one result with one status, and every input row is a result's row, history or a
    rejection, exactly once, in the report and in its JSON.
    """
    ruleset, rows = case
    report = testing.check_totality(ruleset, rows)

    account = report.to_dict()["rows"]
    listed = sorted(
        [*account["rated_or_unrated"], *account["history"]]
        + [rejection["row"] for rejection in account["rejected"]]
    )
    assert listed == list(range(1, len(rows) + 1)), "the JSON does not list every row once"
    assert '"status": ""' not in to_json(report), "a result has an empty status"


@given(st.data())
def test_a_period_without_rows_still_reports_every_indicator(data: st.DataObject) -> None:
    """ "Totality: every observation gets exactly one status; nothing is dropped."

    Reporting a period the data has no rows for keeps every row (as history) and gives every
    indicator the `no-data` status.
    """
    ruleset = data.draw(testing.rulesets())
    rows = data.draw(testing.observations(ruleset, "2019/20 Q1", strays=True))
    for row in rows:  # a blank period means the report's period; date every row here
        if not row.get("period"):
            row["period"] = "2019/20 Q1"
    report = testing.check_totality(ruleset, rows, period="2021/22 Q4")
    for result in report.results:
        assert result.unrated is Unrated.NO_DATA, (result.indicator.id, result.status)
