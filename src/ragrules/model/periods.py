"""Reporting periods as councils write them, and the arithmetic that compares them.

UK financial years run April to March (`2020/21`), with Q1 = April to June (`2020/21 Q2`,
also `Q2 2020/21`); academic years run September to August where a ruleset's calendar says
so; calendar years and quarters are `2020` and `2020 Q3`; months are `2020-11` or
`Nov 2020`. Any of them may be a year-to-date value (`2020/21 Q2 YTD`). "Previous period" and
"same period last year" are arithmetic on these values, never row order.
"""

from __future__ import annotations

import enum
import functools
import re

import attrs

from ragrules.model._short_years import QUARTER_WORD, four_digit_year


class Calendar(enum.Enum):
    """Which year a ruleset's years and quarters belong to."""

    FINANCIAL = "financial"
    ACADEMIC = "academic"
    CALENDAR = "calendar"


class PeriodKind(enum.Enum):
    """The length of a period."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


class PeriodError(ValueError):
    """Text is not a period ragrules understands; callers add the location."""


# The months a period stands at: (first month as (calendar year, month), how many).
Span = tuple[tuple[int, int], int]

_FIRST_MONTH = {Calendar.FINANCIAL: 4, Calendar.ACADEMIC: 9, Calendar.CALENDAR: 1}
_MONTHS_IN = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}
_COUNT_IN_YEAR = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}
_FULL_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NAMES = tuple(name[:3] for name in _FULL_NAMES)  # jan, feb, ...


@attrs.frozen(kw_only=True, cache_hash=True)
class Period:
    """A reporting period. `year` is the calendar year in which its year starts.

    `index` is the quarter (1-4) or month (1-12, January = 1); 1 for years. Months always
    belong to the calendar year.
    """

    kind: PeriodKind
    year: int
    index: int = 1
    calendar: Calendar = Calendar.FINANCIAL
    ytd: bool = False
    # Rolling twelve months to the end of this month or quarter (`R12M Nov 2024`): a year's
    # worth of data, compared with other rolling periods.
    rolling: bool = False

    # Periods are few and read on every row: what derives from them is worked out once.
    # `start` is the (calendar year, month) of the first month of the year, quarter or month
    # that names the period: where it stands in time, what orders periods and decides which
    # dated settings apply (`R12M Nov 2024` stands at November 2024). `first` and `months`
    # are its span, the months it covers: a year-to-date value still names one period, and a
    # rolling one covers the twelve months to the end of its month or quarter (`R12M Nov
    # 2024`: December 2023 to November 2024).
    start: tuple[int, int] = attrs.field(init=False, eq=False, repr=False)
    first: tuple[int, int] = attrs.field(init=False, eq=False, repr=False)
    months: int = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.kind, PeriodKind):
            raise TypeError(
                f"a period's kind is a PeriodKind (PeriodKind.QUARTER), not {self.kind!r}"
            )
        if type(self.year) is not int or type(self.index) is not int:
            raise TypeError(
                f"a period's year and index are whole numbers: {self.year!r}, {self.index!r}"
            )
        if not 1 <= self.index <= _COUNT_IN_YEAR[self.kind]:
            raise ValueError(
                f"a {self.kind.value}'s index is 1 to {_COUNT_IN_YEAR[self.kind]}, not {self.index}"
            )
        start = _start(self)
        object.__setattr__(self, "start", start)
        # A rolling period covers the twelve months to its end: its own series, and its span.
        months = 12 if self.rolling else _MONTHS_IN[self.kind]
        object.__setattr__(self, "months", months)
        # The span ends where the named period ends: `months` back from its last month.
        first = month_number(start) + _MONTHS_IN[self.kind] - months
        object.__setattr__(self, "first", (first // 12, first % 12 + 1))

    @property
    def span(self) -> Span:
        """The months it stands at, however written: (first month, how many). `2020 Q3`
        and `2020/21 Q2` share one; so do a quarter and the same quarter year to date."""
        return (self.first, self.months)

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods of the same kind later (earlier when negative)."""
        return _shifted(self, steps)

    def previous(self) -> Period:
        """The period before this one: Q1 2021/22 -> Q4 2020/21; 2020-01 -> 2019-12."""
        return _shifted(self, -1)

    def next(self) -> Period:
        return _shifted(self, 1)

    def same_period_last_year(self) -> Period:
        """The same quarter, month or year one year earlier."""
        return _last_year(self)

    def year_end(self, calendar: Calendar | None = None) -> Period:
        """The last period of this kind in this period's year: Q4 for a quarter; for a month
        (months belong to the calendar year) the last month of `calendar`'s year, e.g.
        March 2021 for November 2020 in a financial year."""
        if self.kind is PeriodKind.YEAR:
            return self
        cal = calendar or self.calendar
        # The year's last month, as (calendar year, month).
        months = month_number((year_of(self, cal), _FIRST_MONTH[cal])) + 11
        year, month = months // 12, months % 12 + 1
        if self.kind is PeriodKind.MONTH:
            return interned(attrs.evolve(self, year=year, index=month))
        # The quarter, in this period's own calendar, that ends with that month.
        first = _FIRST_MONTH[self.calendar]
        index = (month - first) % 12 // 3 + 1
        return interned(attrs.evolve(self, year=year if month >= first else year - 1, index=index))

    def __str__(self) -> str:
        """As written, an academic year named `AY`: `2020/21` alone is a financial year
        wherever a reader (or `parse_period`) does not know the ruleset's calendar."""
        return _text(self, _NAMES[Calendar.ACADEMIC] if self.calendar is Calendar.ACADEMIC else "")


