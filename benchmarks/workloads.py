"""Synthetic workloads for the benchmarks, and the hand-written baselines they are measured against.

Everything is generated from a fixed seed. Each baseline is the plain Python a developer would
write for exactly this workload (one ruleset shape, no explanations, no checks), so the ratio
ragrules / baseline is the price of being general, exact and explained.
"""

from __future__ import annotations

import csv
import decimal
import json
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ragrules.model.rules import Basis, Indicator, Margin, Polarity, Schedule, Target

SEED = 20201125
INDICATORS = 50  # in the end-to-end workload
AUTHORITIES = 150


# -- the rating core ------------------------------------------------------------------------


def core_workload(count: int) -> tuple[list[Indicator], list[tuple[int, str]]]:
    """20 indicators (both polarities, relative tolerances) and `count` values near them.

    One value in ten lies exactly on a boundary (the target, or the target moved by the
    tolerance), where binary floats go wrong.
    """
    rng = random.Random(SEED)
    indicators = []
    for n in range(20):
        target = Decimal(rng.randint(1000, 9000)) / 100
        indicators.append(
            Indicator(
                id=f"pi-{n}",
                unit="percent",
                polarity=Polarity.HIGHER if n % 2 == 0 else Polarity.LOWER,
                target=Schedule.always(Target.point(target)),
                tolerance=Schedule.always(
                    Margin(basis=Basis.RELATIVE, amount=Decimal(rng.choice([3, 5, 7, 10])) / 100)
                ),
            )
        )
    values = []
    for _ in range(count):
        index = rng.randrange(len(indicators))
        indicator = indicators[index]
        target, margin = _target_and_margin(indicator)
        if rng.random() < 0.1:
            floor = target - margin if indicator.polarity is Polarity.HIGHER else target + margin
            values.append((index, str(rng.choice([target, floor]))))
        else:
            values.append((index, str(target + Decimal(rng.randint(-2000, 2000)) / 100)))
    return indicators, values


def _target_and_margin(indicator: Indicator) -> tuple[Decimal, Decimal]:
    """The indicator's target and its tolerance in the indicator's unit (a workload has one)."""
    target = indicator.target.in_force(None).value  # type: ignore[union-attr]
    return target, indicator.tolerance.in_force(None).resolve(target)  # type: ignore[union-attr]


def core_boundaries(indicators: list[Indicator]) -> list[set[Decimal]]:
    """Each indicator's boundaries: the target, and the target moved by the tolerance."""
    found = []
    for indicator in indicators:
        target, margin = _target_and_margin(indicator)
        found.append({target, target - margin, target + margin})
    return found


def core_baseline_decimal(indicators: list[Indicator]) -> Callable[[int, Decimal], str]:
    """The hand-written minimum: Decimal comparisons against precomputed thresholds."""
    table = []
    for indicator in indicators:
        target, margin = _target_and_margin(indicator)
        higher = indicator.polarity is Polarity.HIGHER
        table.append((higher, target, target - margin if higher else target + margin))

    def rate(index: int, value: Decimal) -> str:
        higher, target, floor = table[index]
        if higher:
            return "green" if value >= target else "amber" if value >= floor else "red"
        return "green" if value <= target else "amber" if value <= floor else "red"

    return rate


def core_baseline_float(indicators: list[Indicator]) -> Callable[[int, float], str]:
    """The spreadsheet way: binary floats, target * (1 - tolerance)."""
    table = []
    for indicator in indicators:
        target = float(indicator.target.in_force(None).value)  # type: ignore[union-attr]
        tol = float(indicator.tolerance.in_force(None).amount)  # type: ignore[union-attr]
        higher = indicator.polarity is Polarity.HIGHER
        table.append((higher, target, target * (1 - tol) if higher else target * (1 + tol)))

    def rate(index: int, value: float) -> str:
        higher, target, floor = table[index]
        if higher:
            return "green" if value >= target else "amber" if value >= floor else "red"
        return "green" if value <= target else "amber" if value <= floor else "red"

    return rate


# -- end to end from CSV --------------------------------------------------------------------


def _targets() -> list[tuple[Decimal, Decimal, bool]]:
    """Per indicator: target, relative tolerance, higher is better."""
    rng = random.Random(SEED)
    return [
        (
            Decimal(rng.randint(200, 900)) / 10,
            Decimal(rng.choice([5, 10, 15])) / 100,
            n % 2 == 0,
        )
        for n in range(INDICATORS)
    ]


