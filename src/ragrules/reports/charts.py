"""Small charts for the HTML report, as inline SVG: no script, no network, fixed sizes that
print on A4, and a text alternative for screen readers. Drawing positions are floats; every
status shown was decided exactly by the engine."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from ragrules.engine._history import break_between
from ragrules.engine.report import Result
from ragrules.engine.trends import TREND_PERIODS
from ragrules.model.numbers import format_decimal
from ragrules.model.periods import Period, Span
from ragrules.model.rules import RulesetData
from ragrules.reports._colours import tile_colours
from ragrules.reports._html_text import page_text

WIDTH, HEIGHT, PAD = 180, 48, 6
_INK, _EDGE = "#0b0c0c", "#505a5f"


def sparkline(points: Sequence[Result], ruleset: RulesetData, name: str) -> str:
    """A series' values over its last periods, with the report period's target (solid) and
    band edges (dashed) and each point in its status's colour, the last one larger. `name`
    makes the ids of its title unique on the page."""
    last = points[-1]
    slots = _slots(points)
    values = [(slot, p.value) for slot, p in zip(slots, points, strict=True) if p.value is not None]
    target = last.target.lower if last.target and last.target.lower == last.target.upper else None
    edges = [edge.at for edge in last.edges if edge.exact]
    # Drawn in floats, never in the caller's decimal context; the statuses are decided.
    span = [float(v) for _, v in values] + [float(e) for e in edges]
    span += [float(target)] if target is not None else []
    if not span:
        return ""
    low, high = min(span), max(span)
    if not high > low:  # one value; or values a float cannot tell apart (1E+22 and 1E+22 + 1)
        margin = max(abs(low), 1.0)
        low, high = low - margin, high + margin
    # One time scale for every row: the report period at the right, a slot per period.
    width, last_slot = TREND_PERIODS - 1, slots[-1]

    def x(slot: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * (width - (last_slot - slot)) / width

    def y(value: Decimal) -> float:
        return PAD + (HEIGHT - 2 * PAD) * (high - float(value)) / (high - low)

    parts = [
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(edge):.1f}" y2="{y(edge):.1f}" '
        f'stroke="{_EDGE}" stroke-width="1" stroke-dasharray="3 2"/>'
        for edge in edges
    ]
    if target is not None:
        parts.append(
            f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
            f'stroke="{_INK}" stroke-width="1"/>'
        )
    # A series break leaves a gap in the line: the values either side are not comparable.
    valued = [p for p in points if p.value is not None]
    for part in _segments(valued, ruleset):
        if len(part) > 1:
            line = " ".join(f"{x(values[i][0]):.1f},{y(values[i][1]):.1f}" for i in part)
            parts.append(
                f'<polyline points="{line}" fill="none" stroke="{_INK}" stroke-width="1.5"/>'
            )
    for (slot, value), point in zip(
        values, [p for p in points if p.value is not None], strict=True
    ):
        fill, _ = tile_colours(point.reported_status, ruleset)
        size = 4.5 if point is last else 2.5
        parts.append(
            f'<circle cx="{x(slot):.1f}" cy="{y(value):.1f}" r="{size}" fill="{fill}" '
            f'stroke="{_INK}" stroke-width="{1 if point is last else 0.5}"/>'
        )
    title = page_text(trend_words(points, ruleset))
    return (
        f'<svg class="trend" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="trend-{name}"><title id="trend-{name}">{title}</title>'
        + "".join(parts)
        + "</svg>"
    )


def trend_words(points: Sequence[Result], ruleset: RulesetData) -> str:
    """The chart in words: each period's value and status, then the target and edges."""
    last = points[-1]
    shown = "; ".join(
        f"{p.period}: {_value(p)} ({ruleset.label(p.reported_status)})" for p in points
    )
    words = f"Trend of {_series_name(last)}: {shown}"
    if last.target is not None:
        words += f". Target {last.target}"
    edges = [format_decimal(edge.at) for edge in last.edges]
    if edges:
        words += f"; the status changes at {' and '.join(edges)}"
    broken = [_break(a, b, ruleset) for a, b in itertools.pairwise(points)]
    breaks = [str(b) for b in broken if b is not None]
    if breaks:
        words += f"; the series breaks at {' and '.join(breaks)}"
    return words + "."


def _series_name(result: Result) -> str:
    """The indicator, and the area and breakdown where there are any: on a page of every
    area, each chart's words say whose series it is (`pi-1 for E09000001, sex Male`)."""
    whose = [result.area, *(f"{key} {value}" for key, value in result.breakdown)]
    named = ", ".join(part for part in whose if part)
    return f"{result.indicator.id} for {named}" if named else result.indicator.id


