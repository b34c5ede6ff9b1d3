"""The report as an Excel workbook, where council performance packs live: the summary, every
indicator, the key, the exception report and the caveats, each on its own sheet.

Values are numbers with number formats that show them as published (`28.15%`), statuses are
coloured by the ruleset's colours, and every text is written as text: a commentary that
starts with `=` is shown, never run as a formula. Written with XlsxWriter (the `excel`
extra), chosen by measurement over openpyxl (decision 52).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ragrules.engine.report import Report, Result
from ragrules.engine.selection import Selection
from ragrules.model.numbers import format_decimal
from ragrules.reports._colours import tile_colours
from ragrules.reports._render import (
    CONTEXT_LABEL,
    Shares,
    areas_json,
    caveat_text,
    context_rows,
    edges_text,
    indicator_name,
    margin_column,
    summary_rows,
    target_text,
    travel_counts,
)

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

SHEETS = ("Summary", "Indicators", "Key", "Exceptions", "Caveats")
INDICATOR_COLUMNS = (
    "Indicator",
    "Title",
    "Area",
    "Breakdown",
    "Period",
    "Value",
    "Target",
    "Tolerance",
    "Status",
    "Computed status",
)
_CREATED = datetime.datetime(2000, 1, 1)  # the workbook's date: fixed, as its bytes are
_MAX_NUMBER_DIGITS = 15  # what a spreadsheet's number holds exactly; longer stays text
_UNITS_SHOWN = {"percent": '"%"'}  # a number format's suffix for a unit


def to_xlsx(report: Report) -> bytes:
    """The workbook's bytes. ImportError, saying what to install, without XlsxWriter."""
    try:
        import xlsxwriter
    except ImportError:
        raise ImportError(
            'writing Excel needs XlsxWriter: pip install "ragrules[excel]"', name="xlsxwriter"
        ) from None
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            # Text is text: never a formula, URL or number read from a string.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": report.ruleset.title or report.ruleset.id,
            "subject": f"Period {report.period}" if report.period else "",
            "comments": f"ragrules ruleset fingerprint {report.fingerprint}",
            # A fixed date: the same ruleset and data give the same workbook, byte for byte.
            "created": _CREATED,
        }
    )
    writer = _Writer(book, report)
    writer.summary()
    writer.indicators()
    writer.key()
    writer.exceptions()
    writer.caveats()
    book.close()
    return out.getvalue()


