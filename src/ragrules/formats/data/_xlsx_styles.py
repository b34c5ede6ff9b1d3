"""The styles part of an .xlsx workbook: what each cell style's number format means, and the
colour of its fill (what a reader sees behind a cell's word)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from ragrules.formats.data._xlsx_cells import attribute_int
from ragrules.formats.data._xlsx_formats import NumberFormat, number_kind
from ragrules.model.errors import DataError

# Excel's own limit on the characters in a number format code.
MAX_XLSX_FORMAT = 255


class Parts(Protocol):
    """The open workbook, as the styles reader uses it."""

    def parse(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
        *,
        limit: int | None = None,
    ) -> Iterator[None]: ...

    def damaged(self, reason: str) -> DataError: ...


class Styles:
    """What each cell style's number format means here (a `number_kind`: its sections), and
    its fill's colour (`#rrggbb` for a solid RGB fill, else '')."""

    def __init__(self, book: Parts, part: str) -> None:
        self.book = book
        self.part = part
        self.codes: dict[int, str] = {}
        self.ids: list[int] = []
        self.fill_ids: list[int] = []
        self.colours: list[str] = []  # each <fill> of <fills>, in order
        self.depth = 0  # inside <cellXfs>
        self.in_fills = 0  # inside <fills> (not the <fill>s of differential formats)
        self.solid = False  # inside a solid <patternFill>
        for _ in book.parse(part, self.start, self.end):
            pass
        kinds = {number: number_kind(number, self.codes.get(number)) for number in set(self.ids)}
        self.kinds: list[NumberFormat] = [kinds[number] for number in self.ids]
        colours = self.colours
        self.fills = [colours[n] if 0 <= n < len(colours) else "" for n in self.fill_ids]

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "cellXfs":
            self.depth += 1
        elif local == "xf" and self.depth:
            self.ids.append(attribute_int(attrs.get("numFmtId", "0")))
            self.fill_ids.append(attribute_int(attrs.get("fillId", "0")))
        elif local == "fills":
            self.in_fills += 1
        elif local == "fill" and self.in_fills:
            self.colours.append("")
        elif local == "patternFill" and self.in_fills:
            self.solid = attrs.get("patternType") == "solid"
        elif local == "fgColor" and self.solid and self.colours:
            self.colours[-1] = _rgb(attrs.get("rgb", ""))
        elif local == "numFmt":
            code = attrs.get("formatCode", "")
            if len(code) > MAX_XLSX_FORMAT:  # and the patterns below need not be linear
                raise self.book.damaged(
                    f"{self.part}: a number format is longer than {MAX_XLSX_FORMAT}"
                    " characters, Excel's limit",
                )
            self.codes[attribute_int(attrs.get("numFmtId", "0"))] = code

    def end(self, name: str) -> None:
        local = name.rpartition(" ")[2]
        if local == "cellXfs":
            self.depth -= 1
        elif local == "fills":
            self.in_fills -= 1
        elif local == "patternFill":
            self.solid = False


def _rgb(value: str) -> str:
    """`#rrggbb` from an ARGB (`FFB10E1E`) or RGB colour attribute; '' for anything else."""
    digits = value[2:] if len(value) == 8 else value
    if len(digits) != 6 or not all(c in "0123456789abcdefABCDEF" for c in digits):
        return ""
    return "#" + digits.lower()
