"""Reading `[scales]`: bands and the points they start from."""

from __future__ import annotations

from ragrules.formats.loading._amounts import Amounts
from ragrules.formats.loading._travel import TravelReader
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
        body = self.table(raw, path, ("bands", "boundary", "description"))
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
