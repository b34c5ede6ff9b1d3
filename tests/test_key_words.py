"""The key states each rule correctly in words: a value rated a status meets the key's line
for that status, whatever the bands before it take (fz12 F5 to F10)."""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from decimal import Decimal

from hypothesis import assume, example, given
from hypothesis import strategies as st

import ragrules

HEAD = '[ruleset]\nformat = 1\nid = "k"\n'


def _key(toml: str) -> list[str]:
    return [str(entry) for entry in ragrules.loads(HEAD + toml).rate([]).key.statuses]


def _status(toml: str, value: str) -> str:
    ruleset = ragrules.loads(HEAD + toml)
    return ruleset.rate([{"indicator": "x", "value": value}]).result("x").status


EITHER_SIDE = """
[scales.within-tolerance]
bands = [
  { status = "blue", from = { better-by = "tolerance" }, boundary = "worse" },
  { status = "green", from = "tolerance" },
  { status = "red" },
]
[[indicator]]
id = "x"
unit = "percent"
target = "80%"
tolerance = { relative = "10%" }
scale = "within-tolerance"
"""


def test_green_within_the_tolerance_either_side() -> None:
    """F5: 85 against a target of 80 is green; the key must not give green only below it."""
    assert _status(EITHER_SIDE, "85") == "green"
    assert _key(EITHER_SIDE) == [
        "Blue: Above the target by more than 10% of the target.",
        "Green: On the target, or above or below it by no more than 10% of the target.",
        "Red: Any other value.",
    ]
    lower = EITHER_SIDE.replace('target = "80%"', 'polarity = "lower-is-better"\ntarget = 22')
    lower = lower.replace('{ relative = "10%" }', "{ absolute = 3 }")
    assert _status(lower, "24") == "green"
    assert (
        _key(lower)[1]
        == "Green: On the target, or below or above it by no more than 3 percentage points."
    )


def test_either_side_with_a_stretch_beyond() -> None:
    """Blue from the stretch (at it, not beyond): green above the target stops short of it."""
    toml = EITHER_SIDE.replace('{ better-by = "tolerance" }, boundary = "worse"', '"stretch"')
    toml = toml.replace("scale =", 'stretch = { absolute = "5" }\nscale =')
    assert _key(toml)[1] == (
        "Green: On the target, above it by less than 5 percentage points, "
        "or below it by no more than 10% of the target."
    )


WORSE = """
[scales.corporater]
boundary = "worse"
bands = [
  { status = "green", from = "target" },
  { status = "amber", from = "tolerance" },
  { status = "red" },
]
[[indicator]]
id = "x"
unit = "percent"
target = "90%"
tolerance = { absolute = "5" }
scale = "corporater"
"""


def test_boundary_worse_puts_the_target_in_the_next_band() -> None:
    """F6: on the target is amber under `boundary = "worse"`, and the key says so."""
    assert _status(WORSE, "90") == "amber"
    assert _key(WORSE) == [
        "Green: Above the target.",
        "Amber: On the target, or below it by less than 5 percentage points.",
        "Red: Any other value.",
    ]
    lower = WORSE.replace('target = "90%"', 'polarity = "lower-is-better"\ntarget = "10%"')
    assert _status(lower, "10") == "amber"
    assert _key(lower)[:2] == [
        "Green: Below the target.",
        "Amber: On the target, or above it by less than 5 percentage points.",
    ]
    ranged = WORSE.replace(
        'target = "90%"', 'polarity = "in-range"\ntarget = { lower = "15%", upper = "20%" }'
    )
    assert _status(ranged, "15") == "amber"
    assert _key(ranged)[:2] == [
        "Green: Strictly within the target.",
        "Amber: On an end of the target, or outside it by less than 5 percentage points.",
    ]


def test_published_wording_is_kept() -> None:
    """The usual scales keep their words: amber below the target, green at or above it."""
    plain = WORSE.replace('boundary = "worse"\n', "")
    assert _key(plain)[:2] == [
        "Green: At or above the target.",
        "Amber: Below the target by no more than 5 percentage points.",
    ]
    amber_strict = plain.replace('from = "tolerance" }', 'from = "tolerance", boundary = "worse" }')
    assert _key(amber_strict)[1] == "Amber: Below the target by less than 5 percentage points."


