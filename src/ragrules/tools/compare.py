"""Where two rulesets differ: in their rules, and in how they rate the same observations.

This is how two councils see where their classifications diverge, and why: "tolerance: 5%
of the target (A) vs 5 percentage points (B)", then every observation rated differently with
both derivations, and every roll-up whose status differs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import attrs

from ragrules.engine._canonical_numbers import quantity_text
from ragrules.engine.canonical import point_data, target_data, to_document
from ragrules.engine.report import Rejection, Report, Result
from ragrules.engine.rollups import RollupResult
from ragrules.engine.ruleset import Ruleset
from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.rules import Basis, Indicator, Margin, Schedule, TargetSpec
from ragrules.model.units import amount_text, label, with_unit
from ragrules.reports._render import area_name

_T = TypeVar("_T")


@attrs.frozen(kw_only=True)
class RuleDifference:
    """One setting that differs between ruleset A and ruleset B."""

    indicator: str | None  # None for ruleset-wide settings
    setting: str
    a: str
    b: str
    # Within a ruleset-wide setting of entries (`rollup`): the entry and its key that
    # differ, `w: rule`, or `w: defined` for an entry one ruleset has ('' for the rest).
    entry: str = ""

    def __str__(self) -> str:
        where = f"{self.indicator}: " if self.indicator else ""
        setting = f"{self.setting} {self.entry}" if self.entry else self.setting
        return f"{where}{setting}: {self.a} (A) vs {self.b} (B)"


@attrs.frozen(kw_only=True)
class _Sides(Generic[_T]):
    """What ruleset A and ruleset B give for one thing rated: a side without one is None, and
    `missing_a` (or `missing_b`) says why."""

    a: _T | None
    b: _T | None
    missing_a: str = ""
    missing_b: str = ""

    @property
    def result(self) -> _T:
        """A's result, or B's where A has none."""
        found = self.a if self.a is not None else self.b
        assert found is not None, "a difference has a result on one side at least"
        return found


@attrs.frozen(kw_only=True)
class RatingDifference(_Sides[Result]):
    """One series (an indicator, in an area and breakdown) that the two rulesets rate
    differently for the same data: by status or arrows, or rated by one of them only. The
    side without a result is None, and `missing_a` (or `missing_b`) says why: `rejected, row
    5: REASON` (the ruleset rejected the row the other rated), `not defined` or `no result`."""

    @property
    def series(self) -> str:
        """`93356 (Hartlepool E06000001; Persons, All ages)`, as a report names a series;
        the indicator's id alone for a single council's data."""
        return series_name(self.result)

    def __str__(self) -> str:
        a, b = self.a, self.b
        moves = ""
        if a is not None and b is not None and _arrows_by_comparison(a) != _arrows_by_comparison(b):
            moves = f"; arrows {_arrow_text(a)} (A) vs {_arrow_text(b)} (B)"
        side_a = self.missing_a if a is None else _status(a)
        side_b = self.missing_b if b is None else _status(b)
        return f"{self.series}: {side_a} (A) vs {side_b} (B){moves}"


def _status(result: Result) -> str:
    """The status a report shows, marked when it is an officer's override."""
    return f"{result.reported_status} (override)" if result.overridden else result.status


@attrs.frozen(kw_only=True)
class RollupDifference(_Sides[RollupResult]):
    """One roll-up, in an area and breakdown, that the two reports rate differently: by
    status, or rated by one of them only (the other side None, and `missing_a` or
    `missing_b` saying why: `not defined` or `no result`)."""

    @property
    def series(self) -> str:
        """`w (E1; Male)`: the roll-up's id, and its area and breakdown values."""
        found = self.result
        breakdown = ", ".join(value for _, value in found.breakdown if value)
        series = "; ".join(part for part in (found.area, breakdown) if part)
        return f"{found.rollup.id} ({series})" if series else found.rollup.id

    def __str__(self) -> str:
        side_a = self.missing_a if self.a is None else self.a.status
        side_b = self.missing_b if self.b is None else self.b.status
        return f"{self.series}: {side_a} (A) vs {side_b} (B)"


def series_name(result: Result) -> str:
    """The indicator's id, and the area and breakdown values of its series as a report
    prints them: `93356 (Hartlepool E06000001; Persons, All ages)`."""
    breakdown = ", ".join(value for _, value in result.breakdown if value)
    series = "; ".join(part for part in (area_name(result), breakdown) if part)
    return f"{result.indicator.id} ({series})" if series else result.indicator.id


