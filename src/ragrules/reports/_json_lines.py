"""The compiled stream's JSON lines, put together from fragments rendered once (per plan, per
value text, per movement) and kept as UTF-8, byte for byte as `json.dumps` writes
`Result.to_dict()` with the exception reasons."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from ragrules.engine.plan import LinePlan, Planned, Rated
from ragrules.engine.result import Rejection, Result, movement_dict
from ragrules.engine.selection import exceptions
from ragrules.engine.travel import Movement
from ragrules.model.rules import Unrated
from ragrules.reports._fragments import PlanParts, earlier_pairs, encode, movement_runs, pairs
from ragrules.reports._utf8 import utf8_buffer
from ragrules.reports.stream import StreamWriter, Tally

_NO_COMMENT = b'"commentary": ""'
_LINES_HELD = 256  # lines joined before they are handed to the file
_INVALID = Unrated.INVALID

# Fragments kept per plan before they are dropped and rendered again: bounded memory on a
# file of unique values, no cost on published ones (a few hundred texts an indicator).
_FRAGMENTS = 1 << 16


class JsonLines:
    """A planned result written as the JSON line `Result.to_dict()` gives, from fragments:
    per plan (indicator, period, target and bands), per value text, per movement.

    Fragments are kept as UTF-8 and the lines written a few hundred at a time: to the bytes
    beneath a UTF-8 file (`utf8_buffer`), so that a line is never encoded whole, else
    decoded into `out`. A general line is written through `out` in its place (`general`).
    """

    def __init__(self, writer: StreamWriter) -> None:
        self.writer, self.out = writer, writer.out
        self.binary = utf8_buffer(writer.out)
        self.lines: list[bytes] = []  # written, not yet handed to the file
        self.wrote_text = False  # `out` may hold text the bytes beneath must follow
        self.tally: Tally = writer.tally
        self.policy = writer.policy
        self.required = writer.policy.commentary_required  # statuses needing commentary
        self.plans: dict[LinePlan, _PlanBytes] = {}
        self.rated: dict[Rated, bytes] = {}  # a value text's fragment, by its rating
        self.texts: dict[object, bytes] = {}  # the same by (bands' number, text) when fast
        self.moves: dict[tuple[LinePlan, str, object, str, object, object, str], bytes] = {}
        self.chosen: dict[tuple[object, ...], tuple[bool, bytes]] = {}
        # Earlier values' JSON by text, one dict for the plans of an indicator, and how many
        # they hold between them (bounded as `_kept` bounds a cache).
        self.middles: dict[str, dict[str, bytes]] = {}
        self.middles_kept = 0
        self.columns: dict[tuple[tuple[str, str], ...], bytes] = {}
        self.places: dict[tuple[str, tuple[tuple[str, str], ...]], bytes] = {}

    def write(self, planned: Planned) -> None:
        rated, plan = planned.rated, planned.plan
        parts = self.plans.get(plan) or _kept(self.plans, plan, self._parts, rated)
        text = self.rated.get(rated) or _kept(self.rated, rated, self._text, parts, rated)
        moves = []
        judgements: list[object] = []
        unreadable = 0
        for move in planned.moves:
            if type(move) is tuple:
                index, earlier, earlier_text, code = move
                frame = parts.frames.get(index * 64 + code)
                if frame is None:
                    frame = _movement_frame(plan.movement(move))
                    parts.frames[index * 64 + code] = frame
                middle = parts.middles.get(earlier_text)
                if middle is None:
                    middle = self._middle(parts.middles, earlier, earlier_text)
                moves.append(frame[0] + middle + frame[1])
                judgements.append(plan.judged_as[code])
                continue
            assert isinstance(move, Movement)
            key = (
                plan,
                move.comparison.name,
                move.period,
                move.earlier_text,
                move.direction,
                move.judgement,
                move.reason,
            )
            moves.append(self.moves.get(key) or _kept(self.moves, key, _movement_json, move))
            judgements.append(None if move.judgement is None else move.judgement.value)
            unreadable += not move.comparable and bool(move.earlier_text)
        rated_ok = rated.unrated is None
        # What the exception rules read of a plain line (they look back no further than its
        # own period: `Planner.usable`): the same choice and words for every plan.
        judged = (rated.status, rated_ok, *judgements)
        chosen = self.chosen.get(judged)
        if chosen is None:
            chosen = self.chosen[judged] = self._exceptions(planned)
        selected, tail = chosen
        where = (planned.area, planned.breakdown)
        place = self.places.get(where) or _kept(
            self.places,
            where,
            lambda: _utf8(
                pairs({"area": planned.area or None, "breakdown": dict(planned.breakdown)})
            ),
        )
        columns = self.columns.get(planned.columns) or _kept(
            self.columns, planned.columns, lambda: _utf8(pairs({"columns": dict(planned.columns)}))
        )
        lines = self.lines
        lines.append(
            b"".join(
                (
                    parts.head,
                    place,
                    parts.period,
                    b"%d" % planned.row,
                    text,
                    b", ".join(moves),
                    b"], ",
                    _utf8(pairs({"commentary": planned.commentary}))
                    if planned.commentary
                    else _NO_COMMENT,
                    b', "caveat": "", "flag": "", ',
                    columns,
                    tail,
                )
            )
        )
        if len(lines) >= _LINES_HELD:
            self.flush()
        tally = self.tally
        tally.results += 1
        tally.statuses[rated.status] += 1
        tally.invalid += rated.unrated is _INVALID
        tally.notices += rated.notices + unreadable
        if rated.status in self.required and rated_ok and not planned.commentary.strip():
            tally.findings += 1
        tally.exceptions += selected

    def general(self, items: Iterable[Result | Rejection]) -> None:
        """A general line's results and rejections, written through `out` after the lines
        before them."""
        self.flush()
        for item in items:
            self.writer.write(item)
            self.wrote_text = True

    def flush(self) -> None:
        """Hand the lines written so far to the file, after what `out` holds."""
        lines = self.lines
        if not lines:
            return
        data = b"".join(lines)
        lines.clear()
        if self.binary is None:
            self.out.write(data.decode("utf-8"))
            return
        if self.wrote_text:
            self.out.flush()
            self.wrote_text = False
        self.binary.write(data)

    def _text(self, parts: _PlanBytes, rated: Rated) -> bytes:
        """A value text's fragment, rendered once for every plan alike in bands when the
        plan's bands rate it (a year's quarters, as a rule)."""
        if not rated.fast:
            return _utf8(parts.parts.rated(rated))
        shown = (rated.plan.alike, rated.text)
        return self.texts.get(shown) or _kept(
            self.texts, shown, lambda: _utf8(parts.parts.rated(rated))
        )

    def _parts(self, rated: Rated) -> _PlanBytes:
        return _PlanBytes(PlanParts(rated), self.middles.setdefault(rated.plan.id, {}))

    def _middle(self, middles: dict[str, bytes], earlier: Decimal, text: str) -> bytes:
        if self.middles_kept >= _FRAGMENTS:
            for kept in self.middles.values():
                kept.clear()
            self.middles_kept = 0
        self.middles_kept += 1
        found = middles[text] = _utf8(earlier_pairs(earlier, text))
        return found

    def _exceptions(self, planned: Planned) -> tuple[bool, bytes]:
        result = planned.result()
        chosen = exceptions((result,), self.policy) if result.unrated is None else ()
        reasons = list(chosen[0].reasons) if chosen else []
        return bool(reasons), _utf8(f", {pairs({'exception_reasons': reasons})}}}\n")


class _PlanBytes:
    """A plan's fixed fragments (`PlanParts`) as UTF-8, and its movements' frames by
    comparison and outcome; `middles`, an earlier value's JSON by its text, is shared by
    the plans of an indicator."""

    __slots__ = ("frames", "head", "middles", "parts", "period")

    def __init__(self, parts: PlanParts, middles: dict[str, bytes]) -> None:
        self.parts = parts
        self.head, self.period = _utf8(parts.head), _utf8(parts.period)
        self.frames: dict[int, tuple[bytes, bytes]] = {}
        self.middles = middles


def _utf8(text: str) -> bytes:
    # Strict, as `out` writes: the readers never give a lone surrogate (a CSV file's bytes
    # are read with `errors="replace"`, JSON's and Excel's are mended).
    return text.encode("utf-8")


def _movement_frame(move: Movement) -> tuple[bytes, bytes]:
    """A movement's JSON around its earlier value and text: what a comparison, period,
    direction and judgement share."""
    head, _, tail = movement_runs(movement_dict(move))
    return _utf8("{" + head + ", "), _utf8(", " + tail + "}")


K = TypeVar("K")
V = TypeVar("V")


def _kept(cache: dict[K, V], key: K, render: Callable[..., V], *args: Any) -> V:
    """`render(*args)`, kept in `cache` under `key`; the cache is emptied first when it has
    grown past its bound (a file of unique values renders again, not growing without end)."""
    if len(cache) >= _FRAGMENTS:
        cache.clear()
    found = cache[key] = render(*args)
    return found


def _movement_json(move: Movement) -> bytes:
    return _utf8(encode(movement_dict(move)))