RATIO = """
[scales.ratio]
bands = [
  { status = "super-green", from = { ratio = "110%" } },
  { status = "green", from = { ratio = "100%" } },
  { status = "red" },
]
[[indicator]]
id = "homes-delivered"
target = 80
scale = "ratio"
[[indicator]]
id = "x"
polarity = "lower-is-better"
target = 99
scale = "ratio"
"""


def test_ratio_scale_shared_by_both_polarities() -> None:
    """F7: 90 against 99, lower is better, is super-green: not at least 110% of the target."""
    assert _status(RATIO, "90") == "super-green"
    assert _key(RATIO)[0] == (
        "Super-green: At least 110% of the target if higher is better, "
        "or the target is at least 110% of the value if lower is better."
    )
    alone = RATIO.replace('id = "homes-delivered"\ntarget = 80\nscale = "ratio"\n', "")
    alone = alone.replace("[[indicator]]\n[[indicator]]", "[[indicator]]")
    assert _key(alone)[0] == "Super-green: The target is at least 110% of the value."


def test_explain_a_lower_is_better_ratio_band() -> None:
    """F9: the band starts at the target divided by 110%, not at 110% of the target."""
    ruleset = ragrules.loads(HEAD + RATIO)
    report = ruleset.rate([{"indicator": "x", "value": "90"}])
    text = str(report.explain("x"))
    assert "super-green from where the target is 110% of the value: value x 1.1 <= 99" in text
    assert "110% of the target" not in text
    higher = ruleset.rate([{"indicator": "homes-delivered", "value": "90"}])
    assert "super-green from 110% of the target: value >= 88" in str(
        higher.explain("homes-delivered")
    )


RANGE = """
[travel]
arrows = "judgement"
[travel.comparisons]
short = { against = "previous-period", label = "Short term" }
[[indicator]]
id = "x"
polarity = "in-range"
target = { lower = 15, upper = 20 }
tolerance = { absolute = 2 }
"""


def _arrow(toml: str) -> str:
    (arrow,) = ragrules.loads(HEAD + toml).rate([]).key.arrows
    return arrow.text


def test_judgement_arrows_mean_no_better_or_worse() -> None:
    """F8: 10 then 25 around a range of 15 to 20 is drawn unchanged: not "the same value"."""
    ruleset = ragrules.loads(HEAD + RANGE)
    rows = [
        {"indicator": "x", "period": "2024/25 Q1", "value": "10"},
        {"indicator": "x", "period": "2024/25 Q2", "value": "25"},
    ]
    (result,) = ruleset.rate(rows).results
    assert [move.arrow for move in result.travel] == ["\u2192"]
    assert (
        "\u2192 means no better or worse (the same value; for in-range indicators, also the "
        "same distance outside the range, inside it counting as none);" in _arrow(RANGE)
    )
    plain = RANGE.replace(
        'polarity = "in-range"\ntarget = { lower = 15, upper = 20 }', "target = 5"
    )
    assert "\u2192 means no better or worse (the same value); - means" in _arrow(plain)
    direction = plain.replace('arrows = "judgement"', 'arrows = "direction"')
    assert "\u2192 means the same value; - means" in _arrow(direction)


def test_a_margin_some_indicators_have_is_not_given_to_all() -> None:
    """F8: the in-range indicator needs the same value (or distance); the other has 0.5."""
    toml = RANGE + '[[indicator]]\nid = "y"\ntarget = 5\ntolerance = { absolute = 1 }\n'
    toml += "unchanged-within = { absolute = 0.5 }\n"
    assert (
        "\u2192 means no better or worse (the same value, or, where the indicator has a "
        "margin, a difference of no more than 0.5; for in-range indicators, also the same "
        "distance outside the range, inside it counting as none);" in _arrow(toml)
    )
    everyone = toml.replace(
        "{ absolute = 2 }", "{ absolute = 2 }\nunchanged-within = { absolute = 0.5 }"
    )
    assert (
        "(a difference of no more than 0.5; for in-range indicators, also the same distance "
        "outside the range, inside it counting as none, to within the margin);" in _arrow(everyone)
    )


