"""Reading an indicator written like one read before (`_alike`), and what that reading
shares with the full one (`_indicators`): the target, the title, where settings were
written, and where dated thresholds are."""

from __future__ import annotations

import functools
from typing import Any

from ragrules.formats.loading._alike import Alike
from ragrules.formats.loading._checks import Checks
from ragrules.formats.loading._origins import SettingOrigins
from ragrules.formats.loading._settings import SettingReaders
from ragrules.model.periods import PeriodError, parse_period
from ragrules.model.rules import Indicator, Margin, Schedule, Target, TargetSpec

_SETTINGS = ("target", "tolerance", "stretch", "polarity", "unit", "scale", "rounding")
# The settings an explanation says were written where (`SettingOrigins`), in this order.
_EXPLAINED = (*_SETTINGS, "overrides", "forecast", "target-carries", "rate", "minimum")


class LikeReader(Checks, SettingReaders):
    """An indicator written like one read before, and the parts of an indicator's reading
    that the full reading (`IndicatorReader`) shares."""

    def like(
        self,
        alike: Alike,
        key: tuple[object, ...],
        body: dict[str, Any],
        path: str,
        indicator_id: str,
        defaults: dict[str, Any],
        before: int,
    ) -> Indicator:
        """An indicator written like one read before (`_alike`): its id, title and target
        read, and its scale checked against its target, as `_read` reads and checks them
        (not when a problem was found in it, counted from `before`)."""
        target = self.indicator_target(body, path, alike.unit) if "target" in body else None
        indicator = Indicator(
            id=indicator_id,
            title=self.title_of(body, path),
            target=target,
            origins=self.settings_origins(body, path, defaults),
            **alike.settings,
        )
        if alike.neutral or self.count != before:
            return indicator
        # Checked once for each sign of an undated point target (and once for no target):
        # any other target, a range, a profile or a benchmark, is checked afresh.
        checked: tuple[object, ...] | None = None
        point: Target | None = None
        if target is None:
            checked = (key, None)
        elif len(target.entries) == 1 and target.entries[0].start is None:
            found = target.entries[0].value
            if isinstance(found, Target) and found.is_point:
                point = found
                checked = (key, (point.value > 0) - (point.value < 0))
        if checked is not None and checked in self.alike_checked:
            return indicator
        self.check_scale_fits(
            indicator,
            path,
            functools.partial(thresholds_entry, body.get("thresholds"), path, indicator, indicator),
        )
        if checked is None or self.count != before:
            return indicator
        tolerance, stretch = _only(indicator.tolerance), _only(indicator.stretch)
        if point is None or self._shape(indicator, point, tolerance, stretch) is not None:
            self.alike_checked.add(checked)  # what decided it is the same for all of them
        return indicator

    def indicator_target(self, body: dict[str, Any], path: str, unit: str) -> Schedule[Any] | None:
        """The indicator's target, dated or not; read once for targets written alike."""
        raw, where, how = body["target"], f"{path}.target", ("target", unit, self.calendar)
        if isinstance(raw, list):
            return self.remembered(
                how,
                raw,
                lambda: self.dated(
                    raw, where, lambda r, p: self.target(r, p, unit), entry_is_table=False
                ),
            )
        return self.remembered(how, raw, lambda: _always(self.target(raw, where, unit)))

    def title_of(self, body: dict[str, Any], path: str) -> str:
        return self.string(body["title"], f"{path}.title") or "" if "title" in body else ""

    def settings_origins(
        self, body: dict[str, Any], path: str, defaults: dict[str, Any]
    ) -> SettingOrigins:
        """Where each of the indicator's settings was written, for explanations."""
        return SettingOrigins(self.origins, path, frozenset(body), defaults, _EXPLAINED)


def thresholds_entry(
    raw: object, path: str, indicator: Indicator, version: Indicator
) -> str | None:
    """Where a version's dated thresholds are written (`indicator[0].thresholds[1]`): the
    entry in force for the periods of that version. None when they are not dated."""
    ranges = indicator.dated_threshold_ranges
    dated: Schedule[Any] | None = ranges if ranges is not None else indicator.dated_thresholds
    if dated is None or not isinstance(raw, list):
        return None
    period = next((p for p in (None, *indicator.changes) if indicator.at(p) is version), None)
    # Before its first `from`, an indicator's thresholds are the first entry's.
    entry = dated.started(period) or dated.entries[0]
    for index, item in enumerate(raw):
        written = item.get("from") if isinstance(item, dict) else None
        if written is None and entry.start is None:
            return f"{path}.thresholds[{index}]"
        if isinstance(written, str) and entry.start is not None:
            try:
                if parse_period(written, entry.start.calendar) == entry.start:
                    return f"{path}.thresholds[{index}]"
            except PeriodError:
                continue
    return None


def _only(schedule: Schedule[Margin] | None) -> Margin | None:
    """An undated margin's value (None for none)."""
    return None if schedule is None else schedule.entries[0].value


def _always(target: TargetSpec | None) -> Schedule[TargetSpec] | None:
    """An undated target's schedule (None for none), as `Getters.dated` makes it."""
    return None if target is None else Schedule.always(target)
