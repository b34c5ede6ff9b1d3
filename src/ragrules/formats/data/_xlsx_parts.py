"""Finding an .xlsx workbook's parts: its relationships, the worksheet asked for, and the
shared strings table, each read within the limits a hostile file cannot pass; the sheet's
rows, which say which sheet an error about its header is in; and the errors that say a
workbook cannot be read."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from typing import Protocol

import attrs

from ragrules.formats.data._xlsx_styles import Parts
from ragrules.formats.data._xlsx_values import cell_text
from ragrules.model.errors import DataError, Problem

# Excel's own limit on the characters in one cell (and so in one shared string).
MAX_XLSX_TEXT = 32_767
# Cells read, counting the blank cells filled in before a cell (a lone cell in column XFD is
# 16,384 cells), and shared strings held in memory.
MAX_XLSX_CELLS = 20_000_000
# Bytes unpacked from the sheet or the shared strings, each.
MAX_XLSX_PART_BYTES = 128 * 2**20

DAMAGED = "save it again as .xlsx"
TOO_LARGE = "save the sheet as CSV, or delete the rows and columns it does not need"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
LOCAL: dict[str, str] = {}  # element names without their namespace, as read


class Book(Parts, Protocol):
    """The open workbook, as these readers use it: its parts (`Parts`, as the styles reader
    reads them), and where it is."""

    archive: zipfile.ZipFile
    source: str
    sheet: str


class Opened(Protocol):
    """An open workbook (`_xlsx._Workbook`) as `SheetRows` reads it: the sheet's rows, and
    its name once they are read from (`shown`)."""

    shown: str

    def rows(self) -> Iterator[tuple[int, list[str]]]: ...


class SheetRows(Iterator[tuple[int, list[str]]]):
    """A sheet's rows (`_xlsx.read_rows`), streamed, which know where they come from: a
    workbook holds several sheets, so an error about the header names the sheet read."""

    def __init__(
        self,
        data: bytes,
        source: str,
        sheet: str,
        opening: Callable[[zipfile.ZipFile, str, str], Opened],
    ) -> None:
        self.source = source
        self.book: Opened | None = None  # once opened
        self.header: int | None = None  # the header's row number, once read
        self.ended = False
        self._rows = self._read(data, sheet, opening)

    def __next__(self) -> tuple[int, list[str]]:
        try:
            number, cells = next(self._rows)
        except StopIteration:
            self.ended = True
            raise
        if self.header is None:
            self.header = number
        return number, cells

    def placed(self, error: DataError) -> DataError:
        """`error`, about the header this sheet gave (or its lack of one), with the sheet
        named and the header's row: `data.xlsx:row 1: sheet 'Q2': header: ...`. An error
        of reading the workbook itself is returned as it is: it says where already."""
        if self.book is None or (self.header is None and not self.ended):
            return error
        named = f"sheet {self.book.shown!r}: " if self.book.shown else ""
        return DataError(
            problems=tuple(
                attrs.evolve(problem, row=self.header, message=named + problem.message)
                if problem.row is None and problem.line is None
                else problem
                for problem in error.problems
            )
        )

    def _read(
        self, data: bytes, sheet: str, opening: Callable[[zipfile.ZipFile, str, str], Opened]
    ) -> Iterator[tuple[int, list[str]]]:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except Exception as exc:  # zipfile raises many kinds for a damaged or foreign file
            raise workbook_damaged(self.source, f"{exc}") from None
        with archive:
            self.book = opening(archive, self.source, sheet)
            yield from self.book.rows()


def relationships(book: Book, part: str) -> dict[str, tuple[str, str]]:
    """A relationships part as Id -> (type, target); empty if the part is missing."""
    if existing(book, part) is None:
        return {}
    links: dict[str, tuple[str, str]] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_RELATIONSHIPS} Relationship" and attrs.get("TargetMode") != "External":
            links[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    for _ in book.parse(part, start):
        pass
    return links


def first_sheet(
    book: Book, workbook: str, links: dict[str, tuple[str, str]]
) -> tuple[str | None, str, bool, bool]:
    """The first worksheet's part (as openpyxl's `worksheets[0]`), or the one named by the
    book's `sheet` (refused when hidden: a paper is read as shown), and its name (blank when
    it has none); whether dates count from 1904, and whether the workbook asks to be
    calculated when opened (`fullCalcOnLoad`): its formulas' saved values are not Excel's
    results, as openpyxl and XlsxWriter write them (XlsxWriter saves a 0 for each), and
    Excel drops the flag when it calculates and saves the workbook."""
    if existing(book, workbook) is None:
        raise workbook_damaged(book.source, f"{workbook} is missing")
    folder = posixpath.dirname(workbook)
    found: list[str] = []
    names: list[str] = []
    date1904 = [False]
    recalculate = [False]

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        if local == "workbookPr":
            date1904[0] = attrs.get("date1904", "").strip().lower() in ("1", "true")
        elif local == "calcPr":
            recalculate[0] = attrs.get("fullCalcOnLoad", "").strip().lower() in ("1", "true")
        elif local == "sheet" and not found and (not book.sheet or attrs.get("name") == book.sheet):
            if book.sheet and attrs.get("state", "visible") != "visible":
                raise workbook_error(  # a named sheet is a paper's: what its reader is shown
                    book.source,
                    f"its {book.sheet!r} sheet is hidden, so its reader is shown another",
                    "a paper ragrules wrote hides no sheet; show it, or check the paper",
                )
            for key, value in attrs.items():
                if key.endswith("relationships id") and value in links:
                    link_type, target = links[value]
                    if link_type.endswith("/worksheet"):
                        found.append(resolve(folder, target))
                        names.append(attrs.get("name", ""))

    for _ in book.parse(workbook, start):
        pass
    if not found:
        return None, "", date1904[0], recalculate[0]
    return found[0], names[0], date1904[0], recalculate[0]


class SharedStrings:
    """The shared strings table: the text of each `<si>`, phonetic runs left out."""

    def __init__(self, book: Book, part: str) -> None:
        self.book = book
        self.part = part
        self.strings: list[str] = []
        self.pieces: list[str] = []
        self.length = 0
        self.reading = False
        self.phonetic = 0
        for _ in book.parse(part, self.start, self.end, self.text, limit=MAX_XLSX_PART_BYTES):
            pass

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = LOCAL.get(name) or local_name(name)
        if local == "t":
            self.reading = not self.phonetic
        elif local == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        local = LOCAL.get(name) or local_name(name)
        if local == "t":
            self.reading = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "si":
            self.strings.append(cell_text("".join(self.pieces)))  # once, not per cell
            self.pieces = []
            self.length = 0
            if len(self.strings) > MAX_XLSX_CELLS:
                raise workbook_error(
                    self.book.source,
                    f"the workbook has more than {MAX_XLSX_CELLS:,} shared strings",
                    TOO_LARGE,
                )

    def text(self, data: str) -> None:
        if self.reading:
            self.length += len(data)
            if self.length > MAX_XLSX_TEXT:
                raise workbook_damaged(
                    self.book.source,
                    f"{self.part}: shared string {len(self.strings)} holds more than"
                    f" {MAX_XLSX_TEXT:,} characters, Excel's limit for a cell",
                )
            self.pieces.append(data)


def local_name(name: str) -> str:
    """An element's name without its namespace, cached for the names a workbook uses."""
    local = name.rpartition(" ")[2]
    if len(LOCAL) < 1_000:
        LOCAL[name] = local
    return local


def existing(book: Book, part: str) -> str | None:
    return part if part in book.archive.NameToInfo else None


def rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def resolve(folder: str, target: str) -> str:
    """A relationship's target as a part name: absolute (`/xl/...`) or relative to `folder`."""
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")


def workbook_damaged(source: str, reason: str) -> DataError:
    return workbook_error(source, f"not a readable .xlsx workbook: {reason}", DAMAGED)


def workbook_error(source: str, message: str, hint: str, *, row: int | None = None) -> DataError:
    return DataError(problems=(Problem(file=source, row=row, message=message, hint=hint),))
