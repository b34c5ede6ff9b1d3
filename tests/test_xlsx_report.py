"""`--format xlsx`: the report as an Excel workbook, read back as a reader's Excel would."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules import Ruleset, testing
from ragrules.model.numbers import format_decimal
from ragrules.reports.xlsx import INDICATOR_COLUMNS, SHEETS, to_xlsx
from tests.conftest import EXAMPLES

openpyxl = pytest.importorskip("openpyxl")

HAVERING = EXAMPLES / "havering-2020-21-q2.toml"
HAVERING_DATA = EXAMPLES / "havering-2020-21-q2.csv"
VALUE = INDICATOR_COLUMNS.index("Value") + 1
STATUS = INDICATOR_COLUMNS.index("Status") + 1


def _book(report: ragrules.Report) -> Any:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))


def _rows(sheet: Any) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _fill(cell: Any) -> str:
    return str(cell.fill.fgColor.rgb)[-6:].lower() if cell.fill.fill_type == "solid" else ""


@pytest.fixture(scope="module")
def havering() -> ragrules.Report:
    return ragrules.load(HAVERING).rate(ragrules.read_observations(HAVERING_DATA))


def test_the_workbook_has_a_sheet_per_section(havering: ragrules.Report) -> None:
    book = _book(havering)
    assert book.sheetnames == list(SHEETS)
    summary = _rows(book["Summary"])
    assert summary[1:4] == [["green", 2, 0.33], ["amber", 1, 0.17], ["red", 3, 0.5]]
    assert ["Fingerprint", havering.fingerprint, None] in summary
    key = _rows(book["Key"])
    assert key[1][0] == "Green" and key[1][1] == "At or above the target."
    exceptions = _rows(book["Exceptions"])
    assert [row[0].split(":")[0] for row in exceptions[1:]] == [
        s.result.indicator.id for s in havering.exceptions
    ]
    assert _rows(book["Caveats"])[1] == ["None this period.", None]


def test_values_are_numbers_shown_as_published(havering: ragrules.Report) -> None:
    sheet = _book(havering)["Indicators"]
    cell = sheet.cell(row=2, column=VALUE)  # early-help-conversion, 28.15%
    assert (cell.value, cell.data_type, cell.number_format) == (28.15, "n", '0.00"%"')
    target = sheet.cell(row=2, column=VALUE + 1)
    assert (target.value, target.number_format) == (30, '0"%"')
    assert sheet.cell(row=2, column=VALUE + 2).value == "5% of the target"


def test_statuses_are_coloured_by_the_rulesets_colours() -> None:
    rules = ragrules.load(EXAMPLES / "words" / "own-words.toml")
    report = rules.rate(ragrules.read_observations(EXAMPLES / "words" / "own-words-2024-25-q2.csv"))
    sheet = _book(report)["Indicators"]
    statuses = {
        sheet.cell(row=n, column=1).value: sheet.cell(row=n, column=STATUS)
        for n in range(2, sheet.max_row + 1)
    }
    override = statuses["complaints-on-time"]  # green by an officer's override
    assert (override.value, _fill(override)) == ("Achieved", "00703c")
    computed = sheet.cell(row=2, column=STATUS + 1)
    assert computed.value == "Within tolerance"  # the computed status beside it
    assert _fill(statuses["council-tax-collected"]) == "1d70b8"


def test_text_from_the_data_is_never_a_formula() -> None:
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "f"\n[exceptions]\nrules = [{ statuses = ["red"] }]\n'
        '[[indicator]]\nid = "a"\ntitle = "=HYPERLINK(\\"http://x\\")"\ntarget = 10\n'
        "tolerance = { absolute = 1 }\n"
    )
    report = rules.rate([{"indicator": "a", "value": "5", "commentary": "=1+1"}])
    book = _book(report)
    title = book["Indicators"].cell(row=2, column=2)
    assert (title.value, title.data_type) == ('=HYPERLINK("http://x")', "s")
    commentary = book["Exceptions"].cell(row=2, column=6)
    assert (commentary.value, commentary.data_type) == ("=1+1", "s")


@pytest.mark.parametrize("length", [32_767, 32_768, 2_000_000])
def test_text_longer_than_a_cell_holds_is_cut_saying_so(length: int) -> None:
    """Excel's cells hold 32,767 characters; XlsxWriter cut longer text without a word."""
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "f"\n[exceptions]\nrules = [{ statuses = ["red"] }]\n'
        '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    text = "x" * (length - 1) + "y"
    report = rules.rate([{"indicator": "a", "value": "5", "commentary": text}])
    shown = _book(report)["Exceptions"].cell(row=2, column=6).value
    assert len(shown) <= 32_767
    if length <= 32_767:
        assert shown == text
    else:
        assert shown.startswith("x" * 32_000)
        assert shown.endswith(
            f" [cut: {length:,} characters in all; the JSON and CSV output hold them all]"
        )


@given(st.data())
def test_every_value_and_status_reads_back_exactly(data: st.DataObject) -> None:
    indicator = data.draw(testing.indicators(scale=None))
    ruleset = Ruleset(id="xlsx", indicators=(indicator,))
    value = data.draw(testing.values(indicator))
    report = ruleset.rate([{"indicator": indicator.id, "value": value}])
    (result,) = report.results
    row = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))["Indicators"][2]
    cell = row[VALUE - 1]
    if result.value is None:
        assert cell.value == (result.value_text or None)
    elif len(result.value.as_tuple().digits) > 15:
        assert cell.value == format_decimal(result.value)  # longer than a number holds
    else:
        assert cell.data_type == "n"
        assert Decimal(repr(cell.value)) == result.value  # the number, exactly
    assert row[STATUS - 1].value == result.reported_status


def test_the_command_line_writes_a_workbook_only_to_a_file(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ragrules", "rate", str(HAVERING), str(HAVERING_DATA)]
    refused = subprocess.run([*command, "--format", "xlsx"], capture_output=True, text=True)
    assert refused.returncode == 2 and "-o FILE.xlsx" in refused.stderr
    path = tmp_path / "q2.xlsx"
    done = subprocess.run(
        [*command, "--format", "xlsx", "-o", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(path).sheetnames == list(SHEETS)


def test_the_same_report_makes_the_same_workbook_byte_for_byte(
    havering: ragrules.Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No clock in the workbook: its date is fixed, so a workbook can be checked by hash."""
    import datetime

    first = to_xlsx(havering)

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> Later:
            return cls(2031, 5, 6, 7, 8, 9)

        @classmethod
        def utcnow(cls) -> Later:
            return cls(2031, 5, 6, 7, 8, 9)

    monkeypatch.setattr(datetime, "datetime", Later)
    assert to_xlsx(havering) == first
    assert openpyxl.load_workbook(io.BytesIO(first)).properties.created.year == 2000
