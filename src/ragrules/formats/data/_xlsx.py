"""The first sheet of an .xlsx workbook, streamed by a small reader on the standard library.

Why not openpyxl: a workbook is a zip of XML parts, and both can be bombs. openpyxl trusts
the sheet's `<dimension ref>`, so a 1.4 KB file declaring `A1:XFD1048576`, with one cell in
the last row, makes it fill in 17 billion empty cells (it never finishes); and it loads
every shared string into memory before the first row, so one 300 MB string packed into
293 KB takes gigabytes. Guards around openpyxl can check
zip entry sizes up front but cannot stop it inside a part. This reader streams each part
through expat (`xml.parsers.expat`, no tree is built) in 64 KB chunks and counts as it
reads: bytes unpacked per part and in all, characters in one cell, cells (counting the
blanks filled in before a cell), rows and columns. Each limit is checked while reading, so a
bomb stops within a chunk of its limit. It reads only what ragrules needs (values and the
number formats that change how a value is printed), needs no dependency, and a plain
install reads .xlsx.

No DTD is read: a part that declares a DOCTYPE or an entity is refused (Excel never writes
one), and every part is read as UTF-8, as Excel writes it, so the check on the bytes cannot
be dodged by another encoding.

Cells are read as openpyxl read them (data_only): a formula's cached value; numbers through
their shortest repr (0.28149999999999997 is 0.2815), to the 15 significant digits Excel keeps
and shows (0.7559999999999999, what `=75.6/100` stores, is 0.756); a number formatted as a
percentage as a percentage (0.48 shown as 48% is `48%`), to every digit it holds; a date shown
as a month and year alone (`mmm yyyy`, `mmm e`) as that month (`2020-09`), a period, and one
shown as its year alone (`yyyy`) as that year (`2020`); a number with another date or time
format as the date or time (`2020-09-30 00:00:00`, `12:00:00`), and a serial no date holds
(negative, or past 9999) as Excel shows it, `########`. Each number is read through the section
of its format Excel shows it by (`[<1]h:mm;mmm yyyy`: a time below 1, else a month), and a
section that only prints a label, chosen by a condition (`[=44104]"Q2 2020/21"`), as that
label. An ISO date cell (`t="d"`) is read through its format as the serial Excel keeps for it
(through a section that is no date, as the date); booleans as `True`/`False`; text stripped,
once Excel's escapes are decoded as Excel shows them (`_x000D_` is a carriage return, `_x005F_`
an underscore; openpyxl leaves `_x000D_` as written). A number cell whose value no Decimal
holds exactly (`1E400`, `nan`) is kept as written, so it is rated `invalid` with a reason
instead of stopping the file. So is a formula with no value Excel saved (openpyxl and
XlsxWriter write none, or a 0, and ask Excel to calculate it): it reads as `NOT_CALCULATED`,
where openpyxl reads nothing, or the 0. A number whose format only prints a percent sign
(`0.0"%"`) is the number with a `%`, unscaled (45 shown as 45.0% is `45%`).
"""

from __future__ import annotations

import datetime
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from typing import IO
from xml.parsers import expat

from ragrules.formats.data._xlsx_cells import (
    COLUMNS,
    MAX_XLSX_COLUMNS,
    MAX_XLSX_ROWS,
    attribute_int,
    column_letters,
    column_number,
    dimension_width,
)
from ragrules.formats.data._xlsx_formats import PLAIN, NumberFormat
from ragrules.formats.data._xlsx_parts import (
    DAMAGED,
    LOCAL,
    MAX_XLSX_CELLS,
    MAX_XLSX_PART_BYTES,
    MAX_XLSX_TEXT,
    TOO_LARGE,
    SharedStrings,
    SheetRows,
    existing,
    first_sheet,
    local_name,
    relationships,
    rels_of,
    resolve,
    workbook_damaged,
    workbook_error,
)
from ragrules.formats.data._xlsx_styles import Styles
from ragrules.formats.data._xlsx_values import (
    MAC_EPOCH,
    NOT_CALCULATED,
    WINDOWS_EPOCH,
    cell_text,
    date_text,
    number_text,
)
from ragrules.model.errors import DataError

