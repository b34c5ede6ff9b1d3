"""Periods read and counted as the docs say: month names, spaced dashes, year-to-date
targets and travel, and targets that do not carry over, in other calendars than the
ruleset's (bug hunt fz16, findings 3, 4, 5, 7 and 8)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
from calendar import month_name
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.model.periods import Calendar, PeriodError, PeriodKind, parse_period

# From the standard library, not the code under test: Python leaves LC_TIME at the C locale
# unless a program sets it, so these are the English names (checked below).
_MONTHS = [name.lower() for name in month_name[1:]]
assert _MONTHS[0] == "january" and _MONTHS[8] == "september"
_SPELLINGS = {
    spelling: index
    for index, name in enumerate(_MONTHS, start=1)
    for spelling in (name, name[:3], name[:3] + ".")
} | {"sept": 9, "sept.": 9}
_FIRST = {"financial": 4, "academic": 9, "calendar": 1}


# Finding 8: only month names, their three letters and Sept are months.


@pytest.mark.parametrize("word", ["Decade", "Junk", "Mayor", "Marching", "Octopus", "Septem"])
def test_a_word_that_starts_like_a_month_is_no_month(word: str) -> None:
    """`Decade 2020` was read as December 2020; it is no period, refused as others are."""
    with pytest.raises(PeriodError, match="is not a period; write"):
        parse_period(f"{word} 2020")


def test_a_ruleset_from_that_is_no_month_is_refused() -> None:
    """`from = "Decade 2021"` was accepted as December 2021."""
    text = (
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\nunit = "count"\n'
        'target = [{ from = "Decade 2021", value = 5 }]\ntolerance = { absolute = 1 }\n'
    )
    with pytest.raises(ragrules.RulesetError, match="Decade 2021"):
        ragrules.loads(text)


def test_a_junk_row_is_not_the_report_period() -> None:
    """A row for `Decade 2020` made December 2020 the report period; it is rejected."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\n[[indicator]]\nid = "a"\nunit = "count"\n'
        "target = 100\ntolerance = { absolute = 1 }\n"
    )
    report = ruleset.rate(
        [
            {"indicator": "a", "period": "2020/21 Q2", "value": "100"},
            {"indicator": "a", "period": "Decade 2020", "value": "100"},
        ]
    )
    assert str(report.period) == "2020/21 Q2"
    assert len(report.rejected) == 1


@given(st.sampled_from(sorted(_SPELLINGS)), st.integers(1900, 2099), st.booleans())
def test_every_documented_month_spelling_is_its_month(
    spelling: str, year: int, upper: bool
) -> None:
    """Full names, three letters with or without a dot, and Sept, in any case, name the month."""
    text = f"{spelling.upper() if upper else spelling.title()} {year}"
    period = parse_period(text)
    assert (period.kind, period.year, period.index) == (
        PeriodKind.MONTH,
        year,
        _SPELLINGS[spelling],
    )


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), st.booleans())
def test_a_word_that_is_no_month_name_is_no_period(word: str, dot: bool) -> None:
    """Any other word before a year is refused with the usual message (`YTD`, `AY`, `FY`
    and `Q1`-`Q4` are other parts of a period, not words in a month's place)."""
    spelled = word + ("." if dot else "")
    if spelled in _SPELLINGS or word in ("ytd", "fy", "ay") or word.startswith("q"):
        return
    with pytest.raises(PeriodError, match="is not a period; write"):
        parse_period(f"{spelled} 2020")


# Finding 7: spacing does not matter; `1999-00` is a split year.


def test_spacing_around_a_dash_does_not_change_a_period() -> None:
    """`2011 - 12` was a financial year while `2011-12` is December 2011 (decision 15)."""
    assert parse_period("2011 - 12") == parse_period("2011-12") == parse_period("2011 -12")
    assert parse_period("2011 - 12").kind is PeriodKind.MONTH
    assert str(parse_period("2020 - 21")) == "2020/21"
    assert str(parse_period("FY 2011 - 12")) == "2011/12"


