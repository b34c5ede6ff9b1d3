"""Reporting periods as councils write them, ordered by when they start.

UK financial years run April to March (`2020/21`), with Q1 = April to June
(`2020/21 Q2`, also written `Q2 2020/21`); months are `2020-11` or `Nov 2020`; calendar
years are `2020`. Effective dates compare periods by their first month.
"""

from __future__ import annotations

import enum
import re

import attrs


class PeriodKind(enum.Enum):
    """The length of a period."""

    FINANCIAL_YEAR = "financial-year"
    FINANCIAL_QUARTER = "financial-quarter"
    MONTH = "month"
    CALENDAR_YEAR = "calendar-year"


class PeriodError(ValueError):
    """Text is not a period ragrules understands; callers add the location."""


_MONTHS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
# `2020/21`, `2020/2021` or `2020-2021`; `2020-11` is a month, never a financial year.
_FY = r"(?P<year>\d{4})\s*(?:/|-(?=\d{4}))\s*(?P<next>\d{4}|\d{2})"
_PATTERNS: tuple[tuple[PeriodKind, re.Pattern[str]], ...] = (
    (PeriodKind.FINANCIAL_QUARTER, re.compile(rf"^{_FY}\s*q(?P<index>[1-4])$")),
    (PeriodKind.FINANCIAL_QUARTER, re.compile(rf"^q(?P<index>[1-4])\s*{_FY}$")),
    (PeriodKind.FINANCIAL_YEAR, re.compile(rf"^(?:fy\s*)?{_FY}$")),
    (PeriodKind.MONTH, re.compile(r"^(?P<year>\d{4})-(?P<index>\d{1,2})$")),
    (PeriodKind.MONTH, re.compile(r"^(?P<month>[a-z]{3})[a-z]*\.?\s+(?P<year>\d{4})$")),
    (PeriodKind.CALENDAR_YEAR, re.compile(r"^(?P<year>\d{4})$")),
)


@attrs.frozen(kw_only=True, order=False)
class Period:
    """A reporting period; `year` is the calendar year in which it starts."""

    kind: PeriodKind
    year: int
    index: int = 1  # quarter 1-4 or month 1-12; 1 for years

    @property
    def start(self) -> tuple[int, int]:
        """(calendar year, month) of the period's first month."""
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return (self.year, 4)
        if self.kind is PeriodKind.FINANCIAL_QUARTER:
            month = 4 + 3 * (self.index - 1)
            return (self.year + (month - 1) // 12, (month - 1) % 12 + 1)
        if self.kind is PeriodKind.MONTH:
            return (self.year, self.index)
        return (self.year, 1)

    def __str__(self) -> str:
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return f"{self.year}/{(self.year + 1) % 100:02d}"
        if self.kind is PeriodKind.FINANCIAL_QUARTER:
            return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.index}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        return str(self.year)


def parse_period(text: str) -> Period:
    """Parse a period as written in a ruleset or a data file."""
    key = " ".join(text.strip().lower().split())
    for kind, pattern in _PATTERNS:
        match = pattern.match(key)
        if match is None:
            continue
        year = int(match["year"])
        if kind in (PeriodKind.FINANCIAL_YEAR, PeriodKind.FINANCIAL_QUARTER):
            following = int(match["next"])
            if following % 100 != (year + 1) % 100 or (following >= 100 and following != year + 1):
                raise PeriodError(
                    f"{text!r}: a financial year runs into the next year, e.g. 2020/21"
                )
        if kind is PeriodKind.MONTH:
            groups = match.groupdict()
            month = groups.get("month")
            index = _MONTHS.index(month) + 1 if month in _MONTHS else int(groups.get("index") or 0)
            if not 1 <= index <= 12:
                raise PeriodError(f"{text!r} is not a month")
            return Period(kind=kind, year=year, index=index)
        if kind is PeriodKind.FINANCIAL_QUARTER:
            return Period(kind=kind, year=year, index=int(match["index"]))
        return Period(kind=kind, year=year)
    raise PeriodError(
        f"{text!r} is not a period; write e.g. '2020/21', '2020/21 Q2', '2020-11' or 'Nov 2020'"
    )
