"""DESIGN section 6, invariant 3 (polarity duality) for quantile bands: a group's values rated
higher-is-better get the statuses, ranks and quantiles that the negated values get rated
lower-is-better, and the cut-points are the negated ones, with ties, groups smaller than the
count, and values on the cut-points."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import ragrules

# Few distinct values, so ties and values on the cut-points are common; some with decimals.
VALUES = st.lists(
    st.one_of(
        st.integers(min_value=-6, max_value=6).map(Decimal),
        st.decimals(min_value=-100, max_value=100, places=2, allow_nan=False),
    ),
    min_size=1,
    max_size=25,
)


def _ruleset(count: int, method: str) -> ragrules.Ruleset:
    statuses = ", ".join(f'"q{n}"' for n in range(1, count + 1))
    return ragrules.loads(
        '[ruleset]\nformat = 1\nid = "duality"\nscale = "q"\n'
        f'[scales.q]\nquantiles = {{ count = {count}, method = "{method}", '
        f"statuses = [{statuses}] }}\n"
        '[[indicator]]\nid = "higher"\npolarity = "higher-is-better"\n'
        '[[indicator]]\nid = "lower"\npolarity = "lower-is-better"\n'
    )


@given(
    values=VALUES,
    count=st.integers(min_value=2, max_value=10),
    method=st.sampled_from(["ntile", "inclusive"]),
)
def test_higher_is_better_is_the_mirror_of_lower_is_better(
    values: list[Decimal], count: int, method: str
) -> None:
    rows = [
        {"indicator": indicator, "area": f"A{n:02d}", "period": "2024", "value": str(value)}
        for indicator, sign in (("higher", 1), ("lower", -1))
        for n, value in enumerate(values)
        for value in [sign * value]
    ]
    report = _ruleset(count, method).rate(rows)
    for n in range(len(values)):
        higher = report.result("higher", area=f"A{n:02d}")
        lower = report.result("lower", area=f"A{n:02d}")
        assert higher.rank is not None and lower.rank is not None
        assert (higher.status, higher.rank.rank, higher.rank.size) == (
            lower.status,
            lower.rank.rank,
            lower.rank.size,
        ), (values, n)
        assert higher.reason == lower.reason
        assert higher.rank.cuts == tuple(sorted(-cut for cut in lower.rank.cuts))
        assert list(higher.rank.cuts) == sorted(higher.rank.cuts)
    # The best value is always in the first quantile, and the bands go down with the value.
    order = sorted(range(len(values)), key=lambda n: values[n], reverse=True)
    statuses = [report.result("higher", area=f"A{n:02d}").status for n in order]
    assert statuses[0] == "q1"
    assert statuses == sorted(statuses, key=lambda s: int(s[1:]))
