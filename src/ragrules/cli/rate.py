"""`ragrules rate`: rate a data file into a report, or stream it a line at a time."""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

from ragrules.cli._common import (
    FINDINGS,
    OK,
    USAGE,
    first_few,
    load_ruleset,
    open_output,
    print_problems,
    rate_data,
    read_data,
    refuse_overwriting,
    say,
    valid_period,
    write_bytes,
)
from ragrules.engine.report import Report
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import parse_columns, sniff_encoding
from ragrules.model.observations import Observation
from ragrules.reports.compiled import CsvStream
from ragrules.reports.matrix import MATRIX_FORMATS, matrix_csv, matrix_html, matrix_json
from ragrules.reports.output import render
from ragrules.reports.stream import STREAM_FORMATS, Tally, write_stream


def run_rate(args: argparse.Namespace) -> int:
    args.suffix = ""  # the -o suffix that chose the format, when --format was not given
    if args.format is None:  # what -o's suffix says: never a text table in report.xlsx
        suffix = Path(args.output).suffix.lower() if args.output else ""
        args.format = _BY_SUFFIX.get(suffix, "table")
        args.suffix = suffix if suffix in _BY_SUFFIX else ""
    ruleset = load_ruleset(args, args.ruleset)
    print_problems(ruleset.warnings)
    refuse_overwriting(args)
    if args.per_area and (args.output or args.matrix):
        say(
            "ragrules rate: --per-area writes a report per area into its folder, "
            "not -o FILE or --matrix",
            file=sys.stderr,
        )
        return USAGE
    if args.stream:
        if args.area is not None or args.matrix or args.per_area:
            say(
                "ragrules rate: --area, --matrix and --per-area need the whole report, "
                "not --stream",
                file=sys.stderr,
            )
            return USAGE
        return _rate_stream(ruleset, args)
    report = rate_data(ruleset, args.data, args.period, args)
    if report is None:
        return USAGE
    if args.area is not None:
        try:
            report = report.for_area(args.area)
        except LookupError as exc:
            say(f"ragrules rate: --area: {exc.args[0]} ({_areas_held(report)})", file=sys.stderr)
            return USAGE
    if args.matrix:
        return _write_matrix(report, args)
    if args.per_area:
        return _write_per_area(report, args)
    if args.format == "xlsx":
        if args.output is None:
            say(
                "ragrules rate: --format xlsx writes a workbook: name it with -o FILE.xlsx",
                file=sys.stderr,
            )
            return USAGE
        return _write_xlsx(report, args.output, args)
    with open_output(args.output) as out:
        out.write(render(report, args.format, safe_csv=not args.unsafe_csv))
    return FINDINGS if args.strict and report.problems else OK


def _areas_held(report: Report) -> str:
    """The areas the data has, quoted (a blank code shows as ''), for an --area not there."""
    if report.areas == ("",):
        return "the data has no area column, or no area in it"
    return f"the data has {first_few([repr(area) for area in report.areas])}"


def _write_xlsx(report: Report, path: str, args: argparse.Namespace) -> int:
    """The report as an Excel workbook at `path` (the excel extra's XlsxWriter)."""
    try:
        from ragrules.reports.xlsx import to_xlsx

        workbook = to_xlsx(report)
    except ImportError as exc:
        say(f"ragrules rate: {exc}", file=sys.stderr)
        return USAGE
    write_bytes(path, workbook)
    return FINDINGS if args.strict and report.problems else OK


_SUFFIXES = {
    "table": "txt",
    "json": "json",
    "csv": "csv",
    "markdown": "md",
    "html": "html",
    "xlsx": "xlsx",
}
# The format an output file's suffix names, when --format is not given.
_BY_SUFFIX = {f".{suffix}": fmt for fmt, suffix in _SUFFIXES.items()} | {
    ".htm": "html",
    ".jsonl": "json",
    ".markdown": "markdown",
}