class _Writer:
    """One workbook's sheets and the formats they share."""

    def __init__(self, book: Workbook, report: Report) -> None:
        self.book, self.report, self.ruleset = book, report, report.ruleset
        self.bold = book.add_format({"bold": True})
        self.heading = book.add_format({"bold": True, "bg_color": "#f3f2f1", "border": 1})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.formats: dict[tuple[str, ...], Format] = {}

    def format(self, *key: str) -> Format:
        """A format by (kind, detail): ("status", name) or ("number", code)."""
        found = self.formats.get(key)
        if found is None:
            kind, detail = key
            if kind == "status":
                background, ink = tile_colours(detail, self.ruleset)
                found = self.book.add_format(
                    {"bg_color": background, "font_color": ink, "bold": True, "border": 1}
                )
            else:
                found = self.book.add_format({"num_format": detail})
            self.formats[key] = found
        return found

    def sheet(self, name: str, header: Sequence[str], widths: Sequence[int]) -> Worksheet:
        sheet = self.book.add_worksheet(name)
        for column, (title, width) in enumerate(zip(header, widths, strict=True)):
            sheet.write_string(0, column, title, self.heading)
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        return sheet

    def text(self, sheet: Worksheet, row: int, column: int, value: str, form: Any = None) -> None:
        """Text, always as text (`write_string`): never a formula from data; cut, saying so,
        where it is longer than a cell holds."""
        if value:
            sheet.write_string(row, column, _fitted(value), form)

    def shares(self, sheet: Worksheet, row: int, shares: Shares, form: Any) -> None:
        """A summary row's shares, from the third column, as percentages (blank: none)."""
        for column, share in enumerate(shares, start=2):
            if share is not None:
                sheet.write_number(row, column, share / 100, form)

    def status(self, sheet: Worksheet, row: int, column: int, status: str) -> None:
        self.text(sheet, row, column, self.ruleset.label(status), self.format("status", status))

    def number(self, sheet: Worksheet, row: int, column: int, value: Decimal, unit: str) -> None:
        """A number with the format that shows it as rated (`28.15%`); a value a spreadsheet
        cannot hold exactly (over 15 digits) is written as its text instead."""
        text = format_decimal(value)
        digits = len(value.as_tuple().digits)
        if digits > _MAX_NUMBER_DIGITS:
            sheet.write_string(row, column, _fitted(text))
            return
        places = max(0, -int(value.as_tuple().exponent))
        code = ("0." + "0" * places if places else "0") + _UNITS_SHOWN.get(unit, "")
        sheet.write_number(row, column, float(value), self.format("number", code))

    def target(self, sheet: Worksheet, row: int, column: int, result: Result) -> None:
        """A single target as a number; a range (`10-20`) as its text."""
        target = result.target
        if target is not None and target.lower == target.upper:
            self.number(sheet, row, column, target.lower, result.indicator.unit)
        else:
            self.text(sheet, row, column, target_text(result))

    def none(self, sheet: Worksheet, rows: int, words: str) -> None:
        """An empty sheet says so, rather than looking unfinished."""
        if not rows:
            self.text(sheet, 1, 0, words)

    def summary(self) -> None:
        report, ruleset = self.report, self.ruleset
        columns, statuses, reasons = summary_rows(report)
        widths = (28, 12, *(12 for _ in columns))
        sheet = self.sheet("Summary", ("Status", "Indicators", *columns), widths)
        percent = self.format("number", "0%")
        row = 1
        for status, count, shares in statuses:
            self.status(sheet, row, 0, status)
            sheet.write_number(row, 1, count)
            self.shares(sheet, row, shares, percent)
            row += 1
        self.text(sheet, row, 0, "Rated", self.bold)
        sheet.write_number(row, 1, report.summary.rated)
        row += 1
        for status, count, shares in context_rows(report):  # apart from the rated statuses
            label = f"{CONTEXT_LABEL}: {ruleset.label(status)}"
            self.text(sheet, row, 0, label, self.format("status", status))
            sheet.write_number(row, 1, count)
            self.shares(sheet, row, shares, percent)
            row += 1
        for reason, count, shares in reasons:
            self.text(sheet, row, 0, f"Not rated: {ruleset.label(reason)}")
            sheet.write_number(row, 1, count)
            self.shares(sheet, row, shares, percent)
            row += 1
        travel = zip(ruleset.travel.comparisons, report.summary.travel, strict=True)
        for comparison, (_, counts) in travel:  # as the other reports give them
            self.text(sheet, row, 0, comparison.label or comparison.name, self.bold)
            self.text(sheet, row, 1, travel_counts(comparison, counts))
            row += 1
        row += 1
        version = f" version {ruleset.version}" if ruleset.version else ""
        about = [
            ("Report", ruleset.title or ruleset.id),
            ("Period", "" if report.period is None else str(report.period)),
            ("Ruleset", ruleset.id + version),
            ("Fingerprint", report.fingerprint),
            ("Data", report.data_digest),
            ("Areas", areas_json(report)),
        ]
        for label, value in about:
            self.text(sheet, row, 0, label, self.bold)
            self.text(sheet, row, 1, value)
            if label == "Areas" and not any(report.areas):
                # One council's data has no area to show (`[""]`), as the HTML and Markdown
                # reports show none; the row stays, hidden, for `audit --published`, as a
                # page keeps its `ragrules-areas` meta tag: a paper of the rows with no
                # area, from data with areas too (`--per-area`), is checked for those alone.
                sheet.set_row(row, None, None, {"hidden": True})
            row += 1

    def indicators(self) -> None:
        report = self.report
        comparisons = [c.label or c.name for c in self.ruleset.travel.comparisons]
        header = [*INDICATOR_COLUMNS, *comparisons, "To change status", "Why", "Commentary"]
        widths = [18, 40, 12, 14, 12, 10, 10, 18, 14, 14, *(10 for _ in comparisons), 36, 40, 40]
        sheet = self.sheet("Indicators", header, widths)
        for row, result in enumerate(report.results, start=1):
            self.indicator_row(sheet, row, result, len(comparisons))
        sheet.autofilter(0, 0, len(report.results), len(header) - 1)

    def indicator_row(self, sheet: Worksheet, row: int, result: Result, comparisons: int) -> None:
        indicator = result.indicator
        at = {name: column for column, name in enumerate(INDICATOR_COLUMNS)}
        self.text(sheet, row, at["Indicator"], indicator.id)
        self.text(sheet, row, at["Title"], indicator.title, self.wrap)
        self.text(sheet, row, at["Area"], result.area)
        breakdown = "; ".join(f"{name}={value}" for name, value in result.breakdown)
        self.text(sheet, row, at["Breakdown"], breakdown)
        self.text(sheet, row, at["Period"], "" if result.period is None else str(result.period))
        if result.value is not None:
            self.number(sheet, row, at["Value"], result.value, indicator.unit)
        else:
            self.text(sheet, row, at["Value"], result.value_text)
        self.target(sheet, row, at["Target"], result)
        self.text(sheet, row, at["Tolerance"], margin_column(result, "tolerance"))
        self.status(sheet, row, at["Status"], result.reported_status)
        if result.overridden:
            self.status(sheet, row, at["Computed status"], result.status)
        column = len(INDICATOR_COLUMNS)
        for offset, move in enumerate(result.travel[:comparisons]):
            arrow = f"{move.arrow} {move.word}" if move.word else move.arrow
            self.text(sheet, row, column + offset, arrow)
        column += comparisons
        self.text(sheet, row, column, edges_text(result, self.ruleset), self.wrap)
        self.text(sheet, row, column + 1, result.reason, self.wrap)
        self.text(sheet, row, column + 2, result.commentary, self.wrap)

    def key(self) -> None:
        sheet = self.sheet("Key", ("Label", "Meaning"), (28, 100))
        for row, entry in enumerate(self.report.key.entries, start=1):
            self.text(sheet, row, 0, entry.label, self.bold)
            self.text(sheet, row, 1, entry.text, self.wrap)

    def exceptions(self) -> None:
        header = ("Indicator", "Status", "Value", "Target", "Selected because", "Commentary")
        sheet = self.sheet("Exceptions", header, (40, 14, 10, 10, 40, 60))
        chosen: list[tuple[str, Selection]] = [
            ("", selection) for selection in self.report.exceptions
        ]
        chosen += [("of particular note: ", s) for s in self.report.of_particular_note]
        for row, (kind, selection) in enumerate(chosen, start=1):
            result = selection.result
            self.text(sheet, row, 0, indicator_name(result), self.wrap)
            self.status(sheet, row, 1, result.reported_status)
            if result.value is not None:
                self.number(sheet, row, 2, result.value, result.indicator.unit)
            self.target(sheet, row, 3, result)
            self.text(sheet, row, 4, kind + "; ".join(selection.reasons), self.wrap)
            self.text(sheet, row, 5, result.commentary or "No commentary was given.", self.wrap)
        self.none(sheet, len(chosen), "No indicator meets the exception rules or was flagged.")

    def caveats(self) -> None:
        sheet = self.sheet("Caveats", ("Indicator", "Caveat"), (40, 80))
        for row, result in enumerate(self.report.caveats, start=1):
            self.text(sheet, row, 0, indicator_name(result), self.wrap)
            self.text(sheet, row, 1, caveat_text(result), self.wrap)
        self.none(sheet, len(self.report.caveats), "None this period.")


_CELL = 32_767  # the most characters a cell holds: Excel's limit, which XlsxWriter cuts at


def _fitted(text: str) -> str:
    """The text, or as much as fits in a cell with a note that says it was cut and where the
    whole of it is: XlsxWriter would cut it without a word."""
    if len(text) <= _CELL:
        return text
    note = f" [cut: {len(text):,} characters in all; the JSON and CSV output hold them all]"
    return text[: _CELL - len(note)] + note
