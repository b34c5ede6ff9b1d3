"""Fuzzing the entry points: whatever the input, only ragrules' own errors escape.

A short budget runs in CI; `HYPOTHESIS_PROFILE=fuzz` (see conftest) runs a long one offline.
"""

from __future__ import annotations

import contextlib
import json

from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.data import parse_csv, parse_json
from ragrules.model.numbers import NumberError, split_value
from ragrules.model.periods import PeriodError, parse_period

KEYS = st.sampled_from(
    [
        "ruleset",
        "format",
        "id",
        "indicator",
        "target",
        "tolerance",
        "relative",
        "absolute",
        "polarity",
        "unit",
        "scale",
        "scales",
        "bands",
        "from",
        "status",
        "travel",
        "comparisons",
        "against",
        "exceptions",
        "statuses",
        "rules",
        "extends",
        "defaults",
        "rounding",
        "places",
        "thresholds",
        "benchmark",
        "lower",
        "upper",
        "catalogue",
        "omit",
        "x",
    ]
)
SCALARS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.sampled_from(["5%", "26 weeks", "-1", "1e300", "", "neutral", "rag", "2020/21", "x", "<5"]),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _toml(value: object) -> str:
    """TOML text for a document of nested tables, written inline."""

    def scalar(item: object) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int):
            return str(item)
        if isinstance(item, dict):
            return (
                "{ " + ", ".join(f"{json.dumps(k)} = {scalar(v)}" for k, v in item.items()) + " }"
            )
        if isinstance(item, list):
            return "[" + ", ".join(scalar(v) for v in item) + "]"
        return json.dumps(item)

    assert isinstance(value, dict)
    return "\n".join(f"{json.dumps(k)} = {scalar(v)}" for k, v in value.items()) + "\n"


@given(st.dictionaries(KEYS, VALUES, max_size=6))
def test_loader_raises_only_ruleset_errors(document: dict[str, object]) -> None:
    """Any TOML document loads or raises RulesetError."""
    with contextlib.suppress(ragrules.RulesetError):
        ragrules.loads(_toml(document))


@given(st.text(max_size=300))
def test_loader_on_arbitrary_text(text: str) -> None:
    """Arbitrary text loads or raises RulesetError."""
    with contextlib.suppress(ragrules.RulesetError):
        ragrules.loads(text + "\n")


@given(st.text(max_size=400), st.sampled_from([None, ",", "\t", ";"]))
def test_csv_reader_raises_only_data_errors(text: str, delimiter: str | None) -> None:
    """Any text is read as CSV or raises DataError, and rating what it read never fails."""
    try:
        rows = parse_csv(text, delimiter=delimiter)
    except ragrules.DataError:
        return
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "f"\n[[indicator]]\nid = "a"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n"
    )
    report = ruleset.rate(rows)
    assert len(report.results) == 1


@given(st.text(max_size=300))
def test_json_reader_raises_only_data_errors(text: str) -> None:
    """Any text is read as JSON or raises DataError."""
    with contextlib.suppress(ragrules.DataError):
        parse_json(text)


@given(st.text(max_size=60))
def test_value_and_period_parsers(text: str) -> None:
    """Published values and periods parse or raise the parsers' own errors."""
    with contextlib.suppress(NumberError):
        split_value(text)
    with contextlib.suppress(PeriodError):
        parse_period(text)


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["indicator", "period", "value", "target", "caveat", "flag", "x"]),
            st.one_of(SCALARS, st.floats(allow_nan=True), st.none()),
            max_size=6,
        ),
        max_size=8,
    )
)
def test_rating_any_rows(rows: list[dict[str, object]]) -> None:
    """Rating any mappings, as a report or a stream, accounts for every row and raises nothing."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "f"\n'
        '[travel.comparisons]\ns = { against = "previous-period" }\n'
        '[[indicator]]\nid = "x"\ntarget = 1\ntolerance = { relative = "5%" }\n'
    )
    report = ruleset.rate(rows)
    accounted = (
        len([r for r in report.results if r.row]) + len(report.history) + len(report.rejected)
    )
    assert accounted == len(rows)
    # Streamed, each row is a line of its own: each yields its result or its rejection.
    assert {item.row for item in ruleset.iter_rate(rows)} == set(range(1, len(rows) + 1))
