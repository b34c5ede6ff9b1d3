"""Reading `[[indicator]]`: each indicator with its defaults, dated settings and rounding."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ragrules.formats.loading._amounts import Amounts
from ragrules.formats.loading._checks import Checks
from ragrules.formats.loading._getters import _kind
from ragrules.formats.loading._keys import (
    _FORECAST_KEYS,
    _INDICATOR_KEYS,
    MAX_ROUNDING_PLACES,
)
from ragrules.formats.loading._origins import SettingOrigins
from ragrules.model.errors import close_matches
from ragrules.model.numbers import (
    RoundingMode,
)
from ragrules.model.rules import (
    NO_CHANGE,
    ForecastRule,
    Indicator,
    Margin,
    Polarity,
    ProfiledTarget,
    Rounding,
    Scale,
    Schedule,
    Target,
)
from ragrules.model.units import UnitError, canonical_unit

_SETTINGS = ("target", "tolerance", "stretch", "polarity", "unit", "scale", "rounding")


class IndicatorReader(Checks, Amounts):
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
        if (found := setting("polarity")) is not None:
            polarity = self.choice(found[0], found[1], Polarity) or polarity
        neutral = polarity is Polarity.NEUTRAL

        scale_name: object = default_scale
        scale_path = "ruleset.scale"
        if (found := setting("scale")) is not None:
            scale_name, scale_path = found
        scale = scales.get(scale_name) if isinstance(scale_name, str) else None
        if scale is None:
            close = close_matches(str(scale_name), list(scales))
            self.problem(
                scale_path,
                f"unknown scale {scale_name!r}",
                f"did you mean {close[0]!r}?"
                if close
                else f"define [scales.{scale_name}] or use one of {', '.join(scales)}",
            )
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
            return self.dated(
                found[0],
                found[1],
                lambda r, p: self.margin(r, p, unit, sided=sided),
                entry_is_table=True,
            )

        tolerance = margin_schedule("tolerance")
        stretch = margin_schedule("stretch")
        target = None
        if "target" in body:
            target = self.dated(
                body["target"],
                f"{path}.target",
                lambda r, p: self.target(r, p, unit),
                entry_is_table=False,
            )
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
        if "thresholds" in body:
            raw_thresholds = body["thresholds"]
            names = tuple(raw_thresholds) if isinstance(raw_thresholds, dict) else ()
            for name, value in self.table(raw_thresholds, f"{path}.thresholds", names).items():
                where = f"{path}.thresholds.{name}"
                if polarity is Polarity.IN_RANGE:
                    span = self.threshold_range(value, where, unit)
                    if span is not None:
                        ranges.append((name, span))
                    continue
                number = self.quantity(value, where, unit)
                if number is not None:
                    thresholds.append((name, number))
        rounding = None
        if (found := setting("rounding")) is not None:
            rounding = self.rounding(*found)
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
            title=self.string(body["title"], f"{path}.title") or "" if "title" in body else "",
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
            origins=self.settings_origins(body, path, defaults),
        )
        if not neutral and self.count == problems_before:
            self.check_scale_fits(indicator, path)
            if forecast is not None and forecast.scale is not scale:
                forecasting = attrs.evolve(indicator, scale=forecast.scale)
                self.check_scale_fits(forecasting, f"{path}.forecast")
        return indicator

    def threshold_range(self, raw: object, path: str, unit: str) -> Target | None:
        """An in-range indicator's threshold: a range `{ lower = 8, upper = 22 }`."""
        if not isinstance(raw, dict) or "benchmark" in raw:
            self.problem(
                path,
                "an in-range indicator's threshold is a range",
                "write { lower = 8, upper = 22 }: a band from it takes the values within it",
            )
            return None
        span = self.target(raw, path, unit)
        return span if isinstance(span, Target) else None

    def forecast_rule(
        self, raw: object, path: str, scales: Mapping[str, Scale], scale: Scale
    ) -> ForecastRule | None:
        """`forecast = { scale = "NAME" }`: how the forecast is rated (the indicator's own
        scale when none is named)."""
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}", "e.g. forecast = {}")
            return None
        body = self.table(raw, path, _FORECAST_KEYS)
        if "scale" in body:
            name = self.string(body["scale"], f"{path}.scale")
            if name is None:
                return None
            found = scales.get(name)
            if found is None:
                close = close_matches(name, list(scales))
                self.problem(
                    f"{path}.scale",
                    f"unknown scale {name!r}",
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"define [scales.{name}] or use one of {', '.join(scales)}",
                )
                return None
            scale = found
        if scale.significance is not None or scale.quantiles is not None:
            self.problem(
                path,
                f"a forecast is rated against the year-end target; scale {scale.name!r} "
                "compares with a benchmark or a group",
                'name a scale of bands: forecast = { scale = "rag" }',
            )
            return None
        return ForecastRule(scale=scale)

    def settings_origins(
        self, body: dict[str, Any], path: str, defaults: dict[str, Any]
    ) -> SettingOrigins:
        """Where each of the indicator's settings was written, for explanations."""
        wheres = []
        for key in (*_SETTINGS, "overrides", "forecast", "target-carries"):
            where = f"{path}.{key}" if key in body else f"defaults.{key}" if key in defaults else ""
            if where:
                wheres.append((key, where))
        return SettingOrigins(self.origins, tuple(wheres))

    def rounding(self, raw: object, path: str) -> Rounding | None:
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}", "e.g. { places = 1 }")
            return None
        body = self.table(raw, path, ("places", "mode"))
        places = body.get("places")
        if (
            not isinstance(places, int)
            or isinstance(places, bool)
            or not 0 <= places <= MAX_ROUNDING_PLACES
        ):
            self.problem(
                f"{path}.places",
                f"places must be a whole number from 0 to {MAX_ROUNDING_PLACES}",
                "e.g. places = 1",
            )
            return None
        mode = RoundingMode.HALF_UP
        if "mode" in body:
            mode = self.choice(body["mode"], f"{path}.mode", RoundingMode) or mode
        return Rounding(places=places, mode=mode)
