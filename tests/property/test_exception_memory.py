"""Exception rules with memory, against the rule stated as a state machine over the quarters.

A rule `{ statuses = S, periods = n, until = U }` selects an indicator in a quarter when, going
forward through the quarters, it went on the list at a quarter that ended a run of n statuses
in S (and was not itself in U), and no quarter since has had a status in U. Without `until`
it selects exactly the quarters that end such a run. Each quarter's status is the one the
indicator gets when that quarter is rated on its own.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import ragrules

STATUSES = ["green", "amber", "red"]
VALUES = ["52", "50", "47", "45", "40", "N/A"]  # green, green, amber, amber, red, no data


def _ruleset(periods: int, until: bool) -> ragrules.Ruleset:
    rule = f'{{ statuses = ["amber", "red"], periods = {periods}'
    rule += ', until = ["green"] }' if until else " }"
    return ragrules.loads(
        f'[ruleset]\nformat = 1\nid = "m"\n[exceptions]\nrules = [{rule}]\n'
        '[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { absolute = 5 }\n'
    )


def _quarter(n: int) -> str:
    return f"{2020 + n // 4}/{(21 + n // 4) % 100:02d} Q{n % 4 + 1}"


@given(
    values=st.lists(st.sampled_from(VALUES), min_size=1, max_size=10),
    periods=st.integers(1, 3),
    until=st.booleans(),
)
def test_selection_follows_the_state_machine(values: list[str], periods: int, until: bool) -> None:
    ruleset = _ruleset(periods, until)
    rows = [
        {"indicator": "a", "period": _quarter(n), "value": value} for n, value in enumerate(values)
    ]
    # Each quarter's status, rated on its own.
    alone = [ruleset.rate([row]).result("a") for row in rows]
    statuses = [r.status if r.rated else None for r in alone]
    on = False
    for index, status in enumerate(statuses):
        if on and status == "green":
            on = False
        run = statuses[max(0, index - periods + 1) : index + 1]
        ended = len(run) == periods and all(s in ("amber", "red") for s in run)
        on = (on and until) or ended
    report = ruleset.rate(rows)
    selected = bool(report.exceptions)
    assert selected == (on and statuses[-1] is not None), (statuses, report.exceptions)
