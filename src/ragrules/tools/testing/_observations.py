"""Observations for generated rulesets: values, tokens and unreadable text, as published."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules.engine.ruleset import Ruleset
from ragrules.model.periods import parse_period
from ragrules.model.rules import (
    Indicator,
)
from ragrules.model.units import with_unit
from ragrules.tools.testing._boundaries import values
from ragrules.tools.testing._common import NO_DATA_VALUES, SUPPRESSED_VALUES, UNREADABLE_VALUES
from ragrules.tools.testing._numbers import _decimals, decimals_text


def _has_boundaries(indicator: Indicator) -> bool:
    """True when `values` can aim at the indicator's band starts (a target and margins in
    force without a period)."""
    try:
        values(indicator)
    except ValueError:
        return False
    return True


def _observed_values(indicator: Indicator) -> SearchStrategy[object]:
    """Published values: numbers as text (some with the unit), Python numbers, blanks, tokens."""
    near = values(indicator) if _has_boundaries(indicator) else decimals_text()
    return st.one_of(
        st.sampled_from(NO_DATA_VALUES),
        st.sampled_from(SUPPRESSED_VALUES),
        st.sampled_from(UNREADABLE_VALUES),
        near,
        decimals_text().map(lambda text: with_unit(text, indicator.unit)),
        st.integers(min_value=-1_000_000, max_value=1_000_000),
        _decimals(1_000_000, 6),
        # Floats as a spreadsheet export gives them: two places, shortest repr.
        st.integers(min_value=-100_000_000, max_value=100_000_000).map(lambda n: n / 100),
    )


@st.composite
def _observations(
    draw: st.DrawFn,
    ruleset: Ruleset,
    period: str,
    earlier: tuple[str, ...],
    duplicates: bool,
    strays: bool,
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for indicator in ruleset.indicators:
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            continue  # no row: the indicator is rated no-data
        row: dict[str, object] = {
            "indicator": indicator.id,
            "period": draw(st.sampled_from((period, period, period, ""))),
            "value": draw(_observed_values(indicator)),
        }
        extra = draw(st.integers(min_value=0, max_value=19))
        if extra == 0:
            row["caveat"] = "Data not yet validated"
        elif extra == 1:
            row["commentary"] = "Improved after the service review."
        elif extra == 2:
            row["target"] = draw(decimals_text(min_value=-10_000, max_value=10_000))
        rows.append(row)
        if duplicates and draw(st.integers(min_value=0, max_value=4)) == 0:
            rows.append(
                {
                    "indicator": indicator.id,
                    "period": period,
                    "value": draw(_observed_values(indicator)),
                }
            )
    if not any(row["period"] for row in rows):
        # A blank period means the report's period, which is the latest in the data; date
        # the rows so that earlier rows mixed in below cannot become the report's period.
        for row in rows:
            row["period"] = period
    if strays and ruleset.indicators:
        known = {indicator.id for indicator in ruleset.indicators}
        unknown = "not-in-this-ruleset"
        while unknown in known:
            unknown += "-x"
        ids = st.sampled_from([indicator.id for indicator in ruleset.indicators])
        # Earlier periods (one row per indicator and period): history, read by travel.
        for indicator_id, when in draw(
            st.lists(st.tuples(ids, st.sampled_from(earlier)), max_size=6, unique=True)
        ):
            indicator = ruleset.indicator(indicator_id)
            rows.append(
                {
                    "indicator": indicator_id,
                    "period": when,
                    "value": draw(st.one_of(values(indicator), st.sampled_from(NO_DATA_VALUES)))
                    if _has_boundaries(indicator)
                    else draw(decimals_text()),
                }
            )
        # Rows that cannot be placed: rejected with a reason.
        stray_rows: SearchStrategy[dict[str, object]] = st.one_of(
            st.fixed_dictionaries(
                {"indicator": st.just(unknown), "period": st.just(period), "value": st.just("1")}
            ),
            st.fixed_dictionaries({"indicator": st.just(""), "value": st.just("1")}),
            st.fixed_dictionaries(
                {"indicator": ids, "period": st.just("Q5 2020"), "value": st.just("1")}
            ),
        )
        rows.extend(draw(st.lists(stray_rows, max_size=3)))
    return draw(st.permutations(rows))


def observations(
    ruleset: Ruleset,
    period: str = "2020/21 Q2",
    *,
    duplicates: bool = False,
    strays: bool = False,
) -> SearchStrategy[list[dict[str, object]]]:
    """Lists of published rows (mappings) for the ruleset's indicators, in any order.

    Most indicators get one row for `period` (some with the period left blank, which means
    the report's period); some get none (and are rated no-data). Values are blanks, None,
    `N/A` and the like, suppressed values (`<5`, `c`), unreadable text, numbers as text (some
    with the indicator's unit, many near its band boundaries), and Python ints, floats and
    Decimals. A few rows carry a caveat, a commentary or a target.

    With `duplicates`, some indicators get a second row for the period (the library rejects
    it). With `strays`, rows for earlier periods (the previous period, the one before, and
    the same period last year: history, which direction of travel reads), and rows for an
    unknown indicator, with no indicator, or with an unreadable period (all rejected) are
    mixed in.
    """
    when = parse_period(period, ruleset.calendar)
    earlier = tuple(
        str(before)
        for before in (when.previous(), when.same_period_last_year(), when.previous().previous())
    )
    return _observations(ruleset, period, earlier, duplicates, strays)
