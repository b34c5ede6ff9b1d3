"""The canonical form (`show --toml`): amounts whose conversion into the indicator's unit does
not fit the digits a ruleset may write load again and rate as the original."""

from __future__ import annotations

from pathlib import Path

import pytest

import ragrules
from ragrules.cli import main

INEXACT = """\
[ruleset]
format = 1
id = "x"
[[indicator]]
id = "a"
unit = "weeks"
polarity = "higher-is-better"
target = "10 days"
tolerance = { absolute = "1 day" }
"""

VALUES = [
    "10 days",
    "9 days",
    "8.9 days",
    "11 days",
    "1.4",
    "1.43",
    "1.285714",
    "1.285715",
    "240 hours",
]


def _rates_alike(first: ragrules.Ruleset, second: ragrules.Ruleset, values: list[str]) -> None:
    # (Statuses, not whole reports: a margin's text as written, shown in reports, is no
    # part of what it means, and the canonical form writes `1 day` for `1 days`.)
    for indicator in first.indicators:
        for value in values:
            expected = first.rate_value(indicator.id, value).status
            assert second.rate_value(indicator.id, value).status == expected, (indicator, value)


def test_show_toml_writes_an_inexact_conversion_in_the_unit_that_states_it_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """10 days in weeks (1.428571... to 240 digits) is written `10 day`: the canonical form
    passes `check`, loads to an equal ruleset and rates every value as the original."""
    source = tmp_path / "inexact.toml"
    source.write_text(INEXACT, encoding="utf-8")
    assert main(["show", str(source), "--toml"]) == 0
    canonical = capsys.readouterr().out
    assert 'target = "10 day"' in canonical
    assert 'tolerance = { absolute = "1 day" }' in canonical
    written = tmp_path / "canonical.toml"
    written.write_text(canonical, encoding="utf-8")
    assert main(["check", str(written)]) == 0
    original, again = ragrules.load(source), ragrules.loads(canonical)
    assert again == original
    assert again.fingerprint == original.fingerprint
    assert again.canonical_toml == canonical
    _rates_alike(original, again, VALUES)
    statuses = [again.rate_value("a", value).status for value in VALUES]
    # 9 days, 1.2857142857... weeks, is where amber starts.
    expected = ["green", "amber", "red", "green", "amber", "green", "red", "amber", "green"]
    assert statuses == expected


def test_the_fingerprint_depends_on_the_amount_not_on_how_it_is_written() -> None:
    """`240 hours` and `10 days` are the same target in weeks, with the same canonical form."""
    hours = ragrules.loads(INEXACT.replace('"10 days"', '"240 hours"'))
    days = ragrules.loads(INEXACT)
    assert hours == days
    assert hours.canonical_toml == days.canonical_toml


def test_an_exact_conversion_is_written_in_the_indicator_s_unit() -> None:
    """63 days in weeks is 9, written as before (ordinary rulesets keep their fingerprints)."""
    ruleset = ragrules.loads(INEXACT.replace('"10 days"', '"63 days"').replace("1 day", "14 days"))
    assert 'target = "9"' in ruleset.canonical_toml
    assert 'tolerance = { absolute = "2" }' in ruleset.canonical_toml


def test_every_amount_of_an_indicator_is_written_so_that_it_loads_back() -> None:
    """Range targets, two-sided margins, threshold ranges and `unchanged-within` too."""
    text = """\
[ruleset]
format = 1
id = "ranges"
[scales.expected-range]
bands = [
  { status = "green", from = "target" },
  { status = "amber", from = { threshold = "expected" } },
  { status = "red" },
]
[[indicator]]
id = "in-range"
unit = "weeks"
polarity = "in-range"
target = { lower = "10 days", upper = "20 days" }
tolerance = { below = { absolute = "1 day" }, above = { absolute = "5 hours" } }
unchanged-within = { absolute = "3 days" }
[[indicator]]
id = "expected"
unit = "day"
polarity = "in-range"
scale = "expected-range"
target = { lower = "1 week", upper = "2 weeks" }
thresholds = { expected = { lower = "5 hours", upper = "500 hours" } }
"""
    original = ragrules.loads(text)
    again = ragrules.loads(original.canonical_toml)
    assert again == original
    assert again.canonical_toml == original.canonical_toml
    assert 'upper = "500 hour"' in original.canonical_toml
    assert 'lower = "7"' in original.canonical_toml  # 1 week in days is exact
    _rates_alike(original, again, [*VALUES, "1", "7", "14", "20.8 days", "21 days"])


@pytest.mark.parametrize(
    ("unit", "target", "written"),
    [
        ("GBP", "1e60", "1E+60"),
        ("GBP", "-1.5e60", "-1.5E+60"),
        ("GBP", "1e60 thousand_GBP", "1E+60 thousand_GBP"),  # 10^63 GBP is out of range
        ("GBP", "9e59 thousand_GBP", f"9{'0' * 59} thousand_GBP"),
        ("weeks", "1e60 days", "1E+60 day"),
    ],
)
def test_an_amount_too_large_to_write_plainly_is_written_with_an_exponent(
    unit: str, target: str, written: str
) -> None:
    """Plain, 10^60 has 61 digits, more than a ruleset may write: it is written `1E+60`."""
    text = INEXACT.replace('"weeks"', f'"{unit}"').replace('"10 days"', f'"{target}"')
    original = ragrules.loads(text.replace('"1 day"', '"1"'))
    assert f'target = "{written}"' in original.canonical_toml
    again = ragrules.loads(original.canonical_toml)
    assert again == original
    assert again.canonical_toml == original.canonical_toml
    _rates_alike(original, again, ["1", target, "1e59", "-1e60"])