# Bytes unpacked from any part but the sheet and the shared strings (the relationships,
# workbook and styles, which are held in memory), each; and from all parts read.
MAX_XLSX_META_BYTES = 16 * 2**20
MAX_XLSX_BYTES = 256 * 2**20

_CHUNK = 1 << 16

_Start = Callable[[str, dict[str, str]], None]
_End = Callable[[str], None]


def read_rows(data: bytes, source: str, sheet: str = "") -> SheetRows:
    """The first sheet (or the sheet named `sheet`) of the workbook `data` as (row number,
    cells as text) pairs.

    Rows come with the numbers Excel shows; rows the file leaves out are skipped, except
    that a sheet with any rows starts with row 1, the header row (empty if the file has
    none, as openpyxl gave it).
    The first row is as wide as the sheet's declared dimension (at most MAX_XLSX_COLUMNS),
    so `#N` column mappings reach blank header cells; other rows end at their last value.
    Anything unreadable or past a limit is a DataError naming `source`; an error about the
    header, which the rows' reader finds, names the sheet too (`SheetRows.placed`).
    """
    return SheetRows(data, source, sheet, _Workbook)


def read_fills(data: bytes, source: str, sheet: str, column: int) -> dict[int, str]:
    """The fill colour (`#rrggbb`) of each cell in `column` (from 1) of the sheet that holds
    a value and is filled with a solid colour given as RGB, by row number: what a reader
    sees behind a status word. A fill given as a theme or indexed colour is not read. The
    same limits as `read_rows`; at most one colour a row is held."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # zipfile raises many kinds for a damaged or foreign file
        raise workbook_damaged(source, f"{exc}") from None
    with archive:
        return _Workbook(archive, source, sheet).fills(column)


class _Workbook:
    """One open workbook: finds its parts, then streams the sheet."""

    def __init__(self, archive: zipfile.ZipFile, source: str, sheet: str = "") -> None:
        self.archive = archive
        self.source = source
        self.sheet = sheet
        self.unpacked = 0
        self.cells = 0
        self.recalculate = False  # the formulas' saved values are not Excel's (`first_sheet`)
        self.shown = ""  # the name of the sheet read, once found (blank: none is given)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        yield from self._sheet().rows()

    def fills(self, column: int) -> dict[int, str]:
        """Each filled cell's colour in `column` (see `read_fills`), the sheet read as
        `rows` reads it."""
        reading = self._sheet(fill_column=column)
        for _ in reading.rows():
            pass
        return reading.filled

    def _sheet(self, *, fill_column: int = 0) -> _Sheet:
        """The sheet, ready to stream; with `fill_column`, its cells' fills there are kept."""
        sheet, strings_part, styles_part, epoch = self._parts()
        styles = Styles(self, styles_part) if styles_part else None
        strings = SharedStrings(self, strings_part).strings if strings_part else []
        reading = _Sheet(self, sheet, strings, styles.kinds if styles else [], epoch)
        if fill_column:
            reading.fills = styles.fills if styles else []
            reading.fill_column = fill_column
        return reading

    def _parts(self) -> tuple[str, str | None, str | None, datetime.datetime]:
        """The sheet's part, the shared strings' and styles' parts, and the date epoch."""
        workbook = self._target(relationships(self, "_rels/.rels"), "officeDocument")
        workbook = workbook or "xl/workbook.xml"
        folder = posixpath.dirname(workbook)
        links = relationships(self, rels_of(workbook))
        sheet, self.shown, date1904, self.recalculate = first_sheet(self, workbook, links)
        strings_part = self._target(links, "sharedStrings", folder)
        styles_part = self._target(links, "styles", folder)
        if not links and sheet is None:
            # A workbook without relationships: the parts where Excel puts them.
            sheet = existing(self, f"{folder}/worksheets/sheet1.xml")
            strings_part = existing(self, f"{folder}/sharedStrings.xml")
            styles_part = existing(self, f"{folder}/styles.xml")
        if sheet is None:
            raise workbook_damaged(
                self.source,
                f"it has no {self.sheet!r} sheet" if self.sheet else "it has no worksheet",
            )
        return sheet, strings_part, styles_part, MAC_EPOCH if date1904 else WINDOWS_EPOCH

    def damaged(self, reason: str) -> DataError:
        """The workbook is not one ragrules can read, for `reason`."""
        return workbook_damaged(self.source, reason)

    def _target(self, links: dict[str, tuple[str, str]], kind: str, folder: str = "") -> str | None:
        for link_type, target in links.values():
            if link_type.rsplit("/", 1)[-1] == kind:
                return resolve(folder, target)
        return None

    def parse(
        self,
        part: str,
        start: _Start,
        end: _End | None = None,
        text: Callable[[str], None] | None = None,
        *,
        limit: int | None = None,
    ) -> Iterator[None]:
        """Stream `part` through expat with these handlers, yielding after each chunk; at
        most `limit` bytes (MAX_XLSX_META_BYTES unless given)."""
        limit = MAX_XLSX_META_BYTES if limit is None else limit
        try:
            info = self.archive.getinfo(part)
        except KeyError:
            raise workbook_damaged(self.source, f"{part} is missing") from None
        if info.file_size > limit:
            raise self._too_large(part, limit)
        parser = expat.ParserCreate("utf-8", " ")
        parser.buffer_text = True
        parser.buffer_size = _CHUNK
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
        if text is not None:
            parser.CharacterDataHandler = text
        parser.StartDoctypeDeclHandler = self._doctype(part)
        parser.EntityDeclHandler = self._doctype(part)
        read = 0
        tail = b""
        with self._open(info) as stream:
            while chunk := self._read(stream, part):
                read += len(chunk)
                self.unpacked += len(chunk)
                if read > limit:
                    raise self._too_large(part, limit)
                if self.unpacked > MAX_XLSX_BYTES:
                    raise self._too_large("the parts read", MAX_XLSX_BYTES, total=True)
                if read == len(chunk) and chunk.startswith((b"\xfe\xff", b"\xff\xfe")):
                    raise workbook_damaged(self.source, f"{part} is not UTF-8")
                if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                    raise workbook_damaged(self.source, f"{part} declares a DOCTYPE")
                tail = chunk[-8:]
                self._feed(parser, part, chunk, final=False)
                yield
            self._feed(parser, part, b"", final=True)
        yield

    def _open(self, info: zipfile.ZipInfo) -> IO[bytes]:
        try:
            return self.archive.open(info)
        except Exception as exc:  # encrypted, an unknown compression, a bad header
            raise workbook_damaged(self.source, f"{info.filename}: {exc}") from None

    def _read(self, stream: IO[bytes], part: str) -> bytes:
        try:
            return stream.read(_CHUNK)
        except Exception as exc:  # a bad CRC, truncated or corrupt compressed data
            raise workbook_damaged(self.source, f"{part}: {exc}") from None

    def _feed(self, parser: expat.XMLParserType, part: str, chunk: bytes, *, final: bool) -> None:
        try:
            parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            reason = f"{expat.ErrorString(exc.code)} at line {exc.lineno}, column {exc.offset + 1}"
            raise workbook_damaged(self.source, f"{part}: {reason}") from None

    def _doctype(self, part: str) -> Callable[..., None]:
        def refuse(*_: object) -> None:
            raise workbook_damaged(self.source, f"{part} declares a DOCTYPE")

        return refuse

    def _too_large(self, part: str, limit: int, *, total: bool = False) -> DataError:
        unpack = "unpack" if total else "unpacks"
        return workbook_error(
            self.source,
            f"the workbook is too large to read: {part} {unpack} to more than {limit:,} bytes",
            TOO_LARGE,
        )

    def count_cells(self, cells: int, row: int) -> None:
        self.cells += cells
        if self.cells > MAX_XLSX_CELLS:
            raise workbook_error(
                self.source,
                f"the sheet has more than {MAX_XLSX_CELLS:,} cells, counting the blank cells"
                " before the last cell of each row",
                TOO_LARGE,
                row=row,
            )


