"""A report reads one period's months however each row writes them (`2020/21 Q2` and the
calendar's `2020 Q3`, decision 21): so do its comparator groups. An area's quantile, rank
and a group statistic come out the same whichever way each area's row names its months."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import ragrules

RULES = ragrules.loads(
    """
[ruleset]
format = 1
id = "months"

[groups.odd]
where = { kind = "odd" }

[scales.halves]
quantiles = { count = 2, group = "odd", statuses = ["top", "bottom"] }

[scales.quartiles]
quantiles = { count = 4, method = "inclusive" }

[benchmarks.mean]
statistic = "mean"
group = "odd"

[benchmarks.median]
statistic = "median"

[[indicator]]
id = "halves"
scale = "halves"

[[indicator]]
id = "quartiles"
scale = "quartiles"
polarity = "lower-is-better"

[[indicator]]
id = "mean"
target = { benchmark = "mean" }
tolerance = { absolute = 1 }

[[indicator]]
id = "median"
target = { benchmark = "median" }
tolerance = { absolute = 1 }
"""
)
WRITTEN = ("2020/21 Q2", "2020 Q3", "Q3 2020", "2020/2021 Q2")


def _rows(values: list[int], written: list[str]) -> list[dict[str, str]]:
    return [
        {
            "indicator": indicator,
            "area": f"A{n}",
            "kind": "odd" if n % 2 else "even",
            "period": period,
            "value": str(value),
        }
        for indicator in ("halves", "quartiles", "mean", "median")
        for n, (value, period) in enumerate(zip(values, written, strict=True))
    ]


def _outcomes(report: ragrules.Report) -> dict[tuple[str, str], tuple[str, str, object]]:
    return {(r.indicator.id, r.area): (r.status, r.reason, r.target) for r in report.results}


@given(data=st.data(), values=st.lists(st.integers(0, 20), min_size=1, max_size=12))
def test_groups_read_a_periods_months_however_each_row_writes_them(
    data: st.DataObject, values: list[int]
) -> None:
    written = [data.draw(st.sampled_from(WRITTEN)) for _ in values]
    if not set(written) & {"2020/21 Q2"}:
        written[0] = "2020/21 Q2"  # the report period as a financial quarter
    mixed = RULES.rate(_rows(values, written), period="2020/21 Q2")
    alike = RULES.rate(_rows(values, ["2020/21 Q2"] * len(values)), period="2020/21 Q2")
    assert _outcomes(mixed) == _outcomes(alike)
    assert not mixed.rejected
