"""Which library writes ragrules' workbooks (issue 18, item 2): openpyxl or XlsxWriter.

Both write the same sheet, the shape of a report's "Indicators" sheet: a header, then per
result the indicator and its title (text), value and target (numbers with a number format),
status (text on its status's fill) and two words (text), for N results. Each workbook is
read back with openpyxl and compared cell by cell (values, types, number formats, fills)
before anything is timed, so the two do the same work. Prints the time and the peak memory
of each (in one run: ratios, not absolute figures, are what this machine can tell).

    python benchmarks/xlsx_writers.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import io
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

Rows = list[tuple[str, str, Decimal, Decimal, str, str, str]]
FILLS = {"green": "00703C", "amber": "FFBF47", "red": "D4351C"}
HEADER = ["Indicator", "Title", "Value", "Target", "Status", "To change status", "Why"]


Writer = Callable[[Rows], bytes]


def rows(count: int) -> Rows:
    statuses = list(FILLS)
    return [
        (
            f"pi-{n % 50}",
            f"Indicator {n % 50}: % of cases closed on time",
            Decimal(n % 997) / 10,
            Decimal(75),
            statuses[n % 3],
            "green needs 75, 3.2 more",
            f"{statuses[n % 3]}: {Decimal(n % 997) / 10} meets value >= 71.25",
        )
        for n in range(count)
    ]


def with_openpyxl(data: Rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Indicators")
    sheet.append(HEADER)
    fills = {s: PatternFill("solid", fgColor=c) for s, c in FILLS.items()}

    def text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, even "=1+1": never a formula
        return cell

    def number(value: Decimal) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=float(value))
        cell.number_format = "0.0"
        return cell

    for indicator, title, value, target, status, edges, why in data:
        status_cell = text(status)
        status_cell.fill = fills[status]
        sheet.append(
            [
                text(indicator),
                text(title),
                number(value),
                number(target),
                status_cell,
                text(edges),
                text(why),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_xlsxwriter(data: Rows) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("Indicators")
    for column, name in enumerate(HEADER):
        sheet.write_string(0, column, name)
    number = book.add_format({"num_format": "0.0"})
    fills = {s: book.add_format({"bg_color": f"#{c}", "pattern": 1}) for s, c in FILLS.items()}
    for row, (indicator, title, value, target, status, edges, why) in enumerate(data, start=1):
        sheet.write_string(row, 0, indicator)
        sheet.write_string(row, 1, title)
        sheet.write_number(row, 2, float(value), number)
        sheet.write_number(row, 3, float(target), number)
        sheet.write_string(row, 4, status, fills[status])
        sheet.write_string(row, 5, edges)
        sheet.write_string(row, 6, why)
    book.close()
    return out.getvalue()


def read_back(workbook: bytes) -> list[tuple[object, ...]]:
    """Every cell as openpyxl reads it: value, type, number format and fill colour."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook))["Indicators"]
    return [
        tuple(
            (
                cell.value,
                cell.data_type,
                cell.number_format if cell.data_type == "n" else "",
                (cell.fill.fgColor.rgb or "")[-6:] if cell.fill.fill_type == "solid" else "",
            )
            for cell in row
        )
        for row in sheet.iter_rows()
    ]


def measure(writer: Writer, data: Rows) -> tuple[float, int]:
    """Seconds to write (timed alone), then the peak memory of a second run (traced)."""
    began = time.perf_counter()
    writer(data)
    seconds = time.perf_counter() - began
    tracemalloc.start()
    writer(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    data = rows(args.rows)
    check = rows(500)
    assert read_back(with_openpyxl(check)) == read_back(with_xlsxwriter(check)), (
        "the two writers make different workbooks"
    )
    print(f"Writing an indicators sheet of {args.rows:,} rows (same cells, checked first)")
    results = {
        name: measure(writer, data)
        for name, writer in (
            ("openpyxl (write-only)", with_openpyxl),
            ("XlsxWriter (constant memory)", with_xlsxwriter),
        )
    }
    for name, (seconds, peak) in results.items():
        print(f"  {name:30} {seconds:6.2f} s  peak {peak / 2**20:6.1f} MB")
    (fast, _), (slow, _) = results["XlsxWriter (constant memory)"], results["openpyxl (write-only)"]
    print(f"  XlsxWriter takes {fast / slow:.2f}x openpyxl's time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
