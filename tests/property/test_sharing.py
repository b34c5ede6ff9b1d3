"""Laws of shared rulesets: inheritance and the canonical round trip (DESIGN.md section 6)."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import ragrules
from ragrules import testing
from ragrules.engine.canonical import canonical_toml, fingerprint
from ragrules.engine.ruleset import Ruleset
from ragrules.output import to_json


@given(testing.rulesets())
def test_round_trip(ruleset: Ruleset) -> None:
    """9. Round-trip: a loaded ruleset written back to TOML and reloaded is equal and has the
    same fingerprint."""
    loaded = ragrules.loads(canonical_toml(ruleset))
    again = ragrules.loads(canonical_toml(loaded))
    assert again == loaded
    assert fingerprint(again) == fingerprint(loaded)
    assert canonical_toml(again) == canonical_toml(loaded)


# (an indicator's unit, another unit its amounts may be written in): conversions that do not
# terminate (a day is 1/7 of a week, an hour 1/24 of a day), ones that do, and ones that can
# leave the range a ruleset may write (10^60 GBP thousand is 10^63 GBP).
CONVERTIBLE = [
    ("week", "day"),
    ("week", "hour"),
    ("day", "hour"),
    ("day", "week"),
    ("GBP", "thousand_GBP"),
    ("thousand_GBP", "GBP"),
    ("thousand_GBP", "million_GBP"),
    ("per_10000", "per_1000"),
    ("per_1000", "per_100000"),
]


def _amounts(*, negative: bool = False) -> SearchStrategy[Decimal]:
    """Amounts with up to four places, and some close to 10^60 (`7.5E+58`)."""
    low = -10_000 if negative else 0
    ordinary = st.integers(min_value=0, max_value=4).flatmap(
        lambda places: st.decimals(min_value=low, max_value=10_000, places=places)
    )
    large = st.builds(
        lambda digits, exponent: Decimal(digits).scaleb(exponent),
        st.integers(min_value=-999 if negative else 1, max_value=999),
        st.integers(min_value=50, max_value=58),
    )
    return st.one_of(ordinary, large)


@st.composite
def _rulesets_in_other_units(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A ruleset's TOML whose target and absolute margins are each written in the
    indicator's unit or in another it converts from, and values to rate, likewise."""
    unit, other = draw(st.sampled_from(CONVERTIBLE))

    def written(amount: Decimal) -> str:
        return f"{amount} {draw(st.sampled_from((unit, other)))}"

    def margin() -> str:
        if draw(st.booleans()):
            return f'{{ relative = "{draw(st.integers(min_value=0, max_value=50))}%" }}'
        return f'{{ absolute = "{written(draw(_amounts()))}" }}'

    target = written(draw(_amounts(negative=True)))
    scale = draw(st.sampled_from(("rag", "brag")))
    lines = [
        "[ruleset]",
        "format = 1",
        'id = "units"',
        "[[indicator]]",
        'id = "pi"',
        f'unit = "{unit}"',
        f'polarity = "{draw(st.sampled_from(("higher-is-better", "lower-is-better")))}"',
        f'scale = "{scale}"',
        f'target = "{target}"',
        f"tolerance = {margin()}",
        *([f"stretch = {margin()}"] if scale == "brag" else []),
        *([f"unchanged-within = {margin()}"] if draw(st.booleans()) else []),
    ]
    values = [target, *draw(st.lists(_amounts(negative=True).map(written), max_size=5))]
    return "\n".join(lines) + "\n", values


def _status(ruleset: Ruleset, value: str) -> str | None:
    try:
        return ruleset.rate_value("pi", value).status
    except ValueError as refused:  # a value out of range, in both rulesets alike
        return str(refused)


@given(_rulesets_in_other_units())
def test_round_trip_of_amounts_written_in_another_unit(case: tuple[str, list[str]]) -> None:
    """9. Round-trip, for targets and margins written in another unit than the indicator's
    (`target = "10 days"` for a weeks indicator): the canonical form loads again, equal,
    with the same fingerprint, and rates every value as the ruleset it was written from,
    also where the conversion does not terminate (1.428571... weeks, rounded at the 240th
    digit) or leaves the range of the numbers a ruleset may write."""
    text, values = case
    loaded = ragrules.loads(text)
    again = ragrules.loads(canonical_toml(loaded))
    assert again == loaded
    assert fingerprint(again) == fingerprint(loaded)
    assert canonical_toml(again) == canonical_toml(loaded)
    for value in values:
        assert _status(again, value) == _status(loaded, value), value


@given(testing.rulesets().flatmap(lambda r: testing.observations(r).map(lambda o: (r, o))))
def test_extending_without_overrides_rates_like_the_base(
    case: tuple[Ruleset, list[dict[str, object]]],
) -> None:
    """8. Inheritance: a ruleset that extends a base and overrides nothing rates like the base."""
    ruleset, rows = case
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.toml"
        base.write_text(canonical_toml(ruleset), encoding="utf-8")
        # The child states only its identity (the base's, here) and what it extends.
        child = ragrules.loads(
            f"[ruleset]\nformat = 1\nid = {json.dumps(ruleset.id)}\n"
            f"title = {json.dumps(ruleset.title)}\nversion = {json.dumps(ruleset.version)}\n"
            'extends = "base.toml"\n',
            directory=folder,
        )
        parent = ragrules.load(base)
    assert child == parent
    assert to_json(child.rate(rows)) == to_json(parent.rate(rows))