def test_relative_tolerance_of_a_range_is_of_its_ends() -> None:
    """F10: 10% of a range from 10 to 20 is 1 below it and 2 above it."""
    toml = (
        '[[indicator]]\nid = "x"\npolarity = "in-range"\n'
        'target = { lower = 10, upper = 20 }\ntolerance = { relative = "10%" }\n'
    )
    assert _status(toml, "9") == "amber" and _status(toml, "22") == "amber"
    assert _key(toml)[1] == (
        "Amber: Outside the target by no more than 10% of the nearer end of the range."
    )
    point = toml.replace("{ lower = 10, upper = 20 }", "12")
    assert _key(point)[1] == "Amber: Outside the target by no more than 10% of the target."
    both = toml + '[[indicator]]\nid = "y"\ntarget = 40\ntolerance = { relative = "5%" }\n'
    assert _key(both)[1] == (
        "Amber: Worse than the target by no more than the indicator's tolerance "
        "(5% of the target or 10% of the nearer end of the range)."
    )


# -- every value rated a status meets the key's line for it -------------------------------


class _Rule:
    """The numbers of one generated indicator, to read its key's words back as a test."""

    def __init__(self, lower: Decimal, upper: Decimal) -> None:
        self.lower, self.upper = lower, upper

    def amounts(self, words: str) -> tuple[Decimal, Decimal]:
        """A margin in words as amounts below and above the target."""
        found = re.fullmatch(r"(\d+)% of the (target|nearer end of the range)", words)
        if found:
            share = Decimal(found.group(1)) / 100
            return share * abs(self.lower), share * abs(self.upper)
        return Decimal(words), Decimal(words)

    def holds(self, line: str, value: Decimal) -> bool:
        text = line.split(": ", 1)[1].rstrip(".")
        text = text[:1].lower() + text[1:]
        # Exactly, as the library decides: 28 digits would round 0.9 x 2.22...2 up to 2.
        with decimal.localcontext(decimal.Context(prec=200)):
            return any(self._alternative(part, value) for part in re.split(r",(?: or)? ", text))

    def _alternative(self, part: str, v: Decimal) -> bool:
        low, high = self.lower, self.upper
        if part == "any other value":
            return True
        if part in ("on the target", "on an end of the target"):
            return v in (low, high)
        plain: dict[str, Callable[[], bool]] = {
            "at or above the target": lambda: v >= low,
            "above the target": lambda: v > low,
            "at or below the target": lambda: v <= low,
            "below the target": lambda: v < low,
            "within the target": lambda: low <= v <= high,
            "strictly within the target": lambda: low < v < high,
        }
        if part in plain:
            return plain[part]()
        ratio = re.fullmatch(
            r"(the target is )?(at least|more than) (\d+)% of the (target|value)", part
        )
        if ratio:
            share = Decimal(ratio.group(3)) / 100
            if ratio.group(1):
                return v * share <= low if ratio.group(2) == "at least" else v * share < low
            return v >= share * low if ratio.group(2) == "at least" else v > share * low
        moved = re.fullmatch(
            r"(above|below|outside|inside|above or below|below or above) (?:the target|it) by "
            r"(no more than|less than|more than|at least) (.+)",
            part,
        )
        assert moved, f"unknown words: {part!r}"
        side, limit, margin = moved.groups()
        below, above = self.amounts(margin)
        if side == "outside":
            distance, allowed = (low - v, below) if v < low else (v - high, above)
            if distance <= 0:
                return False
        elif side in ("above or below", "below or above"):
            distance, allowed = abs(v - low), below
        else:
            distance, allowed = (v - low, above) if side == "above" else (low - v, below)
            # "By at least 0" includes the target itself; "by no more than" says which side.
            if distance <= 0 and limit in ("no more than", "less than"):
                return False
        return {
            "no more than": distance <= allowed,
            "less than": distance < allowed,
            "more than": distance > allowed,
            "at least": distance >= allowed,
        }[limit]


def _margin_toml(kind: str, amount: int) -> str:
    return f'{{ relative = "{amount}%" }}' if kind == "relative" else f"{{ absolute = {amount} }}"


STARTS = {
    "target": '"target"',
    "tolerance": '"tolerance"',
    "worse-by-stretch": '{ worse-by = "stretch" }',
    "worse-by-fixed": '{ worse-by = { relative = "5%" } }',
    "better-by-tolerance": '{ better-by = "tolerance" }',
    "stretch": '"stretch"',
    "ratio": "RATIO",
}


