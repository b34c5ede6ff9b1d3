"""Arrows, glyphs, travel words, data tokens and in-range threshold ranges with effective
dates: each row read, rated and drawn with the settings in force for its period."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.data import iter_csv
from ragrules.engine.canonical import canonical_toml
from ragrules.reports.compiled import rate_csv_stream
from ragrules.stream import write_stream
from ragrules.tools.audit import audit
from ragrules.tools.compare import rule_differences
from ragrules.tools.verify import _versions_in_force, check_invariants
from tests.conftest import EXAMPLES

RULES = EXAMPLES / "dated" / "reporting-changes.toml"
DATA = EXAMPLES / "dated" / "reporting-changes.csv"


Records = dict[tuple[str, str], dict[str, Any]]


def _records(ruleset: ragrules.Ruleset, rows: Iterable[Any]) -> Records:
    out = io.StringIO()
    write_stream(ruleset.iter_rate(rows), ruleset, out, "json")
    found = (json.loads(line) for line in out.getvalue().splitlines())
    return {(r["indicator"], r["period"]): r for r in found}


@pytest.fixture(scope="module")
def records() -> Records:
    return _records(ragrules.load(RULES), iter_csv(DATA))


def _move(record: dict[str, Any]) -> tuple[str, str]:
    (move,) = record["travel"]
    return move["arrow"], move["word"]


def test_tokens_are_read_with_the_periods_meaning(
    records: Records,
) -> None:
    # `x` was a suppressed value until 2021/22, "not available" from then.
    assert records["reviews-on-time", "2020/21 Q4"]["status"] == "suppressed"
    assert records["reviews-on-time", "2021/22 Q2"]["status"] == "no-data"
    # An earlier value is read with its own period's tokens.
    (move,) = records["reviews-on-time", "2021/22 Q1"]["travel"]
    assert "suppressed: published as 'x'" in move["reason"]


def test_arrows_glyphs_and_words_are_the_periods(
    records: Records,
) -> None:
    assert _move(records["reviews-on-time", "2020/21 Q3"]) == ("\u2191", "up")  # direction
    assert _move(records["bed-occupancy", "2021/22 Q1"]) == ("\u2192", "similar result")
    assert _move(records["bed-occupancy", "2021/22 Q2"]) == ("\u25b2", "increase")  # into range
    assert _move(records["bed-occupancy", "2021/22 Q3"]) == ("\u25bc", "increase")  # out of it


def test_threshold_ranges_are_the_periods(
    records: Records,
) -> None:
    # 81% is within the acceptable 80-95% until 2021/22, outside 82-94% from then.
    assert records["bed-occupancy", "2020/21 Q4"]["status"] == "amber"
    assert records["bed-occupancy", "2021/22 Q1"]["status"] == "red"


def test_every_path_writes_the_same_bytes() -> None:
    ruleset = ragrules.load(RULES)
    for fmt in ("json", "csv"):
        fast, slow = io.StringIO(), io.StringIO()
        rate_csv_stream(ruleset, DATA, fast, fmt)
        write_stream(ruleset.iter_rate(iter_csv(DATA)), ruleset, slow, fmt)
        assert fast.getvalue() == slow.getvalue()


def test_the_key_draws_the_report_periods_arrows() -> None:
    ruleset = ragrules.load(RULES)
    rows = list(iter_csv(DATA))
    now = ruleset.rate(rows)
    assert "improved (\u25b2) or worsened (\u25bc)" in str(now.key)
    before = ruleset.rate(rows, period="2020/21 Q3")
    assert "went up (\u2191) or down (\u2193)" in str(before.key)


def test_audit_reads_the_periods_glyphs() -> None:
    ruleset = ragrules.load(RULES)
    published = [
        {"indicator": "bed-occupancy", "period": "2021/22 Q1", "value": "81%"},
        {"indicator": "bed-occupancy", "period": "2021/22 Q2", "value": "89%"},
    ]
    good = [{**published[1], "published_short": "\u25b2"}]
    assert audit(ruleset, [published[0], *good]).mismatches == ()
    bad = [{**published[1], "published_short": "\u25bc"}]
    assert len(audit(ruleset, [published[0], *bad]).mismatches) == 1


def test_canonical_toml_and_diff_keep_the_dates() -> None:
    ruleset = ragrules.load(RULES)
    again = ragrules.loads(canonical_toml(ruleset))
    assert again.travel == ruleset.travel
    assert again.tokens == ruleset.tokens
    assert again.indicators == ruleset.indicators
    undated = ragrules.loads(
        RULES.read_text(encoding="utf-8").replace(
            '{ from = "2021/22 Q1", acceptable = { lower = "82%", upper = "94%" } },', ""
        )
    )
    changes = rule_differences(undated, ruleset)
    assert any("bed-occupancy" in str(change) for change in changes), changes


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ('[travel]\narrows = [{ from = "2024/25 Q1", value = "sideways" }]', "travel.arrows[0]"),
        ('[travel]\nglyphs = [{ from = "2024/25 Q1", value = { left = "<" } }]', "travel.glyphs"),
        ("[data]\nno-data = [{ value = [1] }]", "data.no-data[0].value"),
        ("[data]\nsuppressed = [{ from = 3, value = [] }]", "data.suppressed[0].from"),
        (
            '[travel.comparisons.s]\nagainst = "previous-period"\n'
            'words = [{ from = "2024/25 Q1", value = [{ direction = "up" }] }]',
            "travel.comparisons.s.words[0].value[0]",
        ),
    ],
)
def test_bad_dated_conventions_are_refused_where_they_are(table: str, where: str) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n'
        f'{table}\n[[indicator]]\nid = "a"\ntarget = 1\ntolerance = {{ absolute = 1 }}\n'
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any((p.key or "").startswith(where) for p in caught.value.problems), (
        caught.value.problems
    )
    assert all(p.line is not None for p in caught.value.problems)


# -- property: a dated setting rates each row as the undated setting in force would --

_CUT = "2024/25 Q1"
_PERIODS = [
    f"{year}/{(year + 1) % 100:02d} Q{q}" for year in (2022, 2023, 2024) for q in range(1, 5)
]
_ARROWS = st.sampled_from(["direction", "judgement"])
_GLYPHS = st.sampled_from(["{}", '{ improving = "+", worsening = "-", up = "^" }'])
_WORDS = st.sampled_from(
    [
        '[{ word = "rise", direction = "up" }, { word = "fall" }]',
        '[{ word = "big change", at-least = "25%" }, { word = "change" }]',
    ]
)
_TOKENS = st.sampled_from(["[]", '["x"]', '["x", "n/k"]'])
_RANGES = st.sampled_from(
    [
        '{ lower = "6", upper = "14" }',
        '{ lower = "7", upper = "13" }',
        '{ lower = "3", upper = "9" }',
    ]
)


_LIMITS = {
    "in-range": "thresholds = {ranges}",
    "higher-is-better": "tolerance = {{ absolute = 2 }}",
    "neutral": "",
}


def _text(travel: tuple[str, str, str], tokens: str, ranges: str, polarity: str) -> str:
    arrows, glyphs, words = travel
    return f"""