def _start(period: Period) -> tuple[int, int]:
    if period.kind is PeriodKind.MONTH:
        return (period.year, period.index)
    month = _FIRST_MONTH[period.calendar] + 3 * (period.index - 1)
    return (period.year + (month - 1) // 12, (month - 1) % 12 + 1)


@functools.lru_cache(maxsize=4096)
def _shifted(period: Period, steps: int) -> Period:
    count = _COUNT_IN_YEAR[period.kind]
    position = period.year * count + (period.index - 1) + steps
    return interned(
        Period(
            kind=period.kind,
            year=position // count,
            index=position % count + 1,
            calendar=period.calendar,
            ytd=period.ytd,
            rolling=period.rolling,
        )
    )


@functools.lru_cache(maxsize=4096)
def _last_year(period: Period) -> Period:
    return interned(
        Period(
            kind=period.kind,
            year=period.year - 1,
            index=period.index,
            calendar=period.calendar,
            ytd=period.ytd,
            rolling=period.rolling,
        )
    )


_INTERNED: dict[Period, Period] = {}


def interned(period: Period) -> Period:
    """The one shared instance of an equal period, so lookups compare periods by identity.

    Bounded: past 10,000 distinct periods (only adversarial data has so many) new ones are
    returned as they are, which is still correct, only slower.
    """
    if len(_INTERNED) < 10_000:
        return _INTERNED.setdefault(period, period)
    return _INTERNED.get(period, period)


def text_in(period: Period, calendar: Calendar) -> str:
    """`period` as text that `parse_period(text, calendar)` reads back as `period`: with `AY`
    or `FY` before a split year that `calendar` would read as the other year (a ruleset's
    canonical form writes its periods so)."""
    unnamed = Calendar.ACADEMIC if calendar is Calendar.ACADEMIC else Calendar.FINANCIAL
    return _text(period, "" if period.calendar is unnamed else _NAMES.get(period.calendar, ""))


def written_as(period: Period, text: str) -> str:
    """`period` as text read as `text` is read: with the `AY` or `FY` that `text` gives its
    split year, if it gives one (`AY 2022/23 Q2`'s previous period is `AY 2022/23 Q1`,
    whatever calendar the ruleset's years are in); else as `str` writes it."""
    # Text names its year's calendar when reading it in either split-year calendar gives it.
    financial, academic = (parse_period(text, c) for c in (Calendar.FINANCIAL, Calendar.ACADEMIC))
    named = financial.calendar is academic.calendar
    return _text(period, _NAMES.get(period.calendar, "") if named else "")


def given_text(period: str | Period | None) -> str | None:
    """A report period given as text or a `Period`, as the text rows' earlier values are
    placed from: text as it is, a `Period` so that it reads back as itself under any
    ruleset's calendar (a split year with its `AY` or `FY`: `AY 2022/23 Q2`)."""
    if period is None or isinstance(period, str):
        return period
    if not isinstance(period, Period):
        raise TypeError(
            f"period is text such as '2020/21 Q2' or a Period, not {type(period).__name__}"
        )
    return _text(period, _NAMES.get(period.calendar, ""))


# How a split year names its calendar (`_text` writes no name before any other period).
_NAMES = {Calendar.ACADEMIC: "AY ", Calendar.FINANCIAL: "FY "}


@functools.lru_cache(maxsize=4096)
def _text(period: Period, prefix: str = "") -> str:
    """The period as written; `prefix` (`AY `, `FY `) before a split year."""
    if period.kind is PeriodKind.MONTH:
        text = f"{period.year:04d}-{period.index:02d}"
    elif period.calendar is Calendar.CALENDAR:
        text = (
            f"{period.year:04d}"
            if period.kind is PeriodKind.YEAR
            else f"{period.year:04d} Q{period.index}"
        )
    else:
        text = f"{prefix}{period.year:04d}/{(period.year + 1) % 100:02d}"
        if period.kind is PeriodKind.QUARTER:
            text += f" Q{period.index}"
    if period.rolling:
        return f"R12M {text}"
    return f"{text} YTD" if period.ytd else text


# No period is written in more characters: longer text is refused before any pattern runs.
MAX_PERIOD_LENGTH = 64
# `2020-21` alone is read by "dash" first (it may be a month); with `FY`/`AY` or a quarter it
# can only be a split year, as `2020/21` is.
_SPLIT_YEAR = (
    r"(?P<year>[0-9]{4})\s*(?:/\s*(?P<next>[0-9]{4}|[0-9]{2})|-\s*(?P<next4>[0-9]{4}|[0-9]{2}))"
)
_PREFIX = r"(?:(?P<prefix>fy|ay)\s*)?"
_QUARTER = rf"{QUARTER_WORD}(?P<quarter>[1-4])"
# A month is written by its full name, its three letters (with or without a dot) or `Sept`:
# any other word is no month, however it starts (`Decade 2020` is not December).
_MONTH_INDEX = {
    spelling: index
    for index, (short, full) in enumerate(zip(_MONTH_NAMES, _FULL_NAMES, strict=True), start=1)
    for spelling in (full, short, f"{short}.")
} | {"sept": 9, "sept.": 9}
_MONTH_SPELLING = "|".join(re.escape(s) for s in sorted(_MONTH_INDEX, key=len, reverse=True))
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dash", re.compile(r"^(?P<year>[0-9]{4})-(?P<two>[0-9]{1,2})$")),
    ("split-quarter", re.compile(rf"^{_PREFIX}{_SPLIT_YEAR}\s*{_QUARTER}$")),
    ("split-quarter", re.compile(rf"^{_QUARTER}\s*{_PREFIX}{_SPLIT_YEAR}$")),
    ("split-year", re.compile(rf"^{_PREFIX}{_SPLIT_YEAR}$")),
    ("month-name", re.compile(rf"^(?P<name>{_MONTH_SPELLING})\s+(?P<year>[0-9]{{4}})$")),
    ("calendar-quarter", re.compile(rf"^(?P<year>[0-9]{{4}})\s*{_QUARTER}$")),
    ("calendar-quarter", re.compile(rf"^{_QUARTER}\s*(?P<year>[0-9]{{4}})$")),
    ("calendar-year", re.compile(r"^(?P<year>[0-9]{4})$")),
)


