"""Reading `[[indicator]]`: each indicator with its defaults, dated settings and rounding."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ragrules.formats.loading._alike import alike_key, shared
from ragrules.formats.loading._keys import (
    _INDICATOR_KEYS,
)
from ragrules.formats.loading._like import LikeReader, thresholds_entry
from ragrules.model.periods import Period
from ragrules.model.rules import (
    NO_CHANGE,
    Indicator,
    Margin,
    Polarity,
    ProfiledTarget,
    Scale,
    Schedule,
    Target,
)
from ragrules.model.units import UnitError, canonical_unit


class IndicatorReader(LikeReader):
    """`[[indicator]]`: each indicator with its defaults, dated settings and rounding."""

    def indicator(
        self,
        raw: object,
        path: str,
        defaults: dict[str, Any],
        scales: Mapping[str, Scale],
        default_scale: object,
        unchanged_within: tuple[object, str] | None,
    ) -> Indicator | None:
        problems_before = self.count
        body = self.table(raw, path, _INDICATOR_KEYS)
        if not body and not isinstance(raw, dict):
            return None
        if "id" not in body:
            self.problem(path, "an indicator needs an id", 'add id = "..."')
            return None
        indicator_id = self.string(body["id"], f"{path}.id")
        if not indicator_id:
            if indicator_id == "":
                self.problem(f"{path}.id", "the indicator id is empty")
            return None
        key = alike_key(body, defaults)
        alike = self.alike.get(key) if key is not None else None
        if alike is not None and key is not None:
            return self.like(alike, key, body, path, indicator_id, defaults, problems_before)
        indicator = self._read(
            body,
            path,
            indicator_id,
            defaults,
            (scales, default_scale, unchanged_within),
            problems_before,
        )
        if key is not None and indicator is not None and self.count == problems_before:
            found = shared(indicator, body, defaults)
            if found is not None:
                self.alike[key] = found
        return indicator

    def _read(
        self,
        body: dict[str, Any],
        path: str,
        indicator_id: str,
        defaults: dict[str, Any],
        ruleset: tuple[Mapping[str, Scale], object, tuple[object, str] | None],
        problems_before: int,
    ) -> Indicator | None:
        """An indicator read in full: every setting, then its scale checked (not when a
        problem was found in it, counted from `problems_before`). `ruleset` is what every
        indicator reads alike: the scales, the default scale and `unchanged-within`."""
        scales, default_scale, unchanged_within = ruleset

        def setting(key: str) -> tuple[object, str] | None:
            if key in body:
                return body[key], f"{path}.{key}"
            if key in defaults:
                return defaults[key], f"defaults.{key}"
            return None

        unit = "number"
        if (found := setting("unit")) is not None:
            text = self.string(*found)
            if text is not None:
                try:
                    unit = canonical_unit(text)
                except UnitError as exc:
                    self.problem(found[1], str(exc).split(";")[0], str(exc).split("; ", 1)[-1])
                    return None
        polarity = Polarity.HIGHER
        dated_polarity: Schedule[Polarity] | None = None
        if (found := setting("polarity")) is not None:
            if isinstance(found[0], list):  # [{ from = PERIOD, value = "neutral" }, ...]
                dated_polarity = self.dated_setting(
                    *found, lambda v, p: self.choice(v, p, Polarity)
                )
                polarity = dated_polarity.entries[0].value if dated_polarity else polarity
            else:
                polarity = self.choice(found[0], found[1], Polarity) or polarity
        polarities = set(dated_polarity.values()) if dated_polarity else {polarity}
        neutral = polarities == {Polarity.NEUTRAL}  # never judged, whatever the period

        dated_scale: Schedule[Scale] | None = None
        found = setting("scale")
        if found is not None and isinstance(found[0], list):
            dated_scale = self.dated_setting(*found, lambda v, p: self.scale_named(v, p, scales))
            if dated_scale is None:
                return None
            scale: Scale | None = dated_scale.entries[0].value
        else:
            name, where = found if found is not None else (default_scale, "ruleset.scale")
            scale = self.scale_named(name, where, scales)
        if scale is None:
            return None

        def margin_schedule(key: str) -> Schedule[Margin] | None:
            found = setting(key)
            if found is None:
                return None
            if neutral:
                if key in body:
                    self.problem(
                        found[1],
                        f"a neutral indicator cannot have a {key}",
                        "neutral indicators are never judged; remove it",
                    )
                return None
            sided = polarity is Polarity.IN_RANGE
            return self.remembered(
                ("margin", unit, sided),
                found[0],
                lambda: self.dated(
                    found[0],
                    found[1],
                    lambda r, p: self.margin(r, p, unit, sided=sided),
                    entry_is_table=True,
                ),
            )

        tolerance = margin_schedule("tolerance")
        stretch = margin_schedule("stretch")
        target = None
        if "target" in body:
            target = self.indicator_target(body, path, unit)
            if (
                target is not None
                and polarity is Polarity.IN_RANGE
                and any(isinstance(t, ProfiledTarget) for t in target.values())
            ):
                self.problem(
                    f"{path}.target",
                    "a profiled target shares out a total; an in-range target is a range",
                    "give the range for each period with from",
                )
        if (found := setting("target-carries")) is not None:
            if not isinstance(found[0], bool):
                self.problem(found[1], "expected true or false", "target-carries = false")
            elif not found[0] and target is not None:
                target = attrs.evolve(target, within_year=self.calendar)
        no_change = NO_CHANGE
        margin_setting = (
            (body["unchanged-within"], f"{path}.unchanged-within")
            if "unchanged-within" in body
            else unchanged_within
        )
        if margin_setting is not None:
            raw_margin, margin_path = margin_setting
            no_change = self.margin(raw_margin, margin_path, unit) or no_change
        thresholds: list[tuple[str, Decimal]] = []
        ranges: list[tuple[str, Target]] = []
        dated_thresholds = dated_ranges = None
        if isinstance(body.get("thresholds"), list):  # [{ from = PERIOD, floor = "65%" }, ...]
            where = f"{path}.thresholds"
            if not body["thresholds"]:
                self.problem(where, "an empty list of dated entries", "give the thresholds")
            else:  # an in-range indicator's are named ranges, others' named values
                in_range = polarity is Polarity.IN_RANGE
                read = self.threshold_ranges if in_range else self.threshold_values
                dated = self.dated(
                    body["thresholds"], where, lambda r, p: read(r, p, unit), entry_is_table=True
                )
                if dated is not None and in_range:
                    dated_ranges, ranges = dated, list(dated.entries[0].value)
                elif dated is not None:
                    dated_thresholds, thresholds = dated, list(dated.entries[0].value)
        elif "thresholds" in body:
            raw_thresholds = body["thresholds"]
            if polarity is Polarity.IN_RANGE:
                ranges = list(self.threshold_ranges(raw_thresholds, f"{path}.thresholds", unit))
            else:
                thresholds = list(
                    self.threshold_values(raw_thresholds, f"{path}.thresholds", unit) or ()
                )
        rounding = None
        if (found := setting("rounding")) is not None:
            rounding = self.rounding(*found)
        rate = self.rate_rule(*found) if (found := setting("rate")) is not None else None
        minimum = None
        if (found := setting("minimum")) is not None:
            minimum = self.minimum(*found, rate is not None, unit)
        breaks: tuple[Period, ...] = ()
        if "series-breaks" in body:
            breaks = self.series_breaks(body["series-breaks"], f"{path}.series-breaks")
        overrides, forecast = False, None
        for key in ("overrides", "forecast"):
            found = setting(key)
            if found is None:
                continue
            if neutral:
                if key in body:
                    self.problem(
                        found[1],
                        f"a neutral indicator cannot have {key}",
                        "neutral indicators are never judged; remove it",
                    )
            elif key == "overrides":
                if isinstance(found[0], bool):
                    overrides = found[0]
                else:
                    self.problem(found[1], "expected true or false", "overrides = true")
            else:
                forecast = self.forecast_rule(*found, scales, scale)

        indicator = Indicator(
            id=indicator_id,
            title=self.title_of(body, path),
            unit=unit,
            polarity=polarity,
            target=target,
            tolerance=tolerance,
            stretch=stretch,
            thresholds=tuple(thresholds),
            threshold_ranges=tuple(ranges),
            rounding=rounding,
            scale=scale,
            unchanged_within=no_change,
            overrides=overrides,
            forecast=forecast,
            rate=rate,
            minimum=minimum,
            series_breaks=breaks,
            dated_polarity=dated_polarity,
            dated_scale=dated_scale,
            dated_thresholds=dated_thresholds,
            dated_threshold_ranges=dated_ranges,
            origins=self.settings_origins(body, path, defaults),
        )
        if rate is not None and rounding is None:
            self.problem(
                f"{path}.rate",
                "a rate that does not divide exactly is rated and shown to many digits",
                "round it as it is published: rounding = { places = 1 }",
                warning=True,
            )
        if not neutral and self.count == problems_before:
            for version in indicator.versions:  # each period's settings, where they change
                if version.polarity is not Polarity.NEUTRAL:
                    self.check_scale_fits(
                        version,
                        path,
                        functools.partial(
                            thresholds_entry, body.get("thresholds"), path, indicator, version
                        ),
                    )
            if forecast is not None and forecast.scale is not scale:
                forecasting = attrs.evolve(indicator, scale=forecast.scale)
                self.check_scale_fits(forecasting, f"{path}.forecast")
        return indicator

    def series_breaks(self, raw: object, path: str) -> tuple[Period, ...]:
        """The periods from which an indicator's series starts again, earliest first."""
        if not isinstance(raw, list) or not raw:
            words = "an empty list" if raw == [] else "expected a list of periods"
            self.problem(
                path,
                f"{words}: give the periods the series breaks at, or leave series-breaks out",
                'series-breaks = ["2021/22 Q1"]',
            )
            return ()
        breaks = set()
        for index, item in enumerate(raw):
            period = self.start(
                item,
                f"{path}[{index}]",
                "a series breaks",
                "give the first month, quarter or year on the new definition",
            )
            if period is not None:
                breaks.add(period)
        return tuple(sorted(breaks, key=lambda p: (p.start, str(p))))