def _arrows(result: Result) -> list[str]:
    return [move.arrow for move in result.travel]


def _arrows_by_comparison(result: Result) -> dict[str, str]:
    """Each comparison's arrow, by its name: two rulesets listing the same comparisons in
    another order draw the same arrows."""
    return {move.comparison.name: move.arrow for move in result.travel}


def _arrow_text(result: Result) -> str:
    return " ".join(_arrows(result)) or "none"


_SETTINGS = (
    "unit",
    "polarity",
    "scale",
    "target",
    "tolerance",
    "stretch",
    "thresholds",
    "rounding",
    "unchanged-within",
    "overrides",
    "forecast",
    "target-carries",
    "rate",
    "minimum",
    "series-breaks",
)
# The sections of the canonical form that change what a rating or an arrow reads.
_SECTIONS = (
    "data",
    "scales",
    "travel",
    "benchmarks",
    "groups",
    "exceptions",
    "rollup",
    "statuses",
    "summary",
)


def rule_differences(a: Ruleset, b: Ruleset) -> list[RuleDifference]:
    """Every setting that differs, per indicator in A's order then B's, in plain words."""
    if not (isinstance(a, Ruleset) and isinstance(b, Ruleset)):
        raise TypeError(
            "rule_differences compares two rulesets; rating_differences compares two reports"
        )
    found: list[RuleDifference] = []
    document_a, document_b = to_document(a), to_document(b)
    if a.calendar is not b.calendar:  # what a split year such as 2021/22 is
        found.append(
            RuleDifference(
                indicator=None, setting="calendar", a=a.calendar.value, b=b.calendar.value
            )
        )
    for section in _SECTIONS:
        if section == "rollup":
            found += _rollup_differences(document_a.get(section), document_b.get(section))
        else:
            found += _table_differences(section, document_a.get(section), document_b.get(section))
    indicators_b = {indicator.id: indicator for indicator in b.indicators}
    for indicator in a.indicators:
        other = indicators_b.pop(indicator.id, None)
        if other is None:
            found.append(RuleDifference(indicator=indicator.id, setting="defined", a="yes", b="no"))
            continue
        for setting in _SETTINGS:
            text_a, text_b = _describe(indicator, setting), _describe(other, setting)
            if text_a != text_b:
                found.append(
                    RuleDifference(indicator=indicator.id, setting=setting, a=text_a, b=text_b)
                )
    found += [
        RuleDifference(indicator=identifier, setting="defined", a="no", b="yes")
        for identifier in indicators_b
    ]
    return found


# Tables whose entries' order a report shows (a result's travel is in this order).
_ORDERED: set[tuple[str, ...]] = {("travel", "comparisons")}


def _table_differences(
    section: str, a: object, b: object, keys: tuple[str, ...] = ()
) -> list[RuleDifference]:
    """Each key of a section that differs, named by its path within the section
    (`travel comparisons.short.same-target`), in A's order then B's: a table is compared
    key by key, anything else whole; a key one side leaves out is `not set` there (its
    default). The same entries in another order, where the order shows, is `KEY: order`."""
    if a is None and isinstance(b, dict):
        a = {}
    if b is None and isinstance(a, dict):
        b = {}
    if not (isinstance(a, dict) and isinstance(b, dict)):
        if a == b:
            return []
        entry = ".".join(keys)
        return [RuleDifference(indicator=None, setting=section, a=_set(a), b=_set(b), entry=entry)]
    found: list[RuleDifference] = []
    for key in dict.fromkeys([*a, *b]):
        found += _table_differences(section, a.get(key), b.get(key), (*keys, key))
    if (section, *keys) in _ORDERED:
        found += _order_difference(section, f"{'.'.join(keys)}: order", a, b)
    return found


def _set(value: object) -> str:
    return "not set" if value is None else _words(value)


def _rollup_differences(a: object, b: object) -> list[RuleDifference]:
    """Each roll-up's keys that differ, named `rollup ID: KEY`, in A's order then B's; a
    roll-up one ruleset has is `rollup ID: defined`; the same roll-ups in another order,
    `rollup: order` (a roll-up's members that are roll-ups come first either way)."""
    entries_a, entries_b = _entries(a), _entries(b)
    found: list[RuleDifference] = []
    for key, entry in entries_a.items():
        other = entries_b.get(key)
        if other is None:
            found.append(
                RuleDifference(
                    indicator=None, setting="rollup", a="yes", b="no", entry=f"{key}: defined"
                )
            )
            continue
        for name in dict.fromkeys([*entry, *other]):
            if entry.get(name) != other.get(name):
                found.append(
                    RuleDifference(
                        indicator=None,
                        setting="rollup",
                        a=_words(entry.get(name)),
                        b=_words(other.get(name)),
                        entry=f"{key}: {name}",
                    )
                )
    found += [
        RuleDifference(indicator=None, setting="rollup", a="no", b="yes", entry=f"{key}: defined")
        for key in entries_b
        if key not in entries_a
    ]
    return found + _order_difference("rollup", "order", entries_a, entries_b)


