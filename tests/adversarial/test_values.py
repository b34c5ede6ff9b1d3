"""Hostile value, period and unit text: linear-time reading, and only ASCII digits are digits."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.formats.loading import _parsing
from ragrules.model import numbers, periods, units
from ragrules.model.observations import MAX_VALUE_LENGTH, read_value

RULESET = """
[ruleset]
format = 1
id = "values"

[[indicator]]
id = "share"
title = "Share"
unit = "percent"
polarity = "higher-is-better"
target = "85%"
tolerance = { absolute = "5%" }
"""

# Texts that drive a backtracking pattern to its worst case: long runs a quantifier may
# split in many ways, ended by something that makes the whole match fail.
HOSTILE = (
    "1" + " " * 996 + "a\nb",
    " " * 998 + "x",
    "1" + "\t " * 499 + "\n",
    "<" + " " * 499 + "£" + " " * 490 + "x",
    "1,000" * 199 + "x",
    "1" * 990 + "e+" + "1" * 6,
    "ytd " * 249 + "x",
    "2020" + " " * 990 + "/",
    "per " * 249 + "!",
    "q1 " * 330 + "x",
    ("a" * 499 + " ") * 2,
)
# Every reader of text from a data file or a ruleset that runs a pattern.
READERS: dict[str, Callable[[str], object]] = {
    "split_value": numbers.split_value,
    "parse_decimal": numbers.parse_decimal,
    "parse_period": periods.parse_period,
    "canonical_unit": units.canonical_unit,
    "read_value": lambda text: read_value(text, "percent"),
}
# A generous ceiling, far above linear cost (microseconds) and far below what the cubic
# pattern took (2.6 s on the first text): it catches a backtracking blow-up, not a slowdown.
# CPU time, not the wall's: a busy machine must not trip it.
CEILING_SECONDS = 0.25


def _seconds(reader: Callable[[str], object], text: str) -> float:
    start = time.process_time()
    with contextlib.suppress(ValueError, ragrules.RagrulesError):
        reader(text)  # refusing the text is fine: only the time matters here
    return time.process_time() - start


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("name", list(READERS))
def test_hostile_text_is_read_in_linear_time(name: str, text: str) -> None:
    units.canonical_unit.cache_clear()
    periods._parse_period.cache_clear()
    assert _seconds(READERS[name], text) < CEILING_SECONDS


def test_twenty_hostile_rows_rate_quickly() -> None:
    ruleset = ragrules.loads(RULESET)
    rows = [
        {"indicator": "share", "period": f"{2000 + i}/{1 + i:02d}", "value": HOSTILE[0]}
        for i in range(20)
    ]
    start = time.process_time()
    report = ruleset.rate(rows)
    assert time.process_time() - start < 4 * CEILING_SECONDS
    assert report.results[0].status == "invalid"


def _module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern a module of the reading edge keeps at module level."""
    found = []
    for module in (numbers, periods, units, _parsing):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.append((f"{module.__name__}.{name}", value))
            elif isinstance(value, tuple):
                found.extend(
                    (f"{module.__name__}.{name}[{i}]", item[1])
                    for i, item in enumerate(value)
                    if isinstance(item, tuple) and isinstance(item[-1], re.Pattern)
                )
    return found


@pytest.mark.parametrize(("name", "pattern"), _module_patterns())
def test_every_pattern_matches_hostile_text_in_linear_time(
    name: str, pattern: re.Pattern[str]
) -> None:
    for text in HOSTILE:
        for run in (pattern.match, pattern.fullmatch, pattern.search):
            start = time.process_time()
            run(text * 4)  # 4,000 characters: a quadratic pattern would show it
            assert time.process_time() - start < CEILING_SECONDS, (name, text[:10])


@pytest.mark.parametrize(
    "text",
    ["\u09ea5", "\u09ee\u09eb%", "\u0668\u0665", "\uff18\uff15", "4\u0665", "85\u0968"],
    ids=["bengali", "b2", "ar", "fw", "mix", "dev"],
)
def test_only_ascii_digits_are_digits(text: str) -> None:
    report = ragrules.loads(RULESET).rate(
        [{"indicator": "share", "period": "2020/21", "value": text}]
    )
    result = report.results[0]
    assert result.status == "invalid"
    assert "not an ASCII digit" in result.reason


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=1, max_size=6))
def test_no_foreign_digit_string_is_a_number(text: str) -> None:
    if text.isascii():
        assert numbers.parse_decimal(text) == int(text)
        return
    with pytest.raises(numbers.NumberError):
        numbers.parse_decimal(text)
    with pytest.raises(numbers.NumberError, match="ASCII"):
        numbers.split_value(text)


def test_a_superscript_is_an_unknown_unit_not_a_digit() -> None:
    reading = read_value("45\u00b2", "percent")
    assert reading.number is None
    assert "unknown unit" in reading.reason


def test_a_foreign_digit_is_never_a_period() -> None:
    with pytest.raises(periods.PeriodError):
        periods.parse_period("২০২০/21")


def test_values_at_the_length_limit_are_refused_with_a_reason() -> None:
    text = "1" + " " * MAX_VALUE_LENGTH
    reading = read_value(text, "percent")
    assert reading.number is None
    assert f"over {MAX_VALUE_LENGTH:,} characters" in reading.reason


def test_a_long_period_is_refused_without_echoing_it() -> None:
    with pytest.raises(periods.PeriodError) as caught:
        periods.parse_period("2020/21 " + "x" * 10_000)
    assert len(str(caught.value)) < 200
