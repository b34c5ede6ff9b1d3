"""Notices: what a report must say when its data was read but may not mean what it seems.

Each is a located warning a caller sees among `Report.problems` (and `--strict` fails on):
an empty or wholly rejected file, a report period with no rows, a stray row that moved the
report period, a percentage (or a target from the data) that looks like an unformatted
fraction, a target of zero from the data that empties a relative margin, an earlier value
that cannot be read. Pure functions over results; no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ragrules.engine.report import Rejection, Result
from ragrules.engine.travel import Movement
from ragrules.model.errors import Problem, Severity
from ragrules.model.numbers import EXACT, format_decimal
from ragrules.model.periods import Period
from ragrules.model.rules import Basis, Target, Unrated

_ONE = Decimal(1)
_KIND_WORDS = {1: "month", 3: "quarter", 12: "year"}


def batch_notices(
    *,
    placed: int,
    rejected: Sequence[Rejection],
    results: Sequence[Result],
    period: Period | None,
    period_given: bool,
    periods: Iterable[Period],
) -> tuple[Problem, ...]:
    """The file-level notices of one rated batch, then each result's own."""
    found: list[Problem] = []
    rated_rows = [r for r in results if r.row is not None]
    if not placed and not rejected:
        found.append(
            _warning(
                "the data holds no rows: every indicator is no-data",
                "check the file has rows under its header",
            )
        )
    elif not placed:
        rows = len({r.row for r in rejected})
        found.append(
            _warning(
                f"every row was rejected ({rows:,}): nothing was rated",
                "see each row's reason; check the indicator ids and periods, "
                "or map the columns with --columns",
            )
        )
    elif not rated_rows and period is not None:
        held = sorted({str(p) for p in periods})
        shown = ", ".join(held[:5]) + (", ..." if len(held) > 5 else "")
        found.append(
            _warning(
                f"no row is for the report period {period} (the data holds {shown}): "
                "every indicator is no-data",
                "give --period with a period in the data",
            )
        )
    if not period_given and period is not None:
        found.extend(_stray_period(period, list(periods)))
    for result in results:
        found.extend(result_notices(result))
    return tuple(found)


def result_notices(result: Result) -> list[Problem]:
    """One result's notices: a fraction on a percent indicator, a target from the data that
    looks like one or that empties a relative margin, unreadable earlier values."""
    found = [*_data_target_notices(result)]
    if _looks_like_fraction(result):
        assert result.unrounded is not None
        percent = format_decimal(result.unrounded.scaleb(2, EXACT))
        found.append(
            _warning(
                f"indicator {result.indicator.id!r}: value {result.value_text!r} on a percent "
                f"indicator looks like a fraction ({percent}%?)",
                "check the spreadsheet's % format; write the value as a percentage",
                row=result.row,
            )
        )
    found.extend(
        _warning(
            f"indicator {result.indicator.id!r}: {move.comparison.name}: {move.reason}",
            "the earlier value cannot be read, so the comparison is not comparable; "
            "correct it in the data",
            row=result.row,
        )
        for move in result.travel
        if unreadable_earlier(move)
    )
    override = result.override
    if override is not None and not override.applied:
        found.append(
            _warning(
                f"indicator {result.indicator.id!r}: override {override.status!r} not applied: "
                f"{override.note}",
                "the computed status is reported; correct the override, or allow overrides "
                "for the indicator (overrides = true)",
                row=result.row,
            )
        )
    forecast = result.forecast
    if forecast is not None and forecast.unrated is Unrated.INVALID:
        found.append(
            _warning(
                f"indicator {result.indicator.id!r}: {forecast.reason}",
                "the forecast is not rated; correct it in the data",
                row=result.row,
            )
        )
    return found


def _data_target_notices(result: Result) -> list[Problem]:
    """What a target read with the data may not mean: the ruleset's own targets are checked
    when it is loaded, a target from the data only here, row by row."""
    target = result.target
    if target is None or result.target_source in ("", "ruleset"):
        return []
    indicator = result.indicator.id
    source = "from the data" if result.target_source == "data" else f"({result.target_source})"
    found = []
    value = result.unrounded
    # A target from the data is a point. It looks like a fraction beside the value as a
    # value does beside its target: the same rule, the two the other way round.
    if (
        result.target_source == "data"
        and value is not None
        and looks_like_fraction(result.indicator.unit, "", target.upper, Target.point(value))
    ):
        percent = format_decimal(target.upper.scaleb(2, EXACT))
        found.append(
            _warning(
                f"indicator {indicator!r}: target {target} from the data on a percent indicator "
                f"looks like a fraction ({percent}%?) beside the value {result.value_text!r}",
                "check the spreadsheet's % format; write the target as a percentage",
                row=result.row,
            )
        )
    if target.lower == target.upper == 0:
        empty = [
            (name, margin)
            for name, margin in (("tolerance", result.tolerance), ("stretch", result.stretch))
            if margin is not None and margin.basis is Basis.RELATIVE and margin.amount
        ]
        found.extend(
            _warning(
                f"indicator {indicator!r}: the target {source} is 0, so its relative {name} "
                f"({format_decimal(margin.amount.scaleb(2, EXACT))}% of it) is 0: the band "
                "it makes is empty",
                f"give the indicator an absolute {name} for a zero target",
                row=result.row,
            )
            for name, margin in empty
        )
    return found


def unreadable_earlier(move: Movement) -> bool:
    """True when a comparison failed because the earlier value's text cannot be read."""
    return not move.comparable and bool(move.earlier_text)


def _looks_like_fraction(result: Result) -> bool:
    return looks_like_fraction(
        result.indicator.unit, result.value_text, result.unrounded, result.target
    )


def looks_like_fraction(unit: str, text: str, value: Decimal | None, target: Target | None) -> bool:
    """A bare value strictly between 0 and 1 where percentages of 1 or more are expected."""
    if unit != "percent" or value is None or "%" in text:
        return False
    if not 0 < value < _ONE:
        return False
    return target is None or target.upper >= _ONE


def _stray_period(chosen: Period, periods: list[Period]) -> list[Problem]:
    """A report period chosen as the latest, though most rows are of another length."""
    lengths = Counter(p.months for p in periods)
    usual, count = lengths.most_common(1)[0]
    if chosen.months == usual or lengths[chosen.months] >= count:
        return []
    latest = max((p for p in periods if p.months == usual), key=lambda p: (p.start, str(p)))
    chosen_kind = _KIND_WORDS.get(chosen.months, f"{chosen.months}-month period")
    usual_kind = _KIND_WORDS.get(usual, f"{usual}-month period")
    return [
        _warning(
            f"the report period {chosen} (a {chosen_kind}) is the latest in the data, but "
            f"{count:,} of {len(periods):,} rows are {usual_kind}s (the latest {latest}): "
            "those became history",
            f"give --period '{latest}' to rate them, or remove the stray {chosen_kind} rows",
        )
    ]


def _warning(message: str, hint: str, row: int | None = None) -> Problem:
    return Problem(message=message, hint=hint, row=row, severity=Severity.WARNING)