[ruleset]
format = 1
id = "p"
[data]
no-data = {tokens}
[travel]
arrows = {arrows}
glyphs = {glyphs}
[travel.comparisons.short]
against = "previous-period"
words = {words}
[scales.range]
bands = [
  {{ status = "green", from = "target" }},
  {{ status = "amber", from = {{ threshold = "near" }} }},
  {{ status = "red" }},
]
[[indicator]]
id = "a"
polarity = "{polarity}"
scale = "{"range" if polarity == "in-range" else "rag"}"
target = {'{ lower = "8", upper = "12" }' if polarity == "in-range" else "10"}
{_LIMITS[polarity].format(ranges=ranges)}
"""


def _dated(before: str, after: str) -> str:
    return f'[{{ value = {before} }}, {{ from = "{_CUT}", value = {after} }}]'


@given(
    arrows=st.tuples(_ARROWS, _ARROWS),
    glyphs=st.tuples(_GLYPHS, _GLYPHS),
    words=st.tuples(_WORDS, _WORDS),
    tokens=st.tuples(_TOKENS, _TOKENS),
    ranges=st.tuples(_RANGES, _RANGES),
    polarity=st.sampled_from(["higher-is-better", "in-range", "neutral"]),
    values=st.lists(
        st.one_of(st.integers(0, 20).map(str), st.sampled_from(["x", "n/k"])),
        min_size=len(_PERIODS),
        max_size=len(_PERIODS),
    ),
)
def test_each_row_is_rated_as_its_periods_undated_settings_would_rate_it(
    arrows: tuple[str, str],
    glyphs: tuple[str, str],
    words: tuple[str, str],
    tokens: tuple[str, str],
    ranges: tuple[str, str],
    polarity: str,
    values: list[str],
) -> None:
    quoted = ((f'"{arrows[0]}"', f'"{arrows[1]}"'), glyphs, words)
    # Thresholds name their entries' thresholds beside `from`, with no `value`.
    dated_ranges = f'[{{ near = {ranges[0]} }}, {{ from = "{_CUT}", near = {ranges[1]} }}]'
    dated_tokens = _dated(*tokens)
    dated = ragrules.loads(
        _text(
            (_dated(*quoted[0]), _dated(*quoted[1]), _dated(*quoted[2])),
            dated_tokens,
            dated_ranges,
            polarity,
        )
    )
    rows = [
        {"indicator": "a", "period": period, "value": value}
        for period, value in zip(_PERIODS, values, strict=True)
    ]
    found = _records(dated, rows)
    for side in (0, 1):
        settings = (quoted[0][side], quoted[1][side], quoted[2][side])
        near = f"{{ near = {ranges[side]} }}"
        # The same dated tokens: every field, travel too, is the undated settings'.
        same = _records(ragrules.loads(_text(settings, dated_tokens, near, polarity)), rows)
        # Undated tokens: the row's own reading is the same; an earlier value is read with
        # its own period's tokens, so travel across the cut may differ.
        plain = _records(ragrules.loads(_text(settings, tokens[side], near, polarity)), rows)
        for key, record in found.items():
            if (key[1] >= _CUT) != bool(side):  # these period texts sort as periods do
                continue
            assert record == same[key], key
            assert {**record, "travel": None} == {**plain[key], "travel": None}, key


def test_verify_tests_every_version_of_a_dated_indicator() -> None:
    kent = ragrules.load(EXAMPLES / "dated" / "kent-in-year-changes.toml")
    assert check_invariants(kent, examples=10) == []  # no indicator left untested
    # Each version is tested in a period it is in force for: before the first change and
    # from each change (a neutral version is never judged, so it has nothing to test).
    leavers = kent.indicator("care-leavers-in-education")
    tested = [(str(p), v.threshold("floor")) for v, p in _versions_in_force(leavers)]
    assert tested == [("2023/24 Q4", Decimal(65)), ("2024/25 Q3", Decimal(70))]


def test_diff_names_a_changed_dated_token() -> None:
    ruleset = ragrules.load(RULES)
    later = ragrules.loads(
        RULES.read_text(encoding="utf-8").replace(
            'no-data = [{ value = [] }, { from = "2021/22 Q1"',
            'no-data = [{ value = [] }, { from = "2022/23 Q1"',
        )
    )
    (change,) = rule_differences(ruleset, later)
    assert change.setting == "data" and "2022/23 Q1" in change.b


DATED_RULE = """
[ruleset]
format = 1
id = "v"
[[indicator]]
id = "a"
target = 90
tolerance = {{ absolute = 5 }}
stretch = {{ absolute = 2 }}
overrides = true
{setting}
"""


@pytest.mark.parametrize(
    "setting",
    [
        'polarity = [{ value = "higher-is-better" }, '
        '{ from = "2021/22 Q1", value = "lower-is-better" }]',
        'scale = [{ value = "rag" }, { from = "2021/22 Q1", value = "brag" }]',
    ],
)
def test_verify_tests_each_version_with_its_own_polarity_and_scale(setting: str) -> None:
    """Each version is checked against its own polarity and statuses (a lower-is-better
    version is not held to higher-is-better monotonicity; brag's blue is a status)."""
    ruleset = ragrules.loads(DATED_RULE.format(setting=setting))
    assert check_invariants(ruleset, examples=10) == []


def test_a_dated_entry_may_have_no_words() -> None:
    """Words brought in from a period: before it, movements have none (`word` is "")."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "w"\n[travel.comparisons.short]\n'
        'against = "previous-period"\n'
        'words = [{ value = [] }, { from = "2021/22 Q1", value = [{ word = "rise" }] }]\n'
        '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    rows = [
        {"indicator": "a", "period": period, "value": value}
        for period, value in (("2020/21 Q3", "8"), ("2020/21 Q4", "9"), ("2021/22 Q1", "10"))
    ]
    records = _records(ruleset, rows)
    assert _move(records["a", "2020/21 Q4"])[1] == ""
    assert _move(records["a", "2021/22 Q1"])[1] == "rise"


@pytest.mark.parametrize(
    "target",
    [
        'polarity = "in-range"\n'
        'target = [{ lower = 10, upper = 20 }, { from = "Apr 2024", lower = 12, upper = 18 }]',
        'target = [{ value = 10 }, { from = "2024/25 Q1", value = 20 }]',
        'target = [{ from = "2024/25 Q1", value = 20 }]',
    ],
)
def test_verify_tests_a_dated_target_in_a_period_that_has_it(target: str) -> None:
    """A dated target is in force only with a period: each of its entries is tested in one
    (it was rated with no period, `no-target`, and reported as a broken rule)."""
    ruleset = ragrules.loads(
        f'[ruleset]\nformat = 1\nid = "v"\n[[indicator]]\nid = "x"\n{target}\n'
        "tolerance = { absolute = 2 }\n"
    )
    assert check_invariants(ruleset, examples=10) == []
    versions = _versions_in_force(ruleset.indicators[0])
    in_force = [ruleset.indicators[0].target.in_force(p) for _, p in versions]  # type: ignore[union-attr]
    assert None not in in_force
    assert len(set(in_force)) == len(in_force) == len(ruleset.indicators[0].target.entries)  # type: ignore[union-attr]
