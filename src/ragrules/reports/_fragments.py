"""The JSON of a streamed line in fragments: what the compiled and columnar writers render
once (per plan, per value text, per movement) and put together per line, byte for byte as
`json.dumps` writes `Result.to_dict()`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from json.encoder import encode_basestring  # the encoder's own (C) string writer
from typing import Any

from ragrules.engine import readings
from ragrules.engine.edges import Edge, EdgeFinder, edge_finder
from ragrules.engine.plan import Rated
from ragrules.model.numbers import exact_context, format_decimal

encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
_AWAY = "\x00"  # an edge's distance, in an edge rendered once for every distance
_AWAY_JSON = encode(_AWAY)[1:-1]


class PlanParts:
    """A plan's fixed fragments: the line up to the area, the period, and (for numbers the
    plan rates itself) the target, margins and bounds; and what renders such a number."""

    def __init__(self, rated: Rated) -> None:
        """The fixed parts of `rated`'s plan, from its result's own `to_dict()`."""
        record = rated.result().to_dict()
        self.head = "{" + part(record, "indicator", "polarity") + ", "
        self.period = ", " + part(record, "period", "period") + ', "row": '
        # A movement's frame by comparison and outcome; an earlier value's JSON by its text
        # (a writer may hand the plans of one indicator one dict).
        self.frames: dict[int, tuple[str, str]] = {}
        self.middles: dict[str, str] = {}
        indicator = rated.plan.indicator
        self.statuses = indicator.scale.statuses_for(indicator.polarity)  # best first
        # For the numbers the plan's own bands rate (found with the first): the bands from
        # the target on, the edge finder and the other readings; an edge's JSON by all but
        # its distance.
        self.fast: tuple[str, EdgeFinder, readings.ReadingRules] | None = None
        self.edge_json = EdgeJson()

    def rated(self, rated: Rated) -> str:
        """From the status to the opening of the travel list, for one value text."""
        if not rated.fast:
            return ", " + part(rated.result().to_dict(), "status", "rank") + ', "travel": ['
        plan = rated.plan
        assert plan.cuts is not None  # a fast rating is the plan's own cuts'
        assert rated.rated is not None and rated.value is not None
        if self.fast is None:
            self.fast = (
                part(rated.result().to_dict(), "target", "bounds"),
                edge_finder(plan.cuts),
                readings.reading_rules(plan.indicator, plan.target, plan.period),
            )
        fixed, finder, other_readings = self.fast
        unrounded, band, reason = rated.rated
        status = rated.status
        with exact_context():
            edges = finder.edges(rated.value, status, self.statuses)
            fragile = readings.fragile_under(other_readings, unrounded, status)
        edge_list = f"[{', '.join(map(self.edge_json, edges))}]" if edges else "[]"
        return (
            f', "status": {encode_basestring(status)}, "rated": true, "unrated": null, '
            f'"reason": {encode_basestring(reason)}, "value": "{format_decimal(rated.value)}", '
            f'"value_text": {encode_basestring(rated.text)}, '
            f'"unrounded": "{format_decimal(unrounded)}", {fixed}, "band": {band}, '
            f'"edges": {edge_list}, "fragile": {json_list(fragile)}, '
            '"interval": null, "rank": null, "travel": ['
        )


class EdgeJson:
    """An edge's JSON, as `encode(edge.to_dict())` writes it: rendered once for all but its
    distance, which is joined into it (a number's text needs no escaping)."""

    def __init__(self) -> None:
        self.texts: dict[tuple[object, ...], list[str] | None] = {}

    def __call__(self, edge: Edge) -> str:
        key = (edge.up, edge.status, edge.better, edge.at, edge.included, edge.exact)
        texts = self.texts.get(key, _UNSEEN)
        if texts is _UNSEEN:
            texts = encode(edge.to_dict(distance=_AWAY)).split(_AWAY_JSON)
            # The distance is written once, and again in the words unless they only say
            # where the better status starts: else (a status holding the mark) render whole.
            places = 1 + (edge.included or not edge.better)
            texts = self.texts[key] = texts if len(texts) == places + 1 else None
        if texts is None or not edge.distance:  # on the edge: its own words
            return encode(edge.to_dict())
        return format_decimal(edge.distance).join(texts)


_UNSEEN: list[str] = []


def movement_runs(record: dict[str, Any]) -> tuple[str, str, str]:
    """A movement's pairs in three runs: up to its period, its earlier value and text, and
    from its direction on (the writers cut a movement's JSON there)."""
    keys = list(record)
    return (
        part(record, keys[0], "period"),
        part(record, "earlier", "earlier_text"),
        part(record, "direction", keys[-1]),
    )


def part(record: dict[str, Any], first: str, last: str) -> str:
    """The pairs of `record` from key `first` to key `last`, as `pairs` writes them."""
    keys = list(record)
    return pairs({k: record[k] for k in keys[keys.index(first) : keys.index(last) + 1]})


def json_list(items: Sequence[Any]) -> str:
    """A list as the stream's encoder writes it (most lists a line holds are empty)."""
    return encode(list(items)) if items else "[]"


def pairs(record: dict[str, Any]) -> str:
    """`"key": value, ...` as the stream's encoder writes them inside an object."""
    return encode(record)[1:-1]


def earlier_pairs(value: Decimal, text: str) -> str:
    """A movement's earlier value and its text, as pairs."""
    return pairs({"earlier": format_decimal(value), "earlier_text": text})
