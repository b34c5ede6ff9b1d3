"""How far from another status (issue 18, item 3): a result's edges are exactly where the
engine's own rating changes status, and a fragile rating is one another reading changes."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from ragrules import Ruleset, testing
from ragrules.engine.edges import Edge
from ragrules.engine.readings import READINGS
from ragrules.reports._fragments import EdgeJson, encode
from ragrules.tools.audit import _READINGS


def _status(ruleset: Ruleset, indicator: str, value: Decimal) -> str | None:
    """The engine's status for a value, or None when it does not rate it."""
    result = ruleset.rate_value(indicator, format(value, "f"))
    return result.status if result.rated else None


def _step(*numbers: Decimal) -> Decimal:
    """A step finer than any digit of the numbers: no band edge lies within it."""
    places = max(-int(n.as_tuple().exponent) for n in numbers)
    return Decimal(1).scaleb(-(max(places, 0) + 3))


@given(st.data())
def test_each_edge_is_where_the_rating_changes_and_nothing_changes_before_it(
    data: st.DataObject,
) -> None:
    indicator = data.draw(testing.indicators(scale=None))
    ruleset = Ruleset(id="edges", indicators=(indicator,))
    result = ruleset.rate_value(indicator.id, data.draw(testing.values(indicator)))
    value, current = result.value, result.status
    assume(result.rated and value is not None)
    assert value is not None
    order = list(indicator.scale.statuses)
    directions = {edge.up: edge for edge in result.edges}
    assert len(directions) == len(result.edges)  # at most one edge each way
    for up in (True, False):
        sign = 1 if up else -1
        edge = directions.get(up)
        if edge is None:
            # No edge this way: the status holds however far the value goes.
            far = value + sign * Decimal(10) ** 6
            assert _status(ruleset, indicator.id, far) in (current, None)
            continue
        assert edge.exact  # targets and margins of these indicators are decimals
        assert edge.distance == abs(edge.at - value)
        assert edge.better == (order.index(edge.status) < order.index(current))
        # Finer than every bound, so that a step past the edge lands in the next band.
        bounds = [b for cut in result.bounds for b in (cut.lower, cut.upper) if b is not None]
        step = _step(value, edge.at, *bounds)
        beyond = edge.at if edge.included else edge.at + sign * step
        assert _status(ruleset, indicator.id, beyond) in (edge.status, None)
        if edge.at != value:
            # Up to the edge (and at it, when it is not included) the status is the same.
            before = edge.at - sign * step
            assert _status(ruleset, indicator.id, before) in (current, None)
            middle = (value + edge.at) / 2
            assert _status(ruleset, indicator.id, middle) in (current, None)
        if not edge.included:
            assert _status(ruleset, indicator.id, edge.at) in (current, None)


@given(st.data())
def test_a_rating_is_fragile_exactly_when_a_known_reading_changes_it(
    data: st.DataObject,
) -> None:
    indicator = data.draw(testing.indicators(scale=None))
    ruleset = Ruleset(id="fragile", indicators=(indicator,))
    value = data.draw(testing.values(indicator))
    result = ruleset.rate_value(indicator.id, value)
    assume(result.rated)
    assert [reading.name for reading in READINGS] == [name for name, _ in _READINGS]
    changed = [
        name
        for name, read in _READINGS
        if read(ruleset).rate_value(indicator.id, value).status != result.status
    ]
    assert list(result.fragile) == changed


_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9)


@given(
    st.lists(
        st.builds(
            Edge,
            up=st.booleans(),
            # Any status a ruleset may name, the mark the writer splits at among them.
            status=st.sampled_from(["red", 'a "b"', "é\\", "x\x00"]),
            better=st.booleans(),
            at=st.sampled_from([Decimal("73.5"), Decimal(0)]) | _DECIMALS,
            included=st.booleans(),
            distance=_DECIMALS.map(abs),
            exact=st.booleans(),
        ),
        max_size=12,
    )
)
def test_an_edge_rendered_once_for_every_distance_writes_what_its_record_does(
    edges: list[Edge],
) -> None:
    # The compiled and columnar writers join each value's distance into an edge's JSON
    # rendered once: the same text as encoding the edge's record, for every edge.
    render = EdgeJson()
    for edge in edges * 2:  # the second time from what was kept
        assert render(edge) == encode(edge.to_dict())