def test_two_digits_that_are_no_month_and_follow_the_year_are_a_split_year() -> None:
    """`00` is no month and follows 1999: `1999-00` is 1999/00, as `1999/00` is."""
    assert parse_period("1999-00") == parse_period("1999/00")
    assert parse_period("2099-00") == parse_period("2099/00")
    with pytest.raises(PeriodError):
        parse_period("2020-00")  # 00 does not follow 2020


@given(
    st.integers(1900, 2098),
    st.integers(0, 99),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["", " ", "  "]),
)
def test_spacing_around_a_dash_never_changes_what_it_reads(
    year: int, digits: int, before: str, after: str
) -> None:
    """`YYYY-NN` reads alike however it is spaced, and is a split year exactly when NN is
    no month and follows the year (ruleset-format "Periods")."""
    tight = f"{year}-{digits:02d}"
    spaced = f"{year}{before}-{after}{digits:02d}"
    try:
        expected = parse_period(tight)
    except PeriodError:
        with pytest.raises(PeriodError):
            parse_period(spaced)
        return
    assert parse_period(spaced) == expected
    split = not 1 <= digits <= 12 and digits == (year + 1) % 100
    assert (expected.kind is PeriodKind.YEAR) == split


# Finding 3: a year-to-date target counts its own year's months.


def _profiled(calendar: str, shares: list[int] | None = None) -> ragrules.Ruleset:
    profile = (
        '"pro-rata"' if shares is None else "[" + ", ".join(f'"{share}%"' for share in shares) + "]"
    )
    return ragrules.loads(
        f'[ruleset]\nformat = 1\nid = "p"\ncalendar = "{calendar}"\n'
        f'[[indicator]]\nid = "h"\nunit = "count"\n'
        f"target = {{ annual = 1200, profile = {profile} }}\ntolerance = {{ absolute = 1 }}\n"
    )


def _target(ruleset: ragrules.Ruleset, period: str) -> tuple[Decimal | None, str]:
    result = ruleset.rate([{"indicator": "h", "period": period, "value": "1"}]).results[0]
    return (None if result.target is None else result.target.value), result.reason


@pytest.mark.parametrize(
    ("calendar", "period", "target"),
    [
        ("calendar", "2024/25 Q1 YTD", "300"),  # April to June, not January to June
        ("calendar", "FY 2024/25 Q3 YTD", "900"),  # April to December
        ("financial", "AY 2024/25 Q1 YTD", "300"),  # September to November
        ("financial", "2024 Q3 YTD", None),  # January to September: two financial years
        ("academic", "FY 2024/25 Q1 YTD", "300"),  # April to June
        ("academic", "FY 2024/25 Q3 YTD", None),  # April to December: two academic years
        ("financial", "Nov 2024 YTD", "800"),  # a month counts from its ruleset's year
    ],
)
def test_a_year_to_date_target_counts_its_own_years_months(
    calendar: str, period: str, target: str | None
) -> None:
    value, reason = _target(_profiled(calendar), period)
    assert value == (None if target is None else Decimal(target))
    if target is None:
        assert "months so far fall in two of the profile's years" in reason


def _own_year_start(quarter_calendar: str) -> int:
    """The first month of a quarter's own 2024 year, counted from January 2024 (0)."""
    return _FIRST[quarter_calendar] - 1


