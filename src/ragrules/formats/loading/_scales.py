"""Reading `[scales]`: bands and the points they start from."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ragrules.formats.loading._amounts import Amounts
from ragrules.formats.loading._getters import _kind
from ragrules.formats.loading._in_use import ScalesInUse
from ragrules.formats.loading._keys import _SCALE_KEYS
from ragrules.formats.loading._travel import TravelReader
from ragrules.model.comparisons import QuantileMethod, Quantiles, Significance
from ragrules.model.observations import column_key
from ragrules.model.rules import (
    MARGIN_REFERENCES,
    Band,
    Boundary,
    Point,
    PointKind,
    Scale,
    Travel,
)


class ScaleReader(TravelReader, Amounts):
    """`[scales]`: bands and the points they start from."""

    def scale(self, name: str, raw: object, path: str, travel: Travel) -> Scale | None:
        body = self.table(raw, path, _SCALE_KEYS)
        contextual = self.contextual(body, path)
        scale = self._scale_of(name, body, path, travel)
        return None if scale is None else attrs.evolve(scale, contextual=contextual)

    def contextual(self, body: dict[str, object], path: str) -> bool:
        """`contextual = true`: the scale's statuses say where a value sits, not how well it
        performs, so summaries count them apart (decision 71)."""
        found = body.get("contextual", False)
        if not isinstance(found, bool):
            self.problem(
                f"{path}.contextual",
                f"expected true or false, got {_kind(found)}",
                "contextual = true, or leave it out for a scale that rates",
            )
            return False
        return found

    def contextual_apart(self, in_use: ScalesInUse) -> None:
        """Refuse a status given both by a contextual scale and by a scale that rates, on the
        indicators' scales of every period: summaries count statuses by name, so they could
        not count that status apart from the rated ones."""
        rating: dict[str, tuple[str, str]] = {}  # status -> (scale, an indicator rated on it)
        contextual: dict[str, Scale] = {}
        for scale, indicator_id in in_use.rated:
            if scale.contextual:
                contextual.setdefault(scale.name, scale)
                continue
            for status in scale.statuses:
                rating.setdefault(status, (scale.name, indicator_id))
        for name, scale in contextual.items():
            for status in (s for s in scale.statuses if s in rating):
                other, indicator_id = rating[status]
                self.problem(
                    f"scales.{name}.contextual",
                    f"{status!r} is a status of this contextual scale and of scale {other!r}, "
                    f"which rates indicator {indicator_id!r}",
                    "summaries count statuses by name, so the two could not be counted apart; "
                    'name the contextual status differently, e.g. "within range"',
                )

    def _scale_of(
        self, name: str, body: dict[str, object], path: str, travel: Travel
    ) -> Scale | None:
        """The scale's bands, significance test or quantiles."""
        kinds = [kind for kind in ("bands", "significance", "quantiles") if kind in body]
        if len(kinds) > 1:
            self.problem(
                path,
                f"a scale has one of bands, significance or quantiles, not {' and '.join(kinds)}",
                "make a scale for each",
            )
            return None
        if ("significance" in body or "quantiles" in body) and "boundary" in body:
            self.problem(f"{path}.boundary", "only a scale of bands has a boundary")
            return None
        if "significance" in body:
            significance = self.significance(body["significance"], f"{path}.significance")
            return None if significance is None else Scale(name=name, significance=significance)
        if "quantiles" in body:
            quantiles = self.quantiles(body["quantiles"], f"{path}.quantiles")
            return None if quantiles is None else Scale(name=name, quantiles=quantiles)
        boundary = Boundary.BETTER
        if "boundary" in body:
            boundary = self.choice(body["boundary"], f"{path}.boundary", Boundary) or boundary
        raw_bands = body.get("bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            self.problem(
                f"{path}.bands",
                "a scale needs a non-empty array of bands",
                'e.g. bands = [{ status = "green", from = "target" }, { status = "red" }]',
            )
            return None
        bands: list[Band] = []
        for index, raw_band in enumerate(raw_bands):
            where = f"{path}.bands[{index}]"
            band_body = self.table(raw_band, where, ("status", "from", "boundary", "travel"))
            status = (
                self.string(band_body["status"], f"{where}.status")
                if "status" in band_body
                else None
            )
            if "status" not in band_body:
                self.problem(where, "a band needs a status", 'e.g. status = "amber"')
            elif status is not None and not status.strip():
                self.problem(f"{where}.status", "a band's status is blank", 'e.g. "amber"')
                status = None
            start = self.point(band_body["from"], f"{where}.from") if "from" in band_body else None
            band_boundary = boundary
            if "boundary" in band_body:
                band_boundary = (
                    self.choice(band_body["boundary"], f"{where}.boundary", Boundary) or boundary
                )
            condition = None
            if "travel" in band_body:
                condition = self.travel_condition(band_body["travel"], f"{where}.travel", travel)
            if status is not None:
                bands.append(
                    Band(status=status, start=start, boundary=band_boundary, travel=condition)
                )
            catch_all = "from" not in band_body and "travel" not in band_body
            if catch_all and index != len(raw_bands) - 1:
                self.problem(
                    where,
                    "only the last band may have neither 'from' nor 'travel'",
                    "the bands after it can never be reached",
                )
        last = bands[-1] if len(bands) == len(raw_bands) and bands else None
        if last is not None and (last.start is not None or last.travel is not None):
            self.problem(
                f"{path}.bands[{len(bands) - 1}]",
                "the last band has a condition, so values that miss it get no status",
                "end with a catch-all band that has only a status",
            )
        return Scale(name=name, bands=tuple(bands))

    def point(self, raw: object, path: str) -> Point | None:
        if raw == "target":
            return Point(kind=PointKind.TARGET)
        if raw in MARGIN_REFERENCES:
            kind = PointKind.WORSE_BY if raw == "tolerance" else PointKind.BETTER_BY
            return Point(kind=kind, margin=str(raw))
        if not isinstance(raw, dict) or len(raw) != 1:
            self.problem(
                path,
                f"{raw!r} is not a band start",
                'use "target", "tolerance", "stretch", or one of { worse-by = ... }, '
                '{ better-by = ... }, { threshold = NAME }, { ratio = "90%" }',
            )
            return None
        body = self.table(raw, path, ("worse-by", "better-by", "threshold", "ratio"))
        for key, value in body.items():
            where = f"{path}.{key}"
            if key == "threshold":
                name = self.string(value, where)
                return None if name is None else Point(kind=PointKind.THRESHOLD, threshold=name)
            if key == "ratio":
                ratio = self.percentage(value, where)
                if ratio is not None and ratio <= 0:
                    self.problem(where, "a ratio to the target must be above 0%", 'e.g. "90%"')
                    return None
                return None if ratio is None else Point(kind=PointKind.RATIO, ratio=ratio)
            kind = PointKind(key)
            if value in MARGIN_REFERENCES:
                return Point(kind=kind, margin=str(value))
            margin = self.fixed_margin(value, where)
            return None if margin is None else Point(kind=kind, margin=margin)
        return None

    def significance(self, raw: object, path: str) -> Significance | None:
        """`significance = { benchmark = "england", level = "95" }`, and optionally a second
        level for two tiers, a comparison of intervals, the interval's columns and the
        statuses (judged: better, similar, worse; unjudged: higher, similar, lower)."""
        body = self.table(raw, path, _SIGNIFICANCE_KEYS)
        benchmark = self._column(body, "benchmark", path)
        if "benchmark" not in body:
            self.problem(
                path, "a significance test needs a benchmark", 'e.g. benchmark = "england"'
            )
        columns = self._interval(body, "", path)
        strict = self._interval(body, "strict-", path) if "strict-level" in body else ("", "", "")
        compare = body.get("compare", "value")
        if compare not in ("value", "intervals", "control-limits"):
            self.problem(f"{path}.compare", 'expected "value", "intervals" or "control-limits"')
            return None
        if compare == "control-limits" and body.get("method") not in ("wilson", "byar"):
            self.problem(
                f"{path}.method",
                "control limits are computed by a method",
                'add method = "wilson" (a proportion) or "byar" (a count or rate)',
            )
            return None
        method = body.get("method", "columns")
        if method not in ("columns", "wilson", "byar"):
            self.problem(
                f"{path}.method",
                f"{method!r} is not a way to have the interval",
                'use "columns" (read the limits), "wilson" (a proportion) or "byar" (a count '
                "or rate) from count and denominator",
            )
            return None
        multiplier = Decimal(1)
        if "multiplier" in body:
            found = self.quantity(body["multiplier"], f"{path}.multiplier", "number")
            if found is None or found <= 0:
                self.problem(f"{path}.multiplier", "expected a number above 0", "e.g. 100000")
                return None
            multiplier = found
        if columns is not None and strict is not None and not _wider(strict[0], columns[0]):
            self.problem(
                f"{path}.strict-level",
                f"the strict level ({strict[0]}) must be wider than level ({columns[0]})",
                'e.g. level = "95", strict-level = "99.8"',
            )
            return None
        tiers = 5 if strict and strict[0] else 3
        judged = self._labels(body, "statuses", path, _DEFAULTS[("judged", tiers)])
        unjudged = self._labels(body, "unjudged", path, _DEFAULTS[("unjudged", tiers)])
        if benchmark is None or columns is None or strict is None or not judged or not unjudged:
            return None
        return Significance(
            benchmark=benchmark,
            level=columns[0],
            lower=columns[1],
            upper=columns[2],
            strict_level=strict[0],
            strict_lower=strict[1],
            strict_upper=strict[2],
            intervals=compare == "intervals",
            control_limits=compare == "control-limits",
            method=str(method),
            count=self._column(body, "count", path) or "count",
            denominator=self._column(body, "denominator", path) or "denominator",
            multiplier=multiplier,
            judged=judged,
            unjudged=unjudged,
        )

    def _interval(
        self, body: dict[str, object], prefix: str, path: str
    ) -> tuple[str, str, str] | None:
        """(level, lower column, upper column) of `level` or `strict-level`."""
        level = body.get(f"{prefix}level", "95")
        named = f"{prefix}lower" in body and f"{prefix}upper" in body
        if not isinstance(level, str) or (level not in _INTERVAL_COLUMNS and not named):
            self.problem(
                f"{path}.{prefix}level",
                f"no interval columns are known for level {level!r}",
                f'use "95" or "99.8" (Fingertips\' columns), or name {prefix}lower and '
                f"{prefix}upper",
            )
            return None
        lower, upper = _INTERVAL_COLUMNS.get(level, ("", ""))
        lower = self._column(body, f"{prefix}lower", path) or lower
        upper = self._column(body, f"{prefix}upper", path) or upper
        return level, lower, upper

    def quantiles(self, raw: object, path: str) -> Quantiles | None:
        """`quantiles = { count = 4, group = "...", method = "ntile", statuses = [...] }`."""
        body = self.table(raw, path, ("count", "group", "method", "statuses"))
        count = body.get("count")
        if type(count) is not int or not 2 <= count <= 100:
            self.problem(
                f"{path}.count",
                "expected a whole number of quantiles from 2 to 100",
                "e.g. count = 4 for quartiles, 5 for quintiles",
            )
            return None
        if self.blank_group(body, path):
            return None
        group = self._column(body, "group", path) or ""
        method = QuantileMethod.NTILE
        if "method" in body:
            chosen = self.choice(body["method"], f"{path}.method", QuantileMethod)
            if chosen is None:
                return None
            method = chosen
        default = [f"quantile {n}" for n in range(1, count + 1)]
        statuses = body.get("statuses", default)
        if (
            not isinstance(statuses, list)
            or len(statuses) != count
            or not all(isinstance(s, str) and s.strip() for s in statuses)
            or len(set(statuses)) != count
        ):
            self.problem(
                f"{path}.statuses",
                f"expected {count} different statuses, best first",
                'e.g. statuses = ["A", "B", "C", "D"]',
            )
            return None
        return Quantiles(group=group, count=count, method=method, statuses=tuple(statuses))

    def _column(self, body: dict[str, object], key: str, path: str) -> str | None:
        if key not in body:
            return None
        name = self.string(body[key], f"{path}.{key}")
        return column_key(name) if name else None

    def _labels(
        self, body: dict[str, object], key: str, path: str, default: tuple[str, ...]
    ) -> tuple[str, ...] | None:
        raw = body.get(key, list(default))
        if (
            not isinstance(raw, list)
            or len(raw) != len(default)
            or not all(isinstance(item, str) and item.strip() for item in raw)
        ):
            self.problem(
                f"{path}.{key}",
                f"expected {len(default)} statuses, best first",
                f"e.g. {key} = {list(default)!r}".replace("'", '"'),
            )
            return None
        return tuple(raw)