def national_ruleset(*, streak: bool = False) -> str:
    """50 percentage indicators, travel against last quarter and last year, exception rules.

    `streak` adds a rule that looks back: worsening three quarters running.
    """
    worsening = 'travel = { comparison = "short", judgement = ["worsening"] }'
    rules = ['{ statuses = ["red"] }', f'{{ statuses = ["amber"], {worsening} }}']
    if streak:
        streaking = worsening.replace("] }", "], periods = 3 }")
        rules.append(f"{{ {streaking} }}")
    lines = [
        '[ruleset]\nformat = 1\nid = "national"\n',
        "[travel.comparisons]\n",
        'short = { against = "previous-period" }\n',
        'long = { against = "same-period-last-year" }\n',
        f"[exceptions]\nrules = [{', '.join(rules)}]\n",
    ]
    for n, (target, tolerance, higher) in enumerate(_targets()):
        polarity = "higher-is-better" if higher else "lower-is-better"
        lines.append(
            f'[[indicator]]\nid = "pi-{n}"\nunit = "percent"\npolarity = "{polarity}"\n'
            f'target = "{target}%"\ntolerance = {{ relative = "{tolerance * 100}%" }}\n'
        )
    return "".join(lines)


def national_csv(path: Path, rows: int) -> None:
    """Every authority's indicators, one row per indicator and quarter, earlier values alongside.

    Values are published to one decimal place with a % sign; one in fifty is `N/A`.
    """
    rng = random.Random(SEED)
    targets = _targets()
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("authority,indicator,period,value,previous,last_year\n")
        for n in range(rows):
            indicator = n % INDICATORS
            authority = (n // INDICATORS) % AUTHORITIES
            quarter = (n // (INDICATORS * AUTHORITIES)) % 4 + 1
            centre = targets[indicator][0]
            value, previous, last_year = (_published(rng, centre) for _ in range(3))
            out.write(
                f"E{authority:08d},pi-{indicator},2020/21 Q{quarter},"
                f"{value},{previous},{last_year}\n"
            )


def _published(rng: random.Random, centre: Decimal) -> str:
    """A value as a council publishes it: one decimal place and a % sign, or N/A."""
    if rng.random() < 0.02:
        return "N/A"
    return f"{centre + Decimal(rng.randint(-150, 150)) / 10}%"


def national_baseline(source: Path, target: Path) -> list[str]:
    """Read, rate, compare with both earlier values, select exceptions, write JSON lines.

    Returns the statuses, for the agreement check.
    """
    thresholds = {}
    for n, (goal, tolerance, higher) in enumerate(_targets()):
        margin = goal * tolerance
        thresholds[f"pi-{n}"] = (higher, goal, goal - margin if higher else goal + margin)
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    statuses = []

    def number(text: str) -> Decimal | None:
        return None if text == "N/A" else Decimal(text.rstrip("%"))

    def judge(now: Decimal, then: Decimal | None, higher: bool) -> str | None:
        if then is None:
            return None
        if now == then:
            return "unchanged"
        return "improving" if (now > then) == higher else "worsening"

    with source.open(encoding="utf-8", newline="") as data, target.open("w") as out:
        reader = csv.reader(data)
        next(reader)
        for row, (authority, indicator, period, text, previous, last_year) in enumerate(
            reader, start=2
        ):
            higher, value_target, floor = thresholds[indicator]
            value = number(text)
            if value is None:
                status, short, long = "no-data", None, None
            else:
                if higher:
                    status = (
                        "green" if value >= value_target else "amber" if value >= floor else "red"
                    )
                else:
                    status = (
                        "green" if value <= value_target else "amber" if value <= floor else "red"
                    )
                short = judge(value, number(previous), higher)
                long = judge(value, number(last_year), higher)
            exception = status == "red" or (status == "amber" and short == "worsening")
            statuses.append(status)
            out.write(
                encode(
                    {
                        "row": row,
                        "indicator": indicator,
                        "period": period,
                        "status": status,
                        "value": text,
                        "travel": {"short": short, "long": long},
                        "exception": exception,
                        "columns": {"authority": authority},
                    }
                )
            )
            out.write("\n")
    return statuses


def history_rows(rows: int) -> list[dict[str, str]]:
    """One authority's indicators over many quarters: the latest is the report, the rest history."""
    rng = random.Random(SEED)
    targets = _targets()
    quarters = max(rows // INDICATORS, 1)
    found = []
    for step in range(quarters):
        year, quarter = divmod(step, 4)
        for indicator in range(INDICATORS):
            found.append(
                {
                    "indicator": f"pi-{indicator}",
                    "period": f"{1900 + year}/{(1901 + year) % 100:02d} Q{quarter + 1}",
                    "value": _published(rng, targets[indicator][0]),
                }
            )
    return found[:rows]


def national_baseline_same_output(source: Path, target: Path) -> None:
    """The end-to-end workload by hand, writing byte for byte what ragrules writes.

    The fair baseline (issue 16): every field of every line (reasons, bounds, travel, exception
    reasons) as `ragrules rate --stream` writes it, with everything that is the same for an
    indicator precomputed, and each value text's rating (status, reason, edges, fragile
    readings) worked out once per indicator, as a developer writing this one pipeline for
    speed would (published values repeat).
    """
    dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    short, long = "short", "long"

    def shown(value: Decimal) -> str:
        if value == value.to_integral_value():
            return str(value.quantize(Decimal(1)))
        return format(value.normalize(), "f")

    indicators = {}
    for n, (goal, tolerance, higher) in enumerate(_targets()):
        margin = goal * tolerance
        floor = goal - margin if higher else goal + margin
        sign = ">=" if higher else "<="
        bounds: list[dict[str, object]] = [
            {"status": "green", "lower": shown(goal), "upper": None},
            {"status": "amber", "lower": shown(floor), "upper": None},
            {"status": "red", "lower": None, "upper": None},
        ]
        if not higher:
            for bound in bounds:
                bound["lower"], bound["upper"] = None, bound["lower"]
        for bound, condition in zip(
            bounds,
            (f"value {sign} {shown(goal)}", f"value {sign} {shown(floor)}", "any value"),
            strict=True,
        ):
            bound.update(inclusive=True, multiplier="1", condition=condition)
        polarity = "higher-is-better" if higher else "lower-is-better"
        # The tolerance read as points (the reading audit knows): another floor.
        points = tolerance * 100
        indicators[f"pi-{n}"] = (
            higher,
            goal,
            floor,
            goal - points if higher else goal + points,
            sign,
            f'{{"indicator": "pi-{n}", "title": "", "unit": "percent", "polarity": "{polarity}", '
            '"area": null, "breakdown": {}, "period": ',
            f'"target": "{shown(goal)}", "target_source": "ruleset", '
            f'"tolerance": "{tolerance * 100}%", '
            f'"stretch": null, "bounds": {dumps(bounds)}, ',
            shown(floor),
        )
    glyph = {"up": "↑", "down": "↓", "unchanged": "→"}

    def edge(up: bool, status: str, better: bool, at: Decimal, value: Decimal) -> dict[str, object]:
        away = shown(abs(at - value))
        if better:
            words = f"{status} needs {shown(at)}, {away} {'more' if up else 'less'}"
        else:
            moved = away if at != value else "any amount"  # on the edge: any move past it
            words = f"falls to {status} {'above' if up else 'below'} {shown(at)} ({moved} "
            words += f"{'higher' if up else 'lower'})"
        return {
            "direction": "up" if up else "down",
            "status": status,
            "better": better,
            "at": shown(at),
            "included": better,  # a better band starts at its edge; a worse one past it
            "distance": away,
            "exact": True,
            "words": words,
        }

    def band_edges(
        value: Decimal, status: str, goal: Decimal, floor: Decimal, higher: bool
    ) -> list[dict[str, object]]:
        """The edges up and down: better the way the polarity says, worse the other."""
        better_up = higher
        found = {
            "green": [(not better_up, "amber", False, goal)],
            "amber": [(better_up, "green", True, goal), (not better_up, "red", False, floor)],
            "red": [(better_up, "amber", True, floor)],
        }[status]
        found.sort(key=lambda e: not e[0])  # up first
        return [edge(up, name, better, at, value) for up, name, better, at in found]

    def status_of(value: Decimal, goal: Decimal, floor: Decimal, higher: bool, worse: bool) -> str:
        def reaches(bound: Decimal) -> bool:
            if worse:  # a value on a boundary goes to the worse band
                return value > bound if higher else value < bound
            return value >= bound if higher else value <= bound

        return "green" if reaches(goal) else "amber" if reaches(floor) else "red"

    def readings(
        value: Decimal, status: str, goal: Decimal, floor: Decimal, points: Decimal, higher: bool
    ) -> list[str]:
        """The readings audit knows that would rate the value otherwise (the tolerance is
        relative, and values have one decimal place: two readings cannot change it)."""
        whole = value.quantize(Decimal(1), rounding=decimal.ROUND_HALF_UP)
        found = []
        if status_of(value, goal, points, higher, False) != status:
            found.append("tolerance read as points in the indicator's unit (absolute)")
        if status_of(value, goal, floor, higher, True) != status:
            found.append("values on a boundary go to the worse band")
        if status_of(whole, goal, floor, higher, False) != status:
            found.append("values rounded to whole numbers before rating")
        return found

    def movement(
        name: str, against: str, when: str, now: Decimal | None, text: str, higher: bool
    ) -> tuple[str, str | None]:
        head = f'{{"comparison": "{name}", "against": "{against}", '
        if now is None:
            return (
                head + '"period": null, "earlier": null, "earlier_text": "", '
                '"direction": "not-comparable", "judgement": null, "arrow": "-", '
                '"reason": "there is no current value", "earlier_judgements": []}',
                None,
            )
        if text == "N/A":
            return (
                head + f'"period": "{when}", "earlier": null, "earlier_text": "", '
                '"direction": "not-comparable", "judgement": null, "arrow": "-", '
                f'"reason": "no comparable value for {when} (no data: published as \'N/A\')", '
                '"earlier_judgements": []}',
                None,
            )
        then = Decimal(text[:-1])
        moved = "unchanged" if now == then else "up" if now > then else "down"
        judgement = (
            "unchanged"
            if moved == "unchanged"
            else "improving"
            if (moved == "up") == higher
            else "worsening"
        )
        return (
            head
            + f'"period": "{when}", "earlier": "{shown(then)}", "earlier_text": {dumps(text)}, '
            f'"direction": "{moved}", "judgement": "{judgement}", "arrow": "{glyph[moved]}", '
            '"reason": "", "earlier_judgements": []}',
            judgement,
        )

    def rate(indicator: str, text: str) -> tuple[str, str, Decimal | None]:
        """A value text's rating fragment, status and number (the same for every row of the
        indicator with that text: worked out once, as ragrules does)."""
        higher, goal, floor, points_floor, sign, _, fixed, floor_text = indicators[indicator]
        if text == "N/A":
            value = None
            rating = (
                '"status": "no-data", "rated": false, "unrated": "no-data", '
                '"reason": "no data: published as \'N/A\'", "value": null, '
                '"value_text": "N/A", "unrounded": null, "target": null, '
                '"target_source": null, "tolerance": null, "stretch": null, "bounds": [], '
                '"band": null, "edges": [], "fragile": [], '
            )
            status = "no-data"
        else:
            value = Decimal(text[:-1])
            number = shown(value)
            meets_goal = value >= goal if higher else value <= goal
            meets_floor = value >= floor if higher else value <= floor
            if meets_goal:
                status, band, reason = (
                    "green",
                    0,
                    f"green: {number} meets value {sign} {shown(goal)}",
                )
            elif meets_floor:
                status, band, reason = (
                    "amber",
                    1,
                    f"amber: {number} meets value {sign} {floor_text}",
                )
            else:
                status, band = "red", 2
                reason = f"red: {number} does not reach amber (value {sign} {floor_text})"
            edges = dumps(band_edges(value, status, goal, floor, higher))
            fragile = dumps(readings(value, status, goal, floor, points_floor, higher))
            rating = (
                f'"status": "{status}", "rated": true, "unrated": null, "reason": "{reason}", '
                f'"value": "{number}", "value_text": {dumps(text)}, "unrounded": "{number}", '
                f'{fixed}"band": {band}, "edges": {edges}, "fragile": {fragile}, '
            )
        return rating, status, value

    rated: dict[tuple[str, str], tuple[str, str, Decimal | None]] = {}

    with (
        source.open(encoding="utf-8", newline="") as data,
        target.open("w", encoding="utf-8") as out,
    ):
        reader = csv.reader(data)
        next(reader)
        for row, (authority, indicator, period, text, previous, last_year) in enumerate(
            reader, start=2
        ):
            higher, head = indicators[indicator][0], indicators[indicator][5]
            year, quarter = period.split(" Q")
            start = int(year[:4])
            before = (
                f"{start - 1}/{str(start)[2:]} Q4"
                if quarter == "1"
                else f"{year} Q{int(quarter) - 1}"
            )
            last = f"{start - 1}/{str(start)[2:]} Q{quarter}"
            found = rated.get((indicator, text))
            if found is None:
                found = rated[(indicator, text)] = rate(indicator, text)
            rating, status, value = found
            first, short_judgement = movement(
                short, "previous-period", before, value, previous, higher
            )
            second, _ = movement(long, "same-period-last-year", last, value, last_year, higher)
            reasons = (
                ["status red"]
                if status == "red"
                else ["status amber and worsening on short"]
                if status == "amber" and short_judgement == "worsening"
                else []
            )
            out.write(
                f'{head}"{period}", "row": {row}, {rating}"interval": null, "rank": null, '
                f'"travel": [{first}, {second}], "commentary": "", "caveat": "", "flag": "", '
                f'"columns": {{"authority": "{authority}"}}, '
                f'"exception_reasons": {dumps(reasons)}}}\n'
            )
