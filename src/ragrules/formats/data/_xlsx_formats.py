"""What an .xlsx number format means for a value: Excel shows each value through one of the
format's sections (`positive;negative;zero;text`, or the first whose `[condition]` holds),
so a cell is read through the section Excel applies to its value, not the first.

A section is a percentage, a number printed with a percent sign, a month, a year, a date, a
duration or a plain number, as openpyxl tells them apart; or, in a format with conditions, a
label (`[=44104]"Q2 2020/21"`): text the section prints in place of the value."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import NamedTuple

# Number formats, as openpyxl tells a date (and a duration) from a number.
_PERCENT_IDS = {9, 10}
_DATE_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DURATION_IDS = {46}
_MONTH_IDS = {17}  # mmm-yy
_AM_PM = re.compile(r"am/pm|a/p", re.IGNORECASE)
_LITERALS = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_GENERAL = re.compile("general", re.IGNORECASE)
# A date or time letter, not after `_`, `\` or `*` (printed). `e` is Excel's year, as `y` is;
# `E+` and `E-` are a number's exponent (`0.00E+00`).
_DATE_TOKEN = re.compile(r"(?<![_\\*])(?:[dmhysDMHYS]|[eE](?![+-]))")
_DURATION = re.compile(
    r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE
)
# What a format prints without reading it as a format character: text in quotes, a character
# after `\` (printed), `*` (repeated to fill the cell) or `_` (a space as wide as it, so
# nothing is printed), and [bracketed] colours, conditions and locales. A `%` among them is
# no percentage: 45 in `0.0"%"` or `0.0\%` shows as 45.0%, in `0.0_%` as 45.0. Matched left
# to right, as Excel reads the code, so `\"` is an escaped quote and `"\"` a quoted backslash.
_PRINTED = re.compile(r'(?s)"[^"]*"?|[\\*_].|\[[^\]]*\]?')
# The code read left to right: a printed piece (whose `;` parts no sections), or a character.
_PIECES = re.compile(r'(?s)"[^"]*"?|[\\*_].|\[[^\]]*\]?|.')
# A section's condition, as Excel writes it: `[<1]`, `[>=44000]`, `[=0]`, `[<>0]`.
_CONDITION = re.compile(
    r"\[(<=|>=|<>|<|>|=)\s*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*\]"
)
_TESTS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "<>": operator.ne,
}
# Characters Excel prints as they are, unquoted: a section of these and printed pieces alone
# shows no value, only its text.
_LABEL_ONLY = re.compile(r"[ $\-+/():!^&'~{}<>=]*")


class Section(NamedTuple):
    """One section of a format: its kind ('%', '% sign', 'month', 'year', 'date',
    'duration' or '' for a plain number), its condition (`('<', 1.0)`), and the text it
    shows in place of the value, when it is a label."""

    kind: str
    condition: tuple[str, float] | None = None
    label: str = ""


class NumberFormat(NamedTuple):
    """A format's sections for numbers (at most three: the text section is not one), and
    whether any has a condition (then they are chosen by their conditions); `text`, how its
    text section shows a text cell (`@` where the text goes), None when it shows the text as
    it is."""

    sections: tuple[Section, ...]
    conditional: bool = False
    text: str | None = None

    def shown_text(self, text: str) -> str:
        """A text cell as the format shows it: through its text section (`;;;"green"` shows
        every text as `green`; `"Status: "@` puts the text after a label)."""
        if self.text is None:
            return text
        return "".join(
            text if piece == "@" else _shown(piece) for piece in _PIECES.findall(self.text)
        )

    def section(self, value: float) -> Section:
        """The section Excel shows `value` through."""
        sections = self.sections
        if self.conditional:
            return _by_condition(sections, value)
        if len(sections) == 1:
            return sections[0]
        if len(sections) == 2:
            return sections[0] if value >= 0 else sections[1]
        return sections[0] if value > 0 else sections[1] if value < 0 else sections[2]


PLAIN = NumberFormat((Section(""),))


def _by_condition(sections: tuple[Section, ...], value: float) -> Section:
    """Excel's rule: the first of the first two sections whose condition holds (one without
    a condition takes every value left), else the third; with none, the plain number."""
    for section in sections[:2]:
        condition = section.condition
        if condition is None or _TESTS[condition[0]](value, condition[1]):
            return section
    return sections[2] if len(sections) > 2 else PLAIN.sections[0]


def number_kind(number: int, code: str | None) -> NumberFormat:
    """What a number format means here, section by section: a built-in format by its id, a
    custom one by its code."""
    if code is None:
        return NumberFormat((Section(_built_in(number)),))
    parts = _split(code)
    text = parts.pop(3) if len(parts) > 3 else None  # a fourth section is the text section
    parts = parts[:3]
    if len(parts) > 1 and "@" in _PRINTED.sub("", parts[-1]):
        text = parts.pop()  # `mmm yyyy;@`: the last section is for text
    elif len(parts) == 1 and "@" in _PRINTED.sub("", parts[0]):
        text = parts[0]  # `"Status: "@`: one section, for text
    sections = tuple(_section(part) for part in parts)
    conditional = any(section.condition for section in sections)
    if not conditional:
        # A label chosen by position is almost always an accounting format's `-` for zero,
        # which a reader takes for the number: the number is read.
        sections = tuple(section._replace(label="") for section in sections)
    # A text section that prints nothing besides the text (`@`, `_-@_-`), or nothing at all
    # (`;;;`, which a reader may use to hide a column), leaves the text as it is.
    prints = (
        text is not None and "".join(map(_shown, _PIECES.findall(text.replace("@", "")))).strip()
    )
    return NumberFormat(sections, conditional, text if prints else None)


def _built_in(number: int) -> str:
    if number in _DATE_IDS:
        if number in _DURATION_IDS:
            return "duration"
        return "month" if number in _MONTH_IDS else "date"
    return "%" if number in _PERCENT_IDS else ""


def _split(code: str) -> list[str]:
    """The code's sections, split at each `;` that is not printed (`"a;b"`, `\\;`)."""
    parts = [""]
    for piece in _PIECES.findall(code):
        if piece == ";":
            parts.append("")
        else:
            parts[-1] += piece
    return parts


