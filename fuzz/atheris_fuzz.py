"""Coverage-guided fuzzing of the entry points with atheris (offline, not part of CI).

The Hypothesis fuzz tests (tests/property/test_fuzz.py) generate inputs from strategies;
atheris mutates bytes guided by coverage, starting from the shipped rulesets and data, so it
reaches inputs no strategy describes. Either way the rule is the same: the only exceptions
that may escape are ragrules' own errors.

    pip install atheris
    python fuzz/atheris_fuzz.py loads -runs=1000000

Targets: loads, csv, json, values, rate, report-csv, report-markdown, xlsx. Arguments
after the target go to libFuzzer.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import io
import json
import pkgutil
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import ragrules

    # Every module, imported here so it is instrumented: ragrules imports its names on
    # first use, and a module first imported later gives libFuzzer no coverage to follow.
    for _module in pkgutil.walk_packages(ragrules.__path__, "ragrules."):
        if _module.name != "ragrules.__main__":
            importlib.import_module(_module.name)
    from ragrules.data import excel_rows, parse_csv, parse_json
    from ragrules.engine.report import Report
    from ragrules.model.numbers import NumberError, split_value
    from ragrules.model.periods import PeriodError, parse_period
    from ragrules.output import to_csv
    from ragrules.reports._cells import CSV_TRIGGERS, csv_unsafe
    from ragrules.reports.markdown import to_markdown
    from ragrules.stream import write_stream

    # The tests' helper that counts a Markdown row's cells, shared with the output tests.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.markdown_table import markdown_cells

ROOT = Path(__file__).resolve().parent.parent
RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "f"\n'
    '[travel.comparisons]\ns = { against = "previous-period" }\n'
    '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { relative = "5%" }\n'
)

HAVERING = ragrules.load(
    ROOT / "rulesets/examples/havering-2020-21-q2.toml", allowed=[ROOT / "rulesets"]
)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def fuzz_loads(data: bytes) -> None:
    """Any text loads as a ruleset or raises RulesetError."""
    with contextlib.suppress(ragrules.RulesetError):
        ragrules.loads(_text(data))


def fuzz_csv(data: bytes) -> None:
    """Any text reads as CSV or raises DataError; rating what was read never fails."""
    try:
        rows = parse_csv(_text(data))
    except ragrules.DataError:
        return
    RULESET.rate(rows)


def fuzz_json(data: bytes) -> None:
    """Any text reads as JSON or raises DataError."""
    with contextlib.suppress(ragrules.DataError):
        parse_json(_text(data))


def fuzz_values(data: bytes) -> None:
    """Published values and periods parse or raise the parsers' own errors."""
    text = _text(data)
    with contextlib.suppress(NumberError):
        split_value(text)
    with contextlib.suppress(PeriodError):
        parse_period(text)


def fuzz_rate(data: bytes) -> None:
    """Rows read from JSON rate by the Havering example without error, every row accounted for."""
    try:
        rows = parse_json(_text(data))
    except ragrules.DataError:
        return
    report = HAVERING.rate(rows)
    accounted = (
        len([r for r in report.results if r.row]) + len(report.history) + len(report.rejected)
    )
    if accounted != len(rows):
        raise AssertionError(f"{len(rows)} rows in, {accounted} accounted for")


def _toml(text: str) -> str:
    """A TOML basic string holding `text` (JSON's escapes, and DEL, which JSON leaves raw)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _fuzzed_report(data: bytes) -> Report | None:
    """A report with fuzzed text in its id, title, label, value, commentary, flag and column."""
    provider = atheris.FuzzedDataProvider(data)
    texts = [
        provider.ConsumeUnicodeNoSurrogates(provider.ConsumeIntInRange(0, 40)) for _ in "1234567"
    ]
    indicator, title, label, value, commentary, flag, cell = texts
    try:
        ruleset = ragrules.loads(
            f'[ruleset]\nformat = 1\nid = "f"\ntitle = {_toml(title)}\n'
            f'[travel.comparisons]\ns = {{ against = "previous-period", label = {_toml(label)} }}\n'
            '[exceptions]\nstatuses = ["red"]\nflagged = true\n'
            f"[[indicator]]\nid = {_toml(indicator)}\ntitle = {_toml(title)}\ntarget = 50\n"
            "tolerance = { absolute = 5 }\n"
        )
        row = {"indicator": indicator, "period": "2020/21 Q2", "value": value}
        rows = [
            {**row, "period": "2020/21 Q1", "value": "45"},
            {**row, "commentary": commentary, "flag": flag, "code": cell},
            {**row, "indicator": cell},
        ]
        return ruleset.rate(rows, period="2020/21 Q2")
    except ragrules.RagrulesError:
        return None


_PLAIN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?%?|-")


def _csv_rows(text: str, count: int) -> list[list[str]]:
    """The rows of a CSV output: `count` of them, all as wide, no cell a formula."""
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) != count or len({len(row) for row in rows}) != 1:
        raise AssertionError(f"{count} rows expected, read {[len(row) for row in rows]}")
    for row in rows:
        for cell in row:
            if cell[:1] in CSV_TRIGGERS and not _PLAIN.fullmatch(cell):
                raise AssertionError(f"formula cell {cell!r}")
    return rows


def _stream_csv(report: Report, *, safe: bool) -> str:
    out = io.StringIO()
    items = [*report.results, *report.rejected]
    write_stream(items, report.ruleset, out, "csv", safe_csv=safe)
    return out.getvalue()


def fuzz_report_csv(data: bytes) -> None:
    """Report and stream CSV: re-read, every row whole, no formula, and reversible."""
    report = _fuzzed_report(data)
    if report is None:
        return
    outputs = [
        (to_csv(report), to_csv(report, safe=False), 1 + len(report.results)),
        (
            _stream_csv(report, safe=True),
            _stream_csv(report, safe=False),
            1 + len(report.results) + len(report.rejected),
        ),
    ]
    for safe, unsafe, count in outputs:
        rows = _csv_rows(safe, count)
        if [[csv_unsafe(cell) for cell in row] for row in rows] != list(
            csv.reader(io.StringIO(unsafe))
        ):
            raise AssertionError("csv_unsafe does not give back the cells")


def fuzz_report_markdown(data: bytes) -> None:
    """Markdown: no raw `<` (so no HTML), and every row of a table has the header's cells."""
    report = _fuzzed_report(data)
    if report is None:
        return
    text = to_markdown(report)
    if "<" in text:
        raise AssertionError("raw < in the Markdown")
    for table in re.findall(r"(?:^\|.*\n)+", text, flags=re.M):
        if len({markdown_cells(line) for line in table.splitlines()}) != 1:
            raise AssertionError(f"a table row with another number of cells:\n{table}")


