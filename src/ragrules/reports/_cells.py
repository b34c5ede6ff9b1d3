"""CSV cells made safe for a spreadsheet (terminal text is made safe by `_text`).

Ids, titles, commentary, values and passed-through columns come from rulesets and data that
ragrules does not control. Opened in Excel, a CSV cell starting with `=`, `+`, `-` or `@` runs
as a formula. Every CSV writer uses the functions here, so the convention is stated and tested
in one place.

CSV (the OWASP convention, reversible with `csv_unsafe`): a cell that starts with one of
`=`, `+`, `-`, `@`, tab or carriage return, after any leading single quotes, gets one more `'`
in front. Left alone: a plain number (`-5`, `+0.4`, `-1e3`, `-12%`: ASCII digits with an
optional sign, decimals, exponent and percent sign), which a spreadsheet reads as a number,
never a formula; and a lone `-`, the usual "no value" and the arrow of an unjudged move. The
leading quotes are counted so that a cell that already read `'=1` is told apart from a
neutralised `=1`: it is written `''=1`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from typing import Any, Protocol

CSV_TRIGGERS = frozenset("=+-@\t\r")
"""What starts a formula in a spreadsheet (tab and CR too: some programs strip them first)."""

# A plain number, or a lone `-` (the usual "no value", and the arrow of an unjudged move).
_PLAIN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?%?|-")
_FIRST = CSV_TRIGGERS | {"'"}


def _needs_quote(text: str) -> bool:
    if text[:1] not in _FIRST:  # nearly every cell: one look at its first character
        return False
    # Leading quotes are skipped, so `'=1` (needs one) and `''=1` (its neutralised form)
    # answer the same, which is what makes `csv_unsafe` exact.
    rest = text.lstrip("'")
    return rest[:1] in CSV_TRIGGERS and _PLAIN.fullmatch(rest) is None


def csv_safe(text: str) -> str:
    """The cell as written to CSV: `'` in front when a spreadsheet could run it as a formula."""
    _check_cell("csv_safe", text)
    return "'" + text if _needs_quote(text) else text


def csv_unsafe(text: str) -> str:
    """The cell as it was before `csv_safe`: `csv_unsafe(csv_safe(x)) == x` for every text."""
    _check_cell("csv_unsafe", text)
    return text[1:] if text[:1] == "'" and _needs_quote(text[1:]) else text


def _check_cell(name: str, text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(
            f"{name} takes a cell's text (a str), not {type(text).__name__}; "
            "write a missing cell as ''"
        )


class _Out(Protocol):
    def write(self, text: str, /) -> Any: ...


class _NewlineLines:
    """Lines written by a writer ending them in CRLF, passed on ending in LF.

    `csv.writer` quotes a field holding a line break only when the break is in its line
    terminator: with `lineterminator="\\n"`, a lone CR in an id goes out unquoted and splits
    the row in every reader. Written with CRLF, any CR or LF in a field is quoted, and each
    line (one `write` call per row) still ends in a plain LF.
    """

    def __init__(self, out: _Out) -> None:
        self._write = out.write

    def write(self, line: str) -> Any:
        return self._write(line[:-2] + "\n")


class CsvWriter(Protocol):
    def writerow(self, row: list[object], /) -> Any: ...


def csv_writer(out: _Out) -> CsvWriter:
    """A `csv.writer` whose lines end in LF and whose fields with a CR or LF are quoted."""
    return csv.writer(_NewlineLines(out), lineterminator="\r\n")


def csv_row(cells: Sequence[object], *, safe: bool = True) -> list[object]:
    """A row for `csv.writer`: text cells through `csv_safe` (unless `safe` is false)."""
    if not safe:
        return list(cells)
    # The first-character test inline: a stream writes millions of cells, nearly all plain.
    return [csv_safe(cell) if type(cell) is str and cell[:1] in _FIRST else cell for cell in cells]