def parse_period(text: str, calendar: Calendar = Calendar.FINANCIAL) -> Period:
    """Parse a period as written in a ruleset or a data file.

    `2020/21` is a financial year, or an academic year when `calendar` is academic (`FY` and
    `AY` say so explicitly). `2020-11` is a month; `2020-21` is a financial year, because 21
    is no month; after `FY` or `AY`, or with a quarter, `YYYY-YY` is always a split year
    (`FY 2011-12`). `R12M Nov 2024` is the twelve months to November 2024. `calendar` may
    be named by its value (`"academic"`); text that is not a str is a TypeError.
    """
    if type(calendar) is not Calendar:
        calendar = _calendar_named(calendar)
    if not isinstance(text, str):
        raise TypeError(f"a period is text such as '2020/21 Q2', not {type(text).__name__}")
    return _parse_period(text, calendar)


def _calendar_named(name: object) -> Calendar:
    """A calendar given by its value (`"academic"`); anything else is a ValueError, never
    taken silently for the financial year."""
    try:
        return Calendar(name)
    except ValueError:
        known = ", ".join(repr(c.value) for c in Calendar)
        raise ValueError(f"calendar must be a Calendar or one of {known}, not {name!r}") from None


@functools.lru_cache(maxsize=4096)
def _parse_period(text: str, calendar: Calendar) -> Period:
    """parse_period, remembered: a data file names the same few periods on every row."""
    if len(text) > MAX_PERIOD_LENGTH:
        raise PeriodError(
            f"{text[:20]!r}... is not a period: it is over {MAX_PERIOD_LENGTH} characters"
        )
    # Spacing does not matter, around a dash neither: `2011 - 12` is read as `2011-12` is.
    key = _DASH.sub("-", " ".join(text.strip().lower().split()))
    key, rolling = _without_rolling(key)
    key, ytd = _without_ytd(key)
    if rolling and ytd:
        raise PeriodError(f"{text!r} is both rolling and year to date; write one of them")
    for form, pattern in _FORMS:
        match = pattern.match(key)
        if match is not None:
            period = _build(form, match, calendar, text)
            if rolling and period.kind is PeriodKind.YEAR:
                raise PeriodError(
                    f"{text!r}: a year is twelve months already; rolling twelve months end "
                    "with a month or a quarter, e.g. 'R12M Nov 2024'"
                )
            return interned(attrs.evolve(period, ytd=ytd, rolling=rolling))
    four = four_digit_year(key, rolling=rolling, ytd=ytd)
    if four is not None:  # `Q2 24/25`
        raise PeriodError(f"{text!r}: write the year in four digits, e.g. {four!r}")
    date = _DATE.match(key)
    if date is not None:  # a spreadsheet's date: the cell was typed or formatted as one
        raise PeriodError(
            f"{text!r} is a date, not a period; for its month write "
            f"'{date['year']}-{date['month']}' (in a spreadsheet, format the cell as text "
            "or as a month, e.g. mmm yyyy)"
        )
    raise PeriodError(
        f"{text!r} is not a period; write e.g. '2020/21', '2020/21 Q2', '2020 Q3', "
        "'2020-11' or 'Nov 2020'"
    )