@given(
    polarity=st.sampled_from(["higher-is-better", "lower-is-better", "in-range"]),
    lower=st.integers(-20, 60),
    width=st.integers(0, 15),
    tolerance=st.tuples(st.sampled_from(["relative", "absolute"]), st.integers(0, 30)),
    stretch=st.tuples(st.sampled_from(["relative", "absolute"]), st.integers(0, 30)),
    starts=st.lists(st.sampled_from(sorted(STARTS)), min_size=1, max_size=4, unique=True),
    ratios=st.lists(st.sampled_from([80, 90, 100, 110, 125]), min_size=4, max_size=4),
    worse=st.lists(st.booleans(), min_size=4, max_size=4),
)
@example(  # 0.9 x 2.22...2 (28 digits) is just under 2: the check itself must be exact
    polarity="lower-is-better",
    lower=2,
    width=0,
    tolerance=("relative", 0),
    stretch=("relative", 0),
    starts=["ratio"],
    ratios=[90, 80, 80, 80],
    worse=[True, False, False, False],
)
def test_every_rated_value_meets_its_key_line(
    polarity: str,
    lower: int,
    width: int,
    tolerance: tuple[str, int],
    stretch: tuple[str, int],
    starts: list[str],
    ratios: list[int],
    worse: list[bool],
) -> None:
    """For a generated one-indicator ruleset, each value near a band's edge is rated a
    status whose key line it satisfies (the key may say more, never less)."""
    ranged = polarity == "in-range"
    if ranged:
        starts = [s for s in starts if not s.startswith(("better", "stretch", "ratio"))]
        upper = lower + width
        target = f"{{ lower = {lower}, upper = {upper} }}"
    else:
        upper = lower
        target = str(lower)
    assume(starts and ("ratio" not in starts or lower > 0))
    bands = []
    for n, start in enumerate(starts):
        where = STARTS[start].replace("RATIO", f'{{ ratio = "{ratios[n]}%" }}')
        edge = ', boundary = "worse"' if worse[n] else ""
        bands.append(f'{{ status = "s{n}", from = {where}{edge} }}')
    toml = (
        "[scales.g]\nbands = [" + ", ".join([*bands, '{ status = "last" }']) + "]\n"
        f'[[indicator]]\nid = "x"\npolarity = "{polarity}"\ntarget = {target}\nscale = "g"\n'
        f"tolerance = {_margin_toml(*tolerance)}\nstretch = {_margin_toml(*stretch)}\n"
    )
    try:
        ruleset = ragrules.loads(HEAD + toml)
    except ragrules.RulesetError:
        assume(False)  # bands out of order: some band can never be reached
        raise
    points = {Decimal(lower), Decimal(upper)}
    for amount in (tolerance[1], stretch[1], 5):
        for end in (Decimal(lower), Decimal(upper)):
            points |= {end + amount, end - amount, end + abs(end) * amount / 100}
            points |= {end - abs(end) * amount / 100}
    points |= {Decimal(lower) * r / 100 for r in ratios} | {
        Decimal(lower) * 100 / r for r in ratios
    }
    values = sorted(
        {p + d for p in points for d in (Decimal(0), Decimal("0.01"), Decimal("-0.01"))}
    )
    rows = [{"indicator": "x", "value": str(v), "area": f"A{n}"} for n, v in enumerate(values)]
    report = ruleset.rate(rows)
    lines = {entry.label.lower(): str(entry) for entry in report.key.statuses}
    rule = _Rule(Decimal(lower), Decimal(upper))
    for result in report.results:
        if result.unrated is None:
            assert result.value is not None
            line = lines[result.status]
            assert rule.holds(line, result.value), (line, str(result.value), toml)


def test_the_tolerance_column_says_a_range_margin_is_of_its_nearer_end() -> None:
    """The listed margins say what the key says: a relative tolerance on a range target is
    a share of the nearer end (10% of 10 below the range, 10% of 20 above it)."""
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n'
        '[[indicator]]\nid = "caseload"\npolarity = "in-range"\n'
        'target = { lower = 10, upper = 20 }\ntolerance = { relative = "10%" }\n'
        '[[indicator]]\nid = "visits"\ntarget = 50\ntolerance = { relative = "5%" }\n'
    )
    report = rules.rate(
        [
            {"indicator": "caseload", "period": "2020", "value": "21"},
            {"indicator": "visits", "period": "2020", "value": "48"},
        ]
    )
    assert report.result("caseload").status == "amber"  # within 2 (10% of 20) above
    markdown = ragrules.output.render(report, "markdown")
    assert "| caseload | 21 | 10-20 | 10% of the nearer end of the range | amber |" in markdown
    assert "| visits | 48 | 50 | 5% of the target | amber |" in markdown
