"""An exception rule over several periods sees each earlier period's movement as that
period's own report judged it, with the settings then in force (a polarity that changes, a
target that changes), not the report period's."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.stream import write_stream

_QUARTERS = [f"2024/25 Q{n}" for n in range(1, 5)] + [f"2025/26 Q{n}" for n in range(1, 5)]
_POLARITIES = ("higher-is-better", "lower-is-better")


def _ruleset(first: str, switch: int, targets: tuple[int, int]) -> ragrules.Ruleset:
    second = _POLARITIES[1 - _POLARITIES.index(first)]
    return ragrules.loads(
        '[ruleset]\nformat = 1\nid = "j"\n'
        '[travel.comparisons]\nshort = { against = "previous-period" }\n'
        "[[exceptions.rules]]\n"
        'travel = { comparison = "short", judgement = "worsening", periods = 3 }\n'
        '[[indicator]]\nid = "a"\ntolerance = { absolute = 1 }\n'
        f'polarity = [{{ value = "{first}" }}, '
        f'{{ from = "{_QUARTERS[switch]}", value = "{second}" }}]\n'
        f"target = [{{ value = {targets[0]} }}, "
        f'{{ from = "{_QUARTERS[switch]}", value = {targets[1]} }}]\n'
    )


@given(
    first=st.sampled_from(_POLARITIES),
    switch=st.integers(1, len(_QUARTERS) - 1),
    targets=st.tuples(st.integers(0, 30), st.integers(0, 30)),
    values=st.lists(st.integers(0, 30), min_size=len(_QUARTERS), max_size=len(_QUARTERS)),
)
def test_earlier_judgements_are_each_periods_own(
    first: str, switch: int, targets: tuple[int, int], values: list[int]
) -> None:
    ruleset = _ruleset(first, switch, targets)
    rows = [
        {"indicator": "a", "period": period, "value": str(value)}
        for period, value in zip(_QUARTERS, values, strict=True)
    ]
    out = io.StringIO()
    write_stream(ruleset.iter_rate(rows), ruleset, out)
    judged = [json.loads(line)["travel"][0] for line in out.getvalue().splitlines()]
    for index, movement in enumerate(judged):
        own = [
            judged[index - 1 - k]["judgement"] for k in range(len(movement["earlier_judgements"]))
        ]
        assert movement["earlier_judgements"] == own, (index, judged)
    # And each report of one period alone agrees with the stream.
    for index in range(1, len(_QUARTERS)):
        report = ruleset.rate(rows[: index + 1])
        movement = report.results[0].travel[0]
        assert [None if j is None else j.value for j in movement.earlier_judgements] == (
            judged[index]["earlier_judgements"]
        )