# An ISO date, as a spreadsheet's date cell reads (`2020-11-01`, `2020-11-01 00:00:00`).
_DATE = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-\d{2}(?:[ t][\d:.]+)?$")


_DASH = re.compile(r"\s*-\s*")
_ROLLING = re.compile(r"^(?:r12m|rolling 12 months(?: to)?|12 months to|rolling year to)\s+")


def _without_rolling(key: str) -> tuple[str, bool]:
    """`R12M Nov 2024`, `Rolling 12 months to Nov 2024` -> (`nov 2024`, True)."""
    match = _ROLLING.match(key)
    return (key[match.end() :], True) if match else (key, False)


def year_of(period: Period, calendar: Calendar) -> int:
    """The calendar year in which the year holding `period` starts, in `calendar` (November
    2024 and March 2025 are in financial year 2024/25; so is calendar quarter 2025 Q1)."""
    year, month = period.start
    return year if month >= _FIRST_MONTH[calendar] else year - 1


def month_number(month: tuple[int, int]) -> int:
    """(calendar year, month) as one count of months, `year * 12 + month - 1`: months compare
    and subtract as numbers."""
    return month[0] * 12 + month[1] - 1


def _own_calendar(period: Period, calendar: Calendar) -> Calendar:
    """The calendar whose years hold `period`: its own (`2024 Q3` is a calendar quarter),
    or for a month, which belongs to no split year of its own, `calendar`."""
    return calendar if period.kind is PeriodKind.MONTH else period.calendar


def year_start(period: Period, calendar: Calendar) -> tuple[int, int]:
    """(calendar year, month) of the first month of the year holding `period` in its own
    calendar (`2024 Q3`'s is January 2024, `FY 2024/25 Q1`'s April 2024, `Nov 2024`'s in a
    financial ruleset April 2024). A year-to-date value counts from this month."""
    own = _own_calendar(period, calendar)
    return (year_of(period, own), _FIRST_MONTH[own])


def previous_year(period: Period, calendar: Calendar) -> Period:
    """The whole year before the one holding `period` (its previous outturn's): `2019/20`
    for `2020/21 Q2`, in the period's own calendar (a month's in `calendar`)."""
    own = _own_calendar(period, calendar)
    year = Period(kind=PeriodKind.YEAR, year=year_of(period, own) - 1, index=1, calendar=own)
    return interned(year)