_SIGNIFICANCE_KEYS = (
    "benchmark",
    "level",
    "lower",
    "upper",
    "strict-level",
    "strict-lower",
    "strict-upper",
    "compare",
    "method",
    "count",
    "denominator",
    "multiplier",
    "statuses",
    "unjudged",
)
# The statuses of a significance test, best first: one level, or two tiers.
_DEFAULTS = {
    ("judged", 3): ("better", "similar", "worse"),
    ("unjudged", 3): ("higher", "similar", "lower"),
    ("judged", 5): ("better (strict)", "better", "similar", "worse", "worse (strict)"),
    ("unjudged", 5): ("higher (strict)", "higher", "similar", "lower", "lower (strict)"),
}
# The interval columns of a Fingertips export, by confidence level (as column keys).
_INTERVAL_COLUMNS = {
    "95": ("lower_ci_95.0_limit", "upper_ci_95.0_limit"),
    "99.8": ("lower_ci_99.8_limit", "upper_ci_99.8_limit"),
}


def _wider(strict: str, level: str) -> bool:
    """Whether a strict level (none: "") is wider than the level, where both are numbers; a
    level that is no number names its columns, and is taken as written."""
    if not strict:
        return True
    try:
        return Decimal(strict.strip().removesuffix("%")) > Decimal(level.strip().removesuffix("%"))
    except ArithmeticError:
        return True