def _section(part: str) -> Section:
    condition = _CONDITION.search(part)
    test = (condition[1], float(condition[2])) if condition else None
    kind = _kind(part)
    return Section(kind, test, "" if kind else _label(part))


def _kind(part: str) -> str:
    """A section's kind (see `Section`), as openpyxl reads a whole format by its first."""
    bare = _GENERAL.sub("", _LITERALS.sub("", part))
    tokens = {token.lower().replace("e", "y") for token in _DATE_TOKEN.findall(bare)}
    if tokens:
        if _DURATION.search(part):
            return "duration"
        if _AM_PM.search(part):  # a time of day
            return "date"
        # A month and year alone (`mmm yyyy`: how Excel keeps a typed `Nov 2020`) is read as
        # the month shown; a year alone as the year.
        return {frozenset("my"): "month", frozenset("y"): "year"}.get(frozenset(tokens), "date")
    if "%" not in part:
        return ""
    if "%" in _PRINTED.sub("", part):
        return "%"
    shown = (text for text in _PRINTED.findall(part) if text[0] in '"\\*')
    return "% sign" if any("%" in text for text in shown) else ""


def _label(part: str) -> str:
    """The text a section shows in place of the value, when it prints text alone; else ''."""
    if not _LABEL_ONLY.fullmatch(_PRINTED.sub("", part)):
        return ""  # a digit, `@`, `General` or another format character: the value shows
    return "".join(map(_shown, _PIECES.findall(part))).strip()


def _shown(piece: str) -> str:
    """What one piece of a label prints: quoted text, an escaped character, a space for
    `_`; a fill (`*`) and a [bracket] print nothing here."""
    first = piece[0]
    if first == '"':
        return piece[1:].removesuffix('"')
    if len(piece) == 2 and first in "\\_*":
        return {"\\": piece[1], "_": " ", "*": ""}[first]
    return "" if first == "[" else piece