def months_covered(period: Period, calendar: Calendar) -> tuple[int, int]:
    """The first and last months a value for `period` covers (`month_number`s): a
    year-to-date value's from its year's start (`year_start`), a rolling value's the twelve
    months to the one it stands at, any other's its own months."""
    cumulative = period.ytd and not period.rolling
    first = month_number(year_start(period, calendar) if cumulative else period.first)
    return first, month_number(period.first) + period.months - 1


def starts_year(period: Period, calendar: Calendar) -> bool:
    """Whether `period` is a year-to-date month or quarter that starts its year (`2021/22
    Q1 YTD`; `Apr 2021 YTD` in a financial ruleset): a year-to-date value starts again each
    year, so such a period has no previous period to compare with."""
    if not period.ytd or period.rolling or period.kind is PeriodKind.YEAR:
        return False
    return period.start == year_start(period, calendar)


def months_in_year(period: Period, calendar: Calendar) -> range | None:
    """The months a month or quarter covers, counted from 0 at the first month of its year in
    `calendar`. A quarter of another calendar (financial April to June, in an academic year
    from September) covers the months it covers; a year-to-date one those of its own year up
    to its end (`FY 2024/25 Q1 YTD`: April to June, whatever the calendar). None when they
    fall in two of `calendar`'s years: a financial July to September quarter in an academic
    year, whose August ends one year and September starts the next."""
    first = month_number(year_start(period, calendar) if period.ytd else period.start)
    end = month_number(period.start) + _MONTHS_IN[period.kind]
    # The first month of `calendar`'s year that holds the period's first month.
    opens = first - (first % 12 + 1 - _FIRST_MONTH[calendar]) % 12
    if end - opens > 12:
        return None
    return range(first - opens, end - opens)


def _without_ytd(key: str) -> tuple[str, bool]:
    """`YTD 2020/21 Q2`, `2020/21 Q2 (YTD)` or `2020/21 Q2 YTD` -> (`2020/21 q2`, True)."""
    if key.startswith("ytd "):
        return key[4:].strip(), True
    for mark in ("(ytd)", "ytd"):
        if key.endswith(mark) and len(key) > len(mark):
            return key[: -len(mark)].strip(), True
    return key, False


def _build(form: str, match: re.Match[str], calendar: Calendar, text: str) -> Period:
    year = int(match["year"])
    if form == "dash":
        two = int(match["two"])
        # Two digits that are no month (`00` is none) and follow the year: `1999-00`.
        if len(match["two"]) == 2 and not 1 <= two <= 12 and two == (year + 1) % 100:
            return Period(kind=PeriodKind.YEAR, year=year, calendar=_split_calendar(None, calendar))
        if not 1 <= two <= 12:
            raise PeriodError(f"{text!r} is not a month; write e.g. '2020-11'")
        return Period(kind=PeriodKind.MONTH, year=year, index=two, calendar=Calendar.CALENDAR)
    if form == "month-name":
        index = _MONTH_INDEX[match["name"]]
        return Period(kind=PeriodKind.MONTH, year=year, index=index, calendar=Calendar.CALENDAR)
    if form.startswith("calendar"):
        quarter = form == "calendar-quarter"
        return Period(
            kind=PeriodKind.QUARTER if quarter else PeriodKind.YEAR,
            year=year,
            index=int(match["quarter"]) if quarter else 1,
            calendar=Calendar.CALENDAR,
        )
    following = match["next"] or match["next4"]
    if int(following) % 100 != (year + 1) % 100 or (
        len(following) == 4 and int(following) != year + 1
    ):
        raise PeriodError(f"{text!r}: a split year runs into the next year, e.g. 2020/21")
    quarter = form == "split-quarter"
    return Period(
        kind=PeriodKind.QUARTER if quarter else PeriodKind.YEAR,
        year=year,
        index=int(match["quarter"]) if quarter else 1,
        calendar=_split_calendar(match.groupdict().get("prefix"), calendar),
    )


def _split_calendar(prefix: str | None, calendar: Calendar) -> Calendar:
    """A year written `2020/21` is academic only where the ruleset or an `AY` says so."""
    if prefix == "ay" or (prefix is None and calendar is Calendar.ACADEMIC):
        return Calendar.ACADEMIC
    return Calendar.FINANCIAL
