"""Observations for generated rulesets: values, tokens and unreadable text, as published."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ragrules.engine.ruleset import Ruleset
from ragrules.model.periods import Period, PeriodError, parse_period
from ragrules.model.rules import (
    Indicator,
)
from ragrules.model.units import with_unit
from ragrules.tools.testing._boundaries import values
from ragrules.tools.testing._common import (
    NO_DATA_VALUES,
    SUPPRESSED_VALUES,
    UNREADABLE_VALUES,
    exact_strategy,
    period_text,
)
from ragrules.tools.testing._numbers import _decimals, decimals_text


class _Near(dict[tuple[str, str], "SearchStrategy[str] | None"]):
    """Numbers near an indicator's band starts in a period, or None where `values` has none
    (no fixed target then, neutral, rated from counts), by (indicator id, period text)."""

    def __repr__(self) -> str:  # shown in Hypothesis's repr of the strategy: keep it short
        return f"<values near the bands for {len(self)} indicators and periods>"


def _near(indicator: Indicator, period: Period) -> SearchStrategy[str] | None:
    """`values` for the indicator as in force in `period`, or None where it has none."""
    try:
        return values(indicator, period=period)
    except ValueError:
        return None


def _observed_values(
    indicator: Indicator, near: SearchStrategy[str] | None
) -> SearchStrategy[object]:
    """Published values: numbers as text (some with the unit), Python numbers, blanks, tokens."""
    near = decimals_text() if near is None else near
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
    near: _Near,
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
            "value": draw(_observed_values(indicator, near[indicator.id, period])),
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
                    "value": draw(_observed_values(indicator, near[indicator.id, period])),
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
            then = near[indicator_id, when]
            rows.append(
                {
                    "indicator": indicator_id,
                    "period": when,
                    "value": draw(st.one_of(then, st.sampled_from(NO_DATA_VALUES)))
                    if then is not None
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


@exact_strategy
def observations(
    ruleset: Ruleset,
    period: str | Period = "2020/21 Q2",
    *,
    duplicates: bool = False,
    strays: bool = False,
) -> SearchStrategy[list[dict[str, object]]]:
    """Lists of published rows (mappings) for the ruleset's indicators, in any order.

    Most indicators get one row for `period` (some with the period left blank, which means
    the report's period); some get none (and are rated no-data). Values are blanks, None,
    `N/A` and the like, suppressed values (`<5`, `c`), unreadable text, numbers as text (some
    with the indicator's unit, many near its band boundaries), and Python ints, floats and
    Decimals. A few rows carry a caveat, a commentary or a target. `period` is text or a
    `Period`; values aim at each indicator's bands as in force for the row's period.

    With `duplicates`, some indicators get a second row for the period (the library rejects
    it). With `strays`, rows for earlier periods (the previous period, the one before, and
    the same period last year: history, which direction of travel reads), and rows for an
    unknown indicator, with no indicator, or with an unreadable period (all rejected) are
    mixed in.
    """
    text = period_text(ruleset.calendar, period)
    if not text:
        raise ValueError("period: observations needs the report's period, e.g. '2020/21 Q2'")
    try:
        when = parse_period(text, ruleset.calendar)
    except PeriodError as exc:
        raise ValueError(f"period: {exc}") from None
    befores = (when.previous(), when.same_period_last_year(), when.previous().previous())
    earlier = tuple(str(before) for before in befores)
    near = _Near(
        ((indicator.id, written), _near(indicator, moment))
        for indicator in ruleset.indicators
        for written, moment in ((text, when), *zip(earlier, befores, strict=True))
    )
    return _observations(ruleset, text, earlier, near, duplicates, strays)