def fuzz_xlsx(data: bytes) -> None:
    """Any bytes read as an .xlsx workbook give rows of text or raise DataError."""
    with contextlib.suppress(ragrules.DataError):
        for number, cells in excel_rows(data, "fuzz.xlsx"):
            if not (isinstance(number, int) and all(isinstance(c, str) for c in cells)):
                raise AssertionError(f"row {number!r}: {cells!r}")


def fuzz_xlsx_sheet(data: bytes) -> None:
    """Any bytes as the worksheet XML of an otherwise valid workbook: rows of text, or a
    DataError."""
    fuzz_xlsx(_zipped(data))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "loads": fuzz_loads,
    "csv": fuzz_csv,
    "json": fuzz_json,
    "values": fuzz_values,
    "rate": fuzz_rate,
    "xlsx": fuzz_xlsx,
    "xlsx-sheet": fuzz_xlsx_sheet,
    "report-csv": fuzz_report_csv,
    "report-markdown": fuzz_report_markdown,
}
SEEDS = {
    "loads": "rulesets/**/*.toml",
    "csv": "rulesets/**/*.csv",
    "json": "rulesets/**/*.csv",
    "rate": "rulesets/examples/havering-*.csv",
    "values": "rulesets/**/*.csv",
    "xlsx": "rulesets/examples/*.tsv",
    "xlsx-sheet": "rulesets/examples/*.tsv",
    "report-csv": "rulesets/**/*.csv",
    "report-markdown": "rulesets/**/*.csv",
}


def _seed(name: str, path: Path) -> bytes:
    """A seed input: the file itself, or its rows as JSON records, or its cells one by one."""
    text = path.read_text(encoding="utf-8")
    if name in {"json", "rate"} and path.suffix == ".csv":
        return json.dumps(list(csv.DictReader(io.StringIO(text)))).encode()
    if name == "xlsx":
        return _workbook(text)
    if name == "xlsx-sheet":
        return _sheet_xml(text)
    return text.encode()[:4096]


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELATIONSHIPS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/{kind}" Target="{target}"/></Relationships>'
)


def _workbook(text: str) -> bytes:
    """A tab-separated table as a minimal .xlsx seed: numbers as number cells (every other
    column formatted as a percentage), the rest as inline strings; stored, not deflated, so
    that mutated bytes reach the XML."""
    return _zipped(_sheet_xml(text))


def _sheet_xml(text: str) -> bytes:
    """A tab-separated table as the XML of a worksheet."""
    rows = []
    for number, line in enumerate(text.splitlines()[:40], start=1):
        cells = []
        for column, cell in enumerate(line.split("\t")[:12]):
            where = f'r="{chr(65 + column)}{number}"'
            if cell.replace(".", "", 1).isdigit():
                cells.append(f'<c {where} s="{column % 2}"><v>{cell}</v></c>')
            else:
                cell = cell.replace("&", "&amp;").replace("<", "&lt;")
                cells.append(f'<c {where} t="inlineStr"><is><t>{cell}</t></is></c>')
        rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    return (
        f'<worksheet {MAIN}><dimension ref="A1:L40"/><sheetData>{"".join(rows)}'
        "</sheetData></worksheet>"
    ).encode()


def _zipped(sheet: bytes) -> bytes:
    """A valid, stored workbook around a worksheet's XML: its checksums always agree, so
    every mutation of the XML reaches the reader's parser."""
    parts: dict[str, str | bytes] = {
        "_rels/.rels": RELATIONSHIPS.format(kind="officeDocument", target="xl/workbook.xml"),
        "xl/workbook.xml": (
            f'<workbook {MAIN} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": RELATIONSHIPS.format(
            kind="worksheet", target="worksheets/sheet1.xml"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return buffer.getvalue()


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    name = sys.argv[1]
    corpus = Path("/tmp") / f"ragrules-fuzz-{name}"
    corpus.mkdir(exist_ok=True)
    for seed in ROOT.glob(SEEDS[name]):
        if name == "values":
            rows = csv.reader(io.StringIO(seed.read_text(encoding="utf-8")))
            for number, row in enumerate(rows):
                for column, cell in enumerate(row):
                    (corpus / f"{seed.stem}-{number}-{column}").write_text(cell)
        else:
            (corpus / seed.name).write_bytes(_seed(name, seed))
    options = sys.argv[2:]
    # Given input files (a crash to reproduce), libFuzzer runs just those.
    inputs = [] if any(Path(option).is_file() for option in options) else [str(corpus)]
    atheris.Setup([sys.argv[0], *options, *inputs], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
