"""Roll-ups' invariants over generated members, statuses, weights and bands.

- A roll-up of one indicator by `worst` or `majority` is the indicator's reported status
  (or no-data when the indicator is not rated).
- The members' order never changes a roll-up's status.
- A share is decided as exact arithmetic on fractions decides it.
- Worsening one member never makes a `worst` or `score` (with points falling from the best
  status to the worst) roll-up better.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from ragrules import testing
from ragrules.engine.rollups import rate_rollup
from ragrules.engine.ruleset import Ruleset
from ragrules.model.rollups import Rollup, RollupBand, RollupRule

STATUSES = ("green", "amber", "red")
UNRATED = ("no-data", "caveat")


@given(
    data=st.data(),
    ruleset=testing.rulesets(),
    rule=st.sampled_from([RollupRule.WORST, RollupRule.MAJORITY]),
)
def test_a_rollup_of_one_indicator_is_the_indicator(
    data: st.DataObject, ruleset: Ruleset, rule: RollupRule
) -> None:
    indicator = data.draw(st.sampled_from(ruleset.indicators))
    rollup = Rollup(
        id="group", members=(indicator.id,), rule=rule, statuses=indicator.scale.statuses
    )
    ruleset = attrs.evolve(ruleset, rollups=(rollup,))
    row = {"indicator": indicator.id, "period": "", "value": data.draw(testing.decimals_text())}
    report = ruleset.rate([row])
    result = report.result(indicator.id)
    rolled = report.rollup("group")
    assert rolled.status == (result.reported_status if result.rated else "no-data")


members = st.lists(
    st.tuples(st.sampled_from(STATUSES + UNRATED), st.integers(1, 5)), min_size=1, max_size=8
)
thresholds = st.lists(st.decimals(0, 100, places=2), min_size=1, max_size=3, unique=True)


def _rollup(rule: RollupRule, drawn: list[tuple[str, int]], starts: list[Decimal]) -> Rollup:
    starts = sorted(starts, reverse=True)
    names = [f"b{n}" for n in range(len(starts))]
    bands = (
        *(RollupBand(status=n, at_least=s) for n, s in zip(names, starts, strict=True)),
        RollupBand(status="rest"),
    )
    return Rollup(
        id="r",
        members=tuple(f"m{n}" for n in range(len(drawn))),
        rule=rule,
        statuses=STATUSES if rule in (RollupRule.WORST, RollupRule.MAJORITY) else (*names, "rest"),
        weights=tuple((f"m{n}", Decimal(w)) for n, (_, w) in enumerate(drawn)),
        counted=("green",),
        points=(("green", Decimal(3)), ("amber", Decimal(2)), ("red", Decimal(1))),
        bands=bands if rule in (RollupRule.SHARE, RollupRule.SCORE) else (),
    )


def _statuses(drawn: list[tuple[str, int]]) -> list[tuple[str, str, bool]]:
    return [(f"m{n}", s, s in STATUSES) for n, (s, _) in enumerate(drawn)]


@given(rule=st.sampled_from(RollupRule), drawn=members, starts=thresholds, data=st.data())
def test_the_members_order_does_not_matter(
    rule: RollupRule, drawn: list[tuple[str, int]], starts: list[Decimal], data: st.DataObject
) -> None:
    rollup = _rollup(rule, drawn, starts)
    statuses = _statuses(drawn)
    shuffled = data.draw(st.permutations(statuses))
    assert rate_rollup(rollup, statuses).status == rate_rollup(rollup, shuffled).status


@given(drawn=members, starts=thresholds)
def test_a_share_is_decided_exactly(drawn: list[tuple[str, int]], starts: list[Decimal]) -> None:
    rollup = _rollup(RollupRule.SHARE, drawn, starts)
    rated = [(s, w) for s, w in drawn if s in STATUSES]
    found = rate_rollup(rollup, _statuses(drawn))
    if not rated:
        assert found.status == "no-data"
        return
    share = Fraction(sum(w for s, w in rated if s == "green") * 100, sum(w for _, w in rated))
    expected = next(
        b.status for b in rollup.bands if b.at_least is None or share >= Fraction(b.at_least)
    )
    assert found.status == expected
    assert found.value is not None and Fraction(found.value) <= share  # shown rounded down


@given(
    rule=st.sampled_from([RollupRule.WORST, RollupRule.SCORE]),
    drawn=members,
    starts=st.lists(st.decimals(1, 3, places=2), min_size=1, max_size=3, unique=True),
    data=st.data(),
)
def test_a_worse_member_never_makes_the_rollup_better(
    rule: RollupRule, drawn: list[tuple[str, int]], starts: list[Decimal], data: st.DataObject
) -> None:
    rollup = _rollup(rule, drawn, starts)
    rated = [n for n, (s, _) in enumerate(drawn) if s in STATUSES[:-1]]
    assume(rated)  # a member that can get worse
    index = data.draw(st.sampled_from(rated))
    status, weight = drawn[index]
    worse = data.draw(st.sampled_from(STATUSES[STATUSES.index(status) + 1 :]))
    changed = [*drawn[:index], (worse, weight), *drawn[index + 1 :]]
    before = rate_rollup(rollup, _statuses(drawn)).status
    after = rate_rollup(rollup, _statuses(changed)).status
    assert rollup.statuses.index(after) >= rollup.statuses.index(before)