def _write_per_area(report: Report, args: argparse.Namespace) -> int:
    """`rate --per-area DIR`: a report per area, each named by its code."""
    folder = Path(args.per_area)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        say(f"ragrules rate: --per-area: cannot make {folder}: {exc.strerror}", file=sys.stderr)
        return USAGE
    written = 0
    for area, name in _file_names(report.areas).items():
        path = folder / f"{name}.{_SUFFIXES[args.format]}"
        if args.format == "xlsx":
            if _write_xlsx(report.for_area(area), str(path), args) == USAGE:
                return USAGE
        else:
            with open_output(str(path)) as out:
                out.write(render(report.for_area(area), args.format, safe_csv=not args.unsafe_csv))
        written += 1
    say(f"{written} area reports written to {folder}", file=sys.stderr)
    return FINDINGS if args.strict and report.problems else OK


def _file_names(areas: Sequence[str]) -> dict[str, str]:
    """Each area's file name, one per area whatever the file system's case. A code that is
    its own file name keeps it (of codes alike but for case, the first); any other (a code
    with characters replaced or cut, a blank one) takes its file name numbered past those
    taken (`b-2` for a second `B` when no area is `b-2`), so no file holds another area
    whose code it is named by."""
    bases = {area: _file_name(area) for area in areas}
    names: dict[str, str] = {}
    used: set[str] = set()
    for area in areas:
        if bases[area] == area and area.lower() not in used:
            names[area] = area
            used.add(area.lower())
    for area in areas:
        if area in names:
            continue
        name, numbers = bases[area], itertools.count(2)
        while name.lower() in used:
            name = f"{bases[area]}-{next(numbers)}"
        names[area] = name
        used.add(name.lower())
    return {area: names[area] for area in areas}


def _file_name(area: str) -> str:
    """An area code as a file name: letters, digits, - and _ kept, anything else as _; cut
    to a length every file system takes (codes alike in it are numbered)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in area)
    return safe[:_NAME_LENGTH] or "no-area"


_NAME_LENGTH = 100  # characters of an area code kept in its report's file name


def _write_matrix(report: Report, args: argparse.Namespace) -> int:
    """`rate --matrix`: every area by every series, as CSV, JSON or an HTML page."""
    if args.format not in MATRIX_FORMATS:
        say(f"ragrules rate: --matrix writes {', '.join(MATRIX_FORMATS)}", file=sys.stderr)
        return USAGE
    if args.format == "csv":
        text = matrix_csv(report, safe=not args.unsafe_csv)
    else:
        text = matrix_json(report) if args.format == "json" else matrix_html(report)
    with open_output(args.output) as out:
        out.write(text)
    return FINDINGS if args.strict and report.problems else OK


def _rate_stream(ruleset: Ruleset, args: argparse.Namespace) -> int:
    """`rate --stream`: CSV in, a line out per result or rejection, in constant memory."""
    fmt = "json" if args.format == "table" else args.format
    if fmt not in STREAM_FORMATS:
        named = f" (-o FILE{args.suffix} reads as --format {fmt})" if args.suffix else ""
        print(
            f"ragrules: --stream writes json (JSON lines) or csv{named}: give --format json "
            "or --format csv",
            file=sys.stderr,
        )
        return USAGE
    if args.period is not None and not valid_period(args.period):
        return USAGE
    data = Path(args.data)
    # A progress bar on stderr, when it is a terminal and the output goes elsewhere.
    shown = args.output or sys.stdout is None or not sys.stdout.isatty()
    bar = _Progress() if sys.stderr.isatty() and shown else None
    safe = not args.unsafe_csv
    if args.engine == "columnar" and fmt == "json" and args.period is None:
        if args.jobs > 1:  # asked for, so not dropped without a word
            say(
                "ragrules rate: --jobs is for the row engine; the columnar engine runs in "
                "one process (polars uses every core)",
                file=sys.stderr,
            )
        return _rate_columnar(ruleset, args, data, fmt)
    if args.engine == "columnar":  # asked for, so the engine that runs instead is named
        why = "--period" if args.period is not None else "CSV output"
        say(
            f"ragrules rate: the columnar engine writes JSON lines for every period; with "
            f"{why} the row engine rates the file (the same results)",
            file=sys.stderr,
        )
    if data.suffix.lower() in _CSV_SUFFIXES:
        # The compiled stream (ragrules.reports.compiled): the same output, faster. The
        # header and first line are read before the output is opened: a data file that
        # cannot be read never leaves an emptied output behind.
        stream = CsvStream(
            ruleset,
            data,
            columns=parse_columns(args.columns) if args.columns else None,
            delimiter=args.delimiter,
            period=args.period,
            progress=bar,
            encoding=_encoding(args, data),
        )
        with open_output(args.output) as out:
            tally = stream.write(out, fmt, passed=stream.passed, safe_csv=safe, jobs=args.jobs)
    else:
        if args.jobs > 1:  # asked for, so not dropped without a word
            say(
                f"ragrules rate: --jobs is for CSV files; a {data.suffix} file is read whole "
                "and rated in one process",
                file=sys.stderr,
            )
        observations = read_data(args, args.data)  # read whole: JSON and xlsx files
        # Every row's other columns, as first named: JSON records need not share their keys.
        columns = list(
            dict.fromkeys(
                name
                for observation in observations
                if isinstance(observation, Observation)
                for name, _ in observation.extra
            )
        )
        with open_output(args.output) as out:
            items = ruleset.iter_rate(observations, period=args.period)
            tally = write_stream(items, ruleset, out, fmt, columns=columns, safe_csv=safe)
    if bar is not None:
        bar.done()
    return _said(tally, args, data, ruleset)


def _said(tally: Tally, args: argparse.Namespace, data: Path, ruleset: Ruleset) -> int:
    """The stream's tally on stderr, and the exit code it makes."""
    if not tally.results and not tally.rejected:
        say(
            f"{data}: warning: the data holds no rows (check it has rows under its header)",
            file=sys.stderr,
        )
    counts = tally.counts_text(ruleset)
    if tally.overridden:
        counts += f"; {tally.overridden} by override"
    print(
        f"{data}: {tally.results} results ({counts or 'none'}), {tally.exceptions} exceptions, "
        f"{tally.rejected} rows rejected, {tally.invalid} values unreadable, "
        f"{tally.findings} findings, {tally.notices} notices",
        file=sys.stderr,
    )
    return FINDINGS if args.strict and tally.problems else OK