class _Sheet:
    """The worksheet's rows, streamed: each row is handed on once its end tag is read."""

    def __init__(
        self,
        book: _Workbook,
        part: str,
        strings: list[str],
        formats: list[NumberFormat],
        epoch: datetime.datetime,
    ) -> None:
        self.book = book
        self.part = part
        self.strings = strings
        self.formats = formats
        self.kinds: dict[str | None, NumberFormat] = {}  # a cell's `s` attribute -> its format
        self.fills: list[str] | None = None  # each style's fill, when fills are read
        self.fill_column = 0  # the column whose fills are read
        self.fill = ""  # the current cell's, when in that column
        self.filled: dict[int, str] = {}  # row -> the colour of its filled cell with a value
        self.epoch = epoch
        self.width = 0  # from <dimension>, for the first row only
        self.in_data = False
        # Rows read from the last chunk: (number, (column, text) of each value, width); the
        # blanks are filled in only as each row is handed on.
        self.ready: list[tuple[int, list[tuple[int, str]], int]] = []
        self.last_row = 0
        self.row = 0
        self.column = 0
        self.values: list[tuple[int, str]] = []
        self.reference = ""
        self.type = "n"
        self.kind = PLAIN
        self.reading = False
        self.phonetic = 0
        self.pieces: list[str] = []
        self.length = 0
        self.has_value = False
        self.formula = False  # the cell holds a formula (`<f>`)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        first = True
        handlers = (self.start, self.end, self.text)
        for _ in self.book.parse(self.part, *handlers, limit=MAX_XLSX_PART_BYTES):
            ready, self.ready = self.ready, []
            for number, values, width in ready:
                if first:
                    first = False
                    if number != 1:
                        yield 1, [""] * self.width
                    elif width < self.width:
                        self.book.count_cells(self.width - width, number)
                        width = self.width
                cells = [""] * width
                for column, text in values:
                    cells[column - 1] = text
                yield number, cells

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = LOCAL.get(name) or local_name(name)
        if not self.in_data:
            if local == "sheetData":
                self.in_data = True
            elif local == "dimension":
                self.width = dimension_width(attrs.get("ref", ""))
        elif local == "c":
            self.start_cell(attrs)
        elif local == "v":
            self.reading = self.type != "inlineStr"
            self.has_value = self.has_value or self.reading
        elif local == "row":
            self.start_row(attrs.get("r"))
        elif local == "t":
            self.reading = self.type == "inlineStr" and not self.phonetic
            self.has_value = self.has_value or self.reading
        elif local == "rPh":
            self.phonetic += 1
        elif local == "f":
            self.formula = True

    def end(self, name: str) -> None:
        if not self.in_data:
            return
        local = LOCAL.get(name) or local_name(name)
        if local == "v" or local == "t":
            self.reading = False
        elif local == "c":
            if self.formula and self.not_calculated():
                self.values.append((self.column, NOT_CALCULATED))
            elif self.has_value:
                self.values.append((self.column, self.value("".join(self.pieces))))
                if self.fill:
                    self.filled[self.row] = self.fill
        elif local == "row":
            self.end_row()
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "sheetData":
            self.in_data = False

    def text(self, data: str) -> None:
        if self.reading:
            self.length += len(data)
            if self.length > MAX_XLSX_TEXT:
                raise self.error(
                    f"cell {self.where()} holds more than {MAX_XLSX_TEXT:,} characters,"
                    " Excel's limit for a cell"
                )
            self.pieces.append(data)

    def start_row(self, reference: str | None) -> None:
        if reference is None:
            number = self.last_row + 1
        elif reference.isascii() and reference.isdigit() and len(reference) <= 7:
            number = int(reference)
        else:
            raise self.error(f"row number {reference[:20]!r} is not a row number")
        self.row = number
        if number > MAX_XLSX_ROWS:
            raise self.error(f"row {number:,} is past Excel's last row, {MAX_XLSX_ROWS:,}")
        if number <= self.last_row:
            raise self.error(f"row {number:,} comes after row {self.last_row:,}")
        self.last_row = number
        self.column = 0
        self.values = []

    def start_cell(self, attrs: dict[str, str]) -> None:
        book = self.book
        book.cells += 1
        if book.cells > MAX_XLSX_CELLS:
            book.count_cells(0, self.row)
        reference = attrs.get("r")
        if reference is None:
            self.column += 1
            self.reference = ""
        else:
            letters = reference.rstrip("0123456789")
            column = COLUMNS.get(letters) or column_number(letters)
            digits = reference[len(letters) :]
            if not column or not digits or len(digits) > 7:
                raise self.error(f"cell reference {reference[:20]!r} is not a cell")
            self.column = column
            self.reference = reference
        if self.column > MAX_XLSX_COLUMNS:
            raise self.error(
                f"cell {self.where()} is past Excel's last column, XFD ({MAX_XLSX_COLUMNS:,}"
                " columns)"
            )
        self.type = attrs.get("t", "n")
        style = attrs.get("s")
        if self.fills is not None:
            index = attribute_int(style or "0")
            in_column = self.column == self.fill_column and index < len(self.fills)
            self.fill = self.fills[index] if in_column else ""
        kind = self.kinds.get(style)
        if kind is None:
            index = attribute_int(style or "0")
            kind = self.formats[index] if index < len(self.formats) else PLAIN
            if len(self.kinds) < 10_000:
                self.kinds[style] = kind
        self.kind = kind
        self.pieces = []
        self.length = 0
        self.has_value = self.formula = False

    def not_calculated(self) -> bool:
        """A formula cell holds no value Excel saved: none, an empty number, or any in a
        workbook that asks to be calculated (an empty `t="str"` is a formula's empty text)."""
        empty = self.type == "n" and not "".join(self.pieces).strip()
        return self.book.recalculate or not self.has_value or empty

    def end_row(self) -> None:
        width = max([column for column, _ in self.values], default=0)
        self.book.count_cells(max(0, width - len(self.values)), self.row)
        self.ready.append((self.row, self.values, width))
        self.values = []

    def value(self, text: str) -> str:
        """A cell's text as openpyxl's value read it, printed as `_excel_text` printed it."""
        kind = self.type
        if kind == "n":
            return number_text(text, self.kind, self.epoch)
        if kind == "s":
            index = attribute_int(text, -1)
            if not 0 <= index < len(self.strings):
                raise self.error(
                    f"cell {self.where()} refers to shared string {text.strip()[:20]!r},"
                    f" but the workbook has {len(self.strings):,}"
                )
            shown = self.kind.text  # a format's text section: what the cell shows
            return (
                self.strings[index]
                if shown is None
                else self.kind.shown_text(self.strings[index]).strip()
            )
        if kind == "b":
            flag = attribute_int(text, -1)
            return text.strip() if flag < 0 else str(bool(flag))
        if kind == "d":
            return date_text(text, self.kind, self.epoch)
        shown = cell_text(text)  # inlineStr, str (a formula's text), e (an error such as #N/A)
        return shown if self.kind.text is None else self.kind.shown_text(shown).strip()

    def where(self) -> str:
        return self.reference or f"{column_letters(self.column)}{self.row}"

    def error(self, message: str) -> DataError:
        return workbook_error(
            self.book.source,
            f"not a readable .xlsx workbook: {self.part}: {message}",
            DAMAGED,
            row=self.row or None,
        )