def trend_text(points: Sequence[Result], ruleset: RulesetData) -> str:
    """The compact form Markdown shows: `37 → 30.4 → 28.15`; `|` where the series breaks
    (`33 | 26 → 28`): the values either side are not comparable."""
    if len(points) < 2:
        return ""
    parts = _segments(list(points), ruleset)
    return " | ".join(" → ".join(_value(points[i]) for i in part) for part in parts)


def _break(before: Result, after: Result, ruleset: RulesetData) -> Period | None:
    """The indicator's series break between two points of its trend, or None."""
    if before.period is None or after.period is None:
        return None
    return break_between(after.indicator, before.period, after.period, ruleset.calendar)


def _segments(points: Sequence[Result], ruleset: RulesetData) -> list[list[int]]:
    """The points' indices in runs with no series break within a run."""
    runs: list[list[int]] = [[0]] if points else []
    for index in range(1, len(points)):
        if _break(points[index - 1], points[index], ruleset) is not None:
            runs.append([])
        runs[-1].append(index)
    return runs


def status_bars(
    trends: Sequence[Sequence[Result]],
    ruleset: RulesetData,
    periods: int,
    *,
    name: str = "bars",
    small: bool = False,
) -> str:
    """Stacked bars of the rated statuses in each of the last periods, with the counts in
    words for screen readers; "" when there are fewer than two periods. `small` draws the
    compact form a table cell takes (no period labels: they are in the words); `name`
    makes the ids of its title unique on the page."""
    counts = status_counts(trends, contextual=False)  # a bar stacks ratings only
    chosen = sorted(counts, key=lambda period: period.start)[-periods:]
    if len(chosen) < 2:
        return ""
    order = ruleset.listed_statuses(trend[-1].indicator for trend in trends if trend)
    bar, gap, height, top = (12, 3, 28, 2) if small else (44, 16, 120, 16)
    most = max(sum(counts[p].values()) for p in chosen)
    parts = []
    for index, period in enumerate(chosen):
        left, base = (2 if small else 8) + index * (bar + gap), float(top + height)
        for status in [s for s in order if counts[period][s]] + sorted(
            s for s in counts[period] if s not in order
        ):
            size = height * counts[period][status] / most
            fill, _ = tile_colours(status, ruleset)
            base -= size
            parts.append(
                f'<rect x="{left}" y="{base:.1f}" width="{bar}" height="{size:.1f}" '
                f'fill="{fill}" stroke="#ffffff" stroke-width="1"/>'
            )
        if not small:
            parts.append(
                f'<text x="{left + bar / 2}" y="{top + height + 14}" font-size="10" '
                f'text-anchor="middle" fill="{_INK}">{page_text(str(period))}</text>'
            )
    listed = [*order, *sorted({s for p in chosen for s in counts[p]} - set(order))]
    words = "; ".join(
        f"{period}: "
        + ", ".join(f"{ruleset.label(s)} {counts[period][s]}" for s in listed if counts[period][s])
        for period in chosen
    )
    width = (4 if small else 16) + len(chosen) * (bar + gap)
    tall = top + height + (2 if small else 22)
    return (
        f'<svg class="bars" width="{width}" height="{tall}" viewBox="0 0 {width} {tall}" '
        f'role="img" aria-labelledby="{name}-title"><title id="{name}-title">Rated statuses '
        f"by period: {page_text(words)}.</title>" + "".join(parts) + "</svg>"
    )


def status_counts(
    trends: Sequence[Sequence[Result]], *, contextual: bool = True
) -> dict[Period, Counter[str]]:
    """How many series had each reported status in each period, over the rated results;
    without a contextual scale's statuses (where a value sits, not a rating) when
    `contextual` is false."""
    # A quarter and the same quarter year to date stand at the same months: one report
    # period, one bar, named as the quarter (as the report is).
    counts: dict[tuple[Span, bool], Counter[str]] = {}
    names: dict[tuple[Span, bool], Period] = {}
    for trend in trends:
        for point in trend:
            period = point.period
            if not point.rated or period is None:
                continue
            if not contextual and point.indicator.scale.contextual:
                continue
            span = (period.span, period.rolling)
            known = names.get(span)
            if known is None or (known.ytd and not period.ytd):
                names[span] = period
            counts.setdefault(span, Counter())[point.reported_status] += 1
    return {names[span]: counted for span, counted in counts.items()}


def _slots(points: Sequence[Result]) -> list[int]:
    """Each point's place on the x axis: periods since the first point (gaps stay gaps)."""
    first = points[0].period
    found = []
    for point in points:
        slot = 0
        while first is not None and point.period is not None and slot < 64:
            if first.shifted(slot) == point.period:
                break
            slot += 1
        found.append(slot)
    return found


def _value(point: Result) -> str:
    return "-" if point.value is None else format_decimal(point.value)