def _rate_columnar(ruleset: Ruleset, args: argparse.Namespace, data: Path, fmt: str) -> int:
    """`rate --stream --engine columnar`: the same lines, rated column by column."""
    if data.suffix.lower() not in _CSV_SUFFIXES:
        say("ragrules rate: --engine columnar reads a CSV file", file=sys.stderr)
        return USAGE
    try:
        from ragrules.columnar import rate_csv_columnar
    except ImportError as exc:
        say(f"ragrules rate: {exc}", file=sys.stderr)
        return USAGE
    encoding = _encoding(args, data)
    columns = parse_columns(args.columns) if args.columns else None
    # The header and first line are read (as the row engine reads them) before the output
    # is opened: a data file that cannot be read never leaves an emptied output behind.
    CsvStream(ruleset, data, columns=columns, delimiter=args.delimiter, encoding=encoding)
    with open_output(args.output) as out:
        tally = rate_csv_columnar(
            ruleset, data, out, fmt, columns=columns, delimiter=args.delimiter, encoding=encoding
        )
    return _said(tally, args, data, ruleset)


# Files read a line at a time; JSON and Excel files are read whole (they are not streams).
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def _encoding(args: argparse.Namespace, data: Path) -> str:
    encoding = sniff_encoding(data, args.encoding)
    if encoding == "cp1252" and args.encoding is None:
        print(f"{data}: warning: not UTF-8; read as Windows-1252", file=sys.stderr)
    return encoding


class _Progress:
    """A one-line progress bar on stderr, redrawn at most once per percent."""

    def __init__(self) -> None:
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            print(f"\rrating [{bar:<25}] {percent:3d}%", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        print(file=sys.stderr)