def _order_difference(
    setting: str, entry: str, a: Iterable[str], b: Iterable[str]
) -> list[RuleDifference]:
    """The entries both rulesets have, when A lists them in another order than B."""
    keys_a, keys_b = list(a), list(b)
    common_a = [key for key in keys_a if key in keys_b]
    common_b = [key for key in keys_b if key in keys_a]
    if common_a == common_b:
        return []
    return [
        RuleDifference(
            indicator=None,
            setting=setting,
            a=", ".join(common_a),
            b=", ".join(common_b),
            entry=entry,
        )
    ]


def _entries(section: object) -> dict[str, dict[str, Any]]:
    """A canonical section of `[[...]]` tables by id."""
    if not isinstance(section, list):
        return {}
    return {str(item.get("id")): item for item in section if isinstance(item, dict)}


def rating_differences(a: Report, b: Report) -> list[RatingDifference]:
    """Series whose status (computed, or as reported after an override) or arrows differ
    for the same data, and series one report rates and the other does not (its row
    rejected, or its indicator not defined): A's in A's order, then those of B alone."""
    if not (isinstance(a, Report) and isinstance(b, Report)):
        raise TypeError(
            "rating_differences compares two reports (as Ruleset.rate gives them); "
            "rule_differences compares two rulesets"
        )
    results_b = {_series(result): result for result in b.results}
    missing_a, missing_b = _Missing.of(a), _Missing.of(b)
    found: list[RatingDifference] = []
    for result in a.results:
        other = results_b.pop(_series(result), None)
        if other is None:
            found.append(RatingDifference(a=result, b=None, missing_b=missing_b.why(result)))
        elif (
            result.status != other.status
            or result.reported_status != other.reported_status
            or _arrows_by_comparison(result) != _arrows_by_comparison(other)
        ):
            found.append(RatingDifference(a=result, b=other))
    found += [
        RatingDifference(a=None, b=result, missing_a=missing_a.why(result))
        for result in results_b.values()
    ]
    return found


def rollup_differences(a: Report, b: Report) -> list[RollupDifference]:
    """Roll-ups, per area and breakdown, whose status differs for the same data, and those
    one report has and the other does not (the roll-up not defined there): A's in A's
    order, then those of B alone."""
    results_b = {_rollup_key(rolled): rolled for rolled in b.rollups}
    found: list[RollupDifference] = []
    for rolled in a.rollups:
        other = results_b.pop(_rollup_key(rolled), None)
        if other is None:
            found.append(RollupDifference(a=rolled, b=None, missing_b=_why(b, rolled)))
        elif rolled.status != other.status:
            found.append(RollupDifference(a=rolled, b=other))
    found += [
        RollupDifference(a=None, b=rolled, missing_a=_why(a, rolled))
        for rolled in results_b.values()
    ]
    return found


def _rollup_key(rolled: RollupResult) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    return (rolled.rollup.id, rolled.area, rolled.breakdown)


def _why(report: Report, rolled: RollupResult) -> str:
    return "no result" if report.ruleset.rollup(rolled.rollup.id) else "not defined"


@attrs.frozen
class _Missing:
    """What one report rejected and defines: why it has no result for a series."""

    rejected: dict[int, Rejection]
    defined: frozenset[str]

    @classmethod
    def of(cls, report: Report) -> _Missing:
        return cls(
            {r.row: r for r in report.rejected if r.row is not None},
            frozenset(indicator.id for indicator in report.ruleset.indicators),
        )

    def why(self, rated: Result) -> str:
        """Why the report has no result for the series the other report rated."""
        rejection = None if rated.row is None else self.rejected.get(rated.row)
        if rejection is not None:
            return f"rejected, row {rejection.row}: {rejection.reason}"
        return "no result" if rated.indicator.id in self.defined else "not defined"


def _series(result: Result) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    return (result.indicator.id, result.area, result.breakdown)


