"""Readers for an indicator's settings beyond its target and margins: rounding, rates and
minimums, range thresholds, forecasts, and settings that change with effective dates."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ragrules.formats.loading._amounts import Amounts
from ragrules.formats.loading._getters import _kind
from ragrules.formats.loading._keys import _FORECAST_KEYS, MAX_ROUNDING_PLACES
from ragrules.model.errors import close_matches
from ragrules.model.numbers import NumberError, RoundingMode, split_value
from ragrules.model.rates import Minimum, RateRule
from ragrules.model.rules import ForecastRule, Rounding, Scale, Target

_RATE_HINT = "e.g. rate = { per = 100000 } for a rate per 100,000"
_MINIMUM_HINT = "e.g. minimum = { denominator = 50 } or minimum = { value = 5 }"


class SettingReaders(Amounts):
    """The getters `IndicatorReader` reads an indicator's other settings with."""

    def scale_named(self, name: object, path: str, scales: Mapping[str, Scale]) -> Scale | None:
        scale = scales.get(name) if isinstance(name, str) else None
        if scale is None:
            close = close_matches(str(name), list(scales))
            self.problem(
                path,
                f"unknown scale {name!r}",
                f"did you mean {close[0]!r}?"
                if close
                else f"define [scales.{name}] or use one of {', '.join(scales)}",
            )
        return scale

    def threshold_values(
        self, raw: object, path: str, unit: str
    ) -> tuple[tuple[str, Decimal], ...] | None:
        """Thresholds by name, `{ floor = "65%", ... }` (a dated entry's, its `from` taken off)."""
        names = tuple(raw) if isinstance(raw, dict) else ()
        found = []
        for name, value in self.table(raw, path, names).items():
            number = self.quantity(value, f"{path}.{name}", unit)
            if number is not None:
                found.append((name, number))
        return tuple(found)

    def rate_rule(self, raw: object, path: str) -> RateRule | None:
        """`rate = { per = 100000 }`: the value is numerator / denominator x per."""
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}", _RATE_HINT)
            return None
        body = self.table(raw, path, ("per",))
        per = self.plain_number(body.get("per", 1), f"{path}.per", "per = 100000")
        if per is None:
            return None
        if per <= 0:
            self.problem(f"{path}.per", "per must be above zero", _RATE_HINT)
            return None
        return RateRule(per=per)

    def plain_number(self, raw: object, path: str, example: str) -> Decimal | None:
        """A number with no unit (a count, a rate's `per`): `"100%"` or `"5 children"` is a
        problem that says so, not one about converting to a unit."""
        if isinstance(raw, str):
            try:
                parts = split_value(raw)
            except NumberError:
                parts = None  # `quantity` says what is wrong with it
            if parts is not None and parts[1]:
                self.problem(path, f"{raw!r} is not a plain number", f"e.g. {example}")
                return None
        return self.quantity(raw, path, "number")

    def minimum(self, raw: object, path: str, rated_from_counts: bool, unit: str) -> Minimum | None:
        """`minimum = { denominator = 50, numerator = 5, value = 5 }`: below any of them a
        row is suppressed, not rated. The value is in the indicator's `unit` ("10%"); the
        counts are plain numbers."""
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}", _MINIMUM_HINT)
            return None
        body = self.table(raw, path, ("numerator", "denominator", "value"))
        found: dict[str, Decimal] = {}
        for key, value in body.items():
            number = (
                self.quantity(value, f"{path}.{key}", unit)
                if key == "value"
                else self.plain_number(value, f"{path}.{key}", f"{key} = 50")
            )
            if number is None:
                continue
            if number < 0:
                self.problem(f"{path}.{key}", "a minimum cannot be below zero", _MINIMUM_HINT)
                continue
            if key != "value" and not rated_from_counts:
                self.problem(
                    f"{path}.{key}",
                    f"a minimum {key} needs a rate from numerator and denominator",
                    "add rate = { per = 100000 }, or give minimum = { value = 5 }",
                )
                continue
            found[key] = number
        return Minimum(**found) if found else None

    def threshold_ranges(self, raw: object, path: str, unit: str) -> tuple[tuple[str, Target], ...]:
        """An in-range indicator's named ranges: `{ normal = { lower = 8, upper = 22 } }`."""
        names = tuple(raw) if isinstance(raw, dict) else ()
        found = []
        for name, value in self.table(raw, path, names).items():
            span = self.threshold_range(value, f"{path}.{name}", unit)
            if span is not None:
                found.append((name, span))
        return tuple(found)

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
            found = None if name is None else self.scale_named(name, f"{path}.scale", scales)
            if found is None:
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
