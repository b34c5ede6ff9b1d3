"""A split year written in two digits each (`Q2 24/25`), as council papers write it: never
read as a period (which century is not for ragrules to guess), but said how to write."""

from __future__ import annotations

import re

# A quarter's word, as council papers write it: `Q2`, `Quarter 2`, `Qtr 2`, `Qtr. 2`, `Q 2`
# (the periods' own pattern too).
QUARTER_WORD = r"(?:quarter|qtr\.?|q)\s*"
# A split year in two digits each, with or without a quarter (`Q2 24/25`, `24/25 Qtr 2`).
_SHORT_SPLIT_YEAR = re.compile(
    rf"^(?:{QUARTER_WORD}([1-4])\s*)?([0-9]{{2}})/([0-9]{{2}})(?:\s*{QUARTER_WORD}([1-4]))?$"
)


def four_digit_year(key: str, *, rolling: bool, ytd: bool) -> str | None:
    """`key` (a period's text, lower case, its YTD and R12M taken off) written with its year
    in four digits (1990 to 2089 is shown), YTD or R12M put back; None when it is no split
    year in two digits (`03/24`, `50/50`: the second year must follow the first)."""
    short = _SHORT_SPLIT_YEAR.match(key)
    if short is None:
        return None
    before, first, second, after = short.groups()
    if int(second) != (int(first) + 1) % 100:
        return None
    century = "19" if int(first) >= 90 else "20"
    quarter = before or after
    text = f"{century}{first}/{second}" + (f" Q{quarter}" if quarter else "")
    return f"R12M {text}" if rolling else f"{text} YTD" if ytd else text