def _describe(indicator: Indicator, setting: str) -> str:
    if setting == "unit":
        return label(indicator.unit) or indicator.unit
    if setting == "polarity":
        if indicator.dated_polarity is not None:
            return _schedule(indicator.dated_polarity, lambda p: p.value)
        return indicator.polarity.value
    if setting == "scale" and indicator.dated_scale is not None:
        return _schedule(indicator.dated_scale, lambda scale: scale.name)
    if setting == "thresholds" and indicator.dated_thresholds is not None:
        return _schedule(
            indicator.dated_thresholds,
            lambda named: ", ".join(f"{n} {format_decimal(v)}" for n, v in named) or "none",
        )
    if setting == "thresholds" and indicator.dated_threshold_ranges is not None:
        return _schedule(
            indicator.dated_threshold_ranges,
            lambda named: ", ".join(f"{n} {span}" for n, span in named) or "none",
        )
    if setting == "scale":
        bands = ", ".join(
            f"{band.status}" + (f" from {_words(point_data(band.start))}" if band.start else "")
            for band in indicator.scale.bands
        )
        return f"{indicator.scale.name} ({bands})"
    if setting == "target":
        return _schedule(indicator.target, lambda target: _words(_target(target, indicator)))
    if setting in ("tolerance", "stretch"):
        schedule: Schedule[Margin] | None = getattr(indicator, setting)
        return _schedule(schedule, lambda margin: _margin(margin, indicator.unit))
    if setting == "thresholds":
        return (
            ", ".join(
                [
                    f"{name} {_in_unit(quantity_text(value, indicator.unit), indicator.unit)}"
                    for name, value in indicator.thresholds
                ]
                + [
                    f"{name} {with_unit(str(span), indicator.unit)}"
                    for name, span in indicator.threshold_ranges
                ]
            )
            or "none"
        )
    if setting == "rounding":
        rounding = indicator.rounding
        return "none" if rounding is None else f"{rounding.places} places, {rounding.mode.value}"
    if setting == "rate":
        rate = indicator.rate
        return "none" if rate is None else f"numerator / denominator x {format_decimal(rate.per)}"
    if setting == "minimum":
        least = indicator.minimum
        if least is None:
            return "none"
        found = [
            f"{key} {format_decimal(value)}"
            for key, value in (
                ("numerator", least.numerator),
                ("denominator", least.denominator),
                ("value", least.value),
            )
            if value is not None
        ]
        return ", ".join(found)
    if setting == "target-carries":
        carries = indicator.target is None or indicator.target.within_year is None
        return "into later years" if carries else "within its year only"
    if setting == "overrides":
        return "allowed" if indicator.overrides else "not allowed"
    if setting == "forecast":
        forecast = indicator.forecast
        return "not rated" if forecast is None else f"rated on {forecast.scale.name}"
    if setting == "series-breaks":
        return ", ".join(map(str, indicator.series_breaks)) or "none"
    return _margin(indicator.unchanged_within, indicator.unit)


def _target(target: TargetSpec, indicator: Indicator) -> object:
    written = target_data(target, indicator.unit)
    return _in_unit(written, indicator.unit) if isinstance(written, str) else written


def _in_unit(text: str, unit: str, amount: bool = False) -> str:
    """An amount as the canonical form writes it (`1.5`; `10 day` where the indicator's
    unit cannot state it exactly, not 240 digits of weeks), printed as a report prints it;
    `amount` for a difference (`5 percentage points`)."""
    number, _, written = text.partition(" ")
    return (amount_text if amount else with_unit)(number, written or unit)


def _schedule(schedule: Schedule[Any] | None, describe: Any) -> str:
    if schedule is None:
        return "none"
    parts = []
    for entry in schedule.entries:
        text = describe(entry.value)
        parts.append(f"{text} from {entry.start}" if entry.start else text)
    return "; ".join(parts)


def _margin(margin: Margin, unit: str) -> str:
    if margin.above is not None:
        below = _margin(attrs.evolve(margin, above=None), unit)
        return f"{below} below, {_margin(margin.above, unit)} above"
    if margin.basis is Basis.RELATIVE:
        return f"{format_decimal(margin.amount.scaleb(2, EXACT))}% of the target"
    return _in_unit(quantity_text(margin.amount, unit), unit, amount=True)


def _words(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_words(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_words(v) for v in value) + "]"
    if isinstance(value, bool):  # as TOML writes it
        return "true" if value else "false"
    return str(value)