@given(
    st.sampled_from(sorted(_FIRST)),
    st.sampled_from(sorted(_FIRST)),
    st.integers(1, 4),
    st.lists(st.integers(1, 20), min_size=12, max_size=12),
)
def test_a_year_to_date_quarter_takes_the_shares_of_its_months(
    profile_calendar: str, quarter_calendar: str, quarter: int, weights: list[int]
) -> None:
    """For every calendar pair and YTD quarter, the target is the sum of the profile's shares
    of the months from the quarter's own year's first month to its end, or no-target when
    those months fall in two of the profile's years (ruleset-format "Profiled and cumulative
    targets")."""
    shares = [weight * 100 // sum(weights) for weight in weights]
    shares[0] += 100 - sum(shares)
    if shares[0] <= 0:
        return
    year = 2024
    # Absolute months from January 2024 = 0: the quarter's year to date.
    first = _own_year_start(quarter_calendar)
    end = first + 3 * quarter
    months = list(range(first, end))
    # The profile's year holding the first month, and each month's place in it.
    opens = first - (first - (_FIRST[profile_calendar] - 1)) % 12
    if quarter_calendar == "calendar":
        text = f"{year} Q{quarter} YTD"
    else:
        prefix = {"financial": "FY", "academic": "AY"}[quarter_calendar]
        text = f"{prefix} {year}/{(year + 1) % 100:02d} Q{quarter} YTD"
    value, _ = _target(_profiled(profile_calendar, shares), text)
    if end - opens > 12:
        assert value is None
        return
    expected = Decimal(1200) * sum(Decimal(shares[m - opens]) for m in months) / 100
    assert value == expected


# Finding 4: a year-to-date value starts again each year.

_TRAVEL = (
    '[ruleset]\nformat = 1\nid = "t"\ncalendar = "{calendar}"\n'
    '[travel.comparisons]\nshort = {{ against = "previous-period" }}\n'
    'long = {{ against = "same-period-last-year" }}\n'
    '[[indicator]]\nid = "a"\nunit = "count"\ntarget = 100\ntolerance = {{ absolute = 1 }}\n'
)


@pytest.mark.parametrize(
    ("calendar", "earlier", "first", "later"),
    [
        ("financial", "2020/21 Q4 YTD", "2021/22 Q1 YTD", "2021/22 Q2 YTD"),
        ("financial", "Mar 2021 YTD", "Apr 2021 YTD", "May 2021 YTD"),
        ("academic", "Aug 2021 YTD", "Sep 2021 YTD", "Oct 2021 YTD"),
        ("calendar", "2020 Q4 YTD", "2021 Q1 YTD", "2021 Q2 YTD"),
    ],
)
def test_the_first_year_to_date_period_has_no_previous_period(
    calendar: str, earlier: str, first: str, later: str
) -> None:
    """Q1 YTD was compared with last year's Q4 YTD, so every reset showed as a fall; in every
    engine it is not comparable, with the reason, and Q2 YTD still travels against Q1 YTD."""
    ruleset = ragrules.loads(_TRAVEL.format(calendar=calendar))
    rows = [
        {"indicator": "a", "period": period, "value": value}
        for period, value in ((earlier, "400"), (first, "100"), (later, "150"))
    ]
    shown = str(parse_period(first, Calendar(calendar)))
    reason = (
        f"a year-to-date value starts again each year: {shown} has no previous period in its year"
    )
    report = ruleset.rate(rows[:2])
    short, long = report.results[0].travel
    assert (short.direction.value, short.reason) == ("not-comparable", reason)
    assert long.reason.startswith("no row for")  # same period last year is as it was
    streamed = [r for r in ruleset.iter_rate(rows) if isinstance(r, ragrules.Result)]
    assert [r.travel[0].direction.value for r in streamed] == ["not-comparable"] * 2 + ["up"]
    assert streamed[1].travel[0].reason == reason
    for engine in ("row", "columnar"):
        lines = _stream(ruleset_text=_TRAVEL.format(calendar=calendar), rows=rows, engine=engine)
        assert [line["travel"][0]["reason"] for line in lines][1] == reason
        assert lines[2]["travel"][0]["direction"] == "up"


def _stream(*, ruleset_text: str, rows: list[dict[str, str]], engine: str) -> list[Any]:
    with tempfile.TemporaryDirectory() as folder:
        rules, data = Path(folder, "r.toml"), Path(folder, "d.csv")
        rules.write_text(ruleset_text, encoding="utf-8")
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["indicator", "period", "value"])
        writer.writeheader()
        writer.writerows(rows)
        data.write_text(buffer.getvalue(), encoding="utf-8")
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "ragrules",
                "rate",
                str(rules),
                str(data),
                "--stream",
                "--engine",
                engine,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


# Finding 5: a target that does not carry applies within its own `from` year.


@pytest.mark.parametrize(
    ("period", "status"),
    [
        ("2024", "green"),
        ("2024 Q1", "green"),
        ("2024 Q2", "green"),
        ("2024 Q4", "green"),
        ("Dec 2024", "green"),
        ("2025 Q1", "no-target"),
        ("2024/25 Q4", "no-target"),  # January to March 2025
    ],
)
def test_a_target_that_does_not_carry_lapses_after_its_own_year(period: str, status: str) -> None:
    """`from = "2024"` in a financial ruleset lapsed within 2024 (2024 Q2 was no-target)."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "nc"\n[defaults]\nunit = "count"\n'
        'tolerance = { relative = "10%" }\ntarget-carries = false\n'
        '[[indicator]]\nid = "b"\ntarget = [{ from = "2024", value = 50 }]\n'
    )
    result = ruleset.rate([{"indicator": "b", "period": period, "value": "55"}]).results[0]
    assert result.status == status
    if status == "no-target":
        assert "the target from 2024 does not carry" in result.reason


def test_previous_average_of_ytd_periods_stays_in_its_year() -> None:
    """The average of the periods before a YTD period never mixes last year's cumulative
    total with this year's: not comparable, saying why, until the N periods are this year's."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "pa"\n'
        '[travel.comparisons]\navg = { against = "previous-average", points = 2 }\n'
        '[[indicator]]\nid = "a"\ntarget = 100\ntolerance = { relative = "10%" }\n'
    )
    rows = [
        {"indicator": "a", "period": period, "value": value}
        for period, value in (
            ("2020/21 Q4 YTD", "400"),
            ("2021/22 Q1 YTD", "100"),
            ("2021/22 Q2 YTD", "210"),
            ("2021/22 Q3 YTD", "320"),
        )
    ]
    moves = {
        str(result.period): result.travel[0]
        for result in ruleset.iter_rate(rows)
        if isinstance(result, ragrules.Result)
    }
    for period in ("2021/22 Q1 YTD", "2021/22 Q2 YTD"):
        assert not moves[period].comparable
        assert moves[period].reason == (
            "a year-to-date value starts again each year: the 2 periods before "
            f"{period} reach into the year before"
        )
    assert moves["2021/22 Q3 YTD"].earlier == Decimal(155)


@pytest.mark.parametrize(
    ("period", "reaches"),
    [
        ("2021/22 Q1 YTD", True),
        ("2021/22 Q2 YTD", True),
        ("2021/22 Q3 YTD", False),
        ("2021/22 Q4 YTD", False),
    ],
)
def test_recent_trend_of_ytd_values_stays_in_its_year(period: str, reaches: bool) -> None:
    """A trend over last year's Q4 YTD and this year's Q1 YTD would read the year starting
    again as a fall: not comparable, saying why, until its points are all this year's."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "rt"\n'
        "[travel.comparisons]\n"
        'trend = { against = "recent-trend", points = 3, test = "chi-squared" }\n'
        '[[indicator]]\nid = "a"\nunit = "percent"\ntarget = "50%"\n'
        'tolerance = { relative = "10%" }\n'
    )
    counts = {"2020/21 Q3 YTD": 60, "2020/21 Q4 YTD": 80, "2021/22 Q1 YTD": 20}
    counts |= {"2021/22 Q2 YTD": 45, "2021/22 Q3 YTD": 70, "2021/22 Q4 YTD": 95}
    rows = [
        {
            "indicator": "a",
            "period": when,
            "value": str(count),
            "count": str(count),
            "denominator": "100",
        }
        for when, count in counts.items()
    ]
    moves = {
        str(result.period): result.travel[0]
        for result in ruleset.iter_rate(rows)
        if isinstance(result, ragrules.Result)
    }
    move = moves[period]
    words = (
        "a year-to-date value starts again each year: the last 3 values up to "
        f"{period} reach into the year before"
    )
    assert (move.reason == words) is reaches
    if reaches:
        assert not move.comparable
    else:  # a rising count in its own year: the test finds the trend
        assert move.comparable and move.direction is ragrules.Direction.UP
