"""The `ragrules` command: rate observations and check rulesets from the shell.

Exit codes: 0 success, 1 findings (check found problems), 2 usage or input errors. Problems
go to stderr, one line each: `file:line:col: key.path: message (hint)`.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

import attrs

from ragrules import __version__
from ragrules._text import terminal_safe
from ragrules._toml_writer import dumps
from ragrules.audit import audit
from ragrules.canonical import canonical_toml, fingerprint
from ragrules.compare import rating_differences, rule_differences
from ragrules.data import (
    DATA_SUFFIXES,
    iter_csv,
    parse_columns,
    read_observations,
    sniff_encoding,
)
from ragrules.errors import DataError, Problem, RagrulesError, RulesetError, Severity
from ragrules.loading import load, resolve_file, schema_text
from ragrules.observations import Observation
from ragrules.output import FORMATS, render
from ragrules.periods import PeriodError, parse_period
from ragrules.report import Report
from ragrules.ruleset import Ruleset
from ragrules.stream import STREAM_FORMATS, write_stream
from ragrules.verify import verify_file

OK, FINDINGS, USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except RagrulesError as exc:
        _print_problems(exc.problems)
        return USAGE
    except BrokenPipeError:  # e.g. piped into `head`
        return OK
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ragrules",
        description="Rate performance indicators with a declarative TOML ruleset.",
    )
    parser.add_argument("--version", action="version", version=f"ragrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rate = commands.add_parser("rate", help="rate the observations in DATA with RULESET")
    rate.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    rate.add_argument("data", metavar="DATA", help="path to a .csv or .json file of observations")
    rate.add_argument("--period", help="the period to report, e.g. '2020/21 Q2' (default: latest)")
    rate.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    rate.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a row is rejected, a value cannot be read or commentary is missing",
    )
    rate.add_argument(
        "--stream",
        action="store_true",
        help="rate a large file line by line in constant memory: each line is rated on its "
        "own, written at once as a JSON line (--format json, the default) or a CSV row",
    )
    rate.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    rate.add_argument(
        "--unsafe-csv",
        action="store_true",
        help="write CSV cells as they are: by default a cell starting with =, +, -, @, tab or "
        "CR (not a plain number) gets a ' in front, so a spreadsheet cannot run it as a formula",
    )
    rate.set_defaults(run=_rate)

    check = commands.add_parser("check", help="validate rulesets and report every problem")
    check.add_argument("rulesets", nargs="+", metavar="RULESET", help="ruleset .toml files")
    check.add_argument(
        "--data",
        metavar="DATA",
        help="also rate this data file and report its findings (missing commentary, "
        "rejected rows, unreadable values)",
    )
    check.add_argument("--period", help="the period to check the data for (default: latest)")
    check.set_defaults(run=_check)

    show = commands.add_parser(
        "show", help="print the resolved ruleset, saying which file each setting came from"
    )
    show.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    show.set_defaults(run=_show)

    fmt = commands.add_parser(
        "fmt", help="print the ruleset in canonical form (resolved, stable key order)"
    )
    fmt.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    fmt.add_argument("--fingerprint", action="store_true", help="print only the fingerprint")
    fmt.set_defaults(run=_fmt)

    diff = commands.add_parser(
        "diff", help="where two rulesets differ, and (with DATA) which ratings differ and why"
    )
    diff.add_argument("ruleset_a", metavar="RULESET_A", help="the first ruleset (A)")
    diff.add_argument("ruleset_b", metavar="RULESET_B", help="the second ruleset (B)")
    diff.add_argument("data", metavar="DATA", nargs="?", help="observations to rate with both")
    diff.add_argument("--period", help="the period to compare (default: latest)")
    diff.set_defaults(run=_diff)

    explain = commands.add_parser(
        "explain", help="the full derivation of one indicator's rating, step by step"
    )
    explain.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    explain.add_argument("data", metavar="DATA", help="path to a .csv or .json file")
    explain.add_argument("--indicator", required=True, metavar="ID", help="the indicator's id")
    explain.add_argument("--period", help="the period to explain (default: latest)")
    explain.add_argument("--format", choices=("text", "json"), default="text")
    explain.set_defaults(run=_explain)

    audit_command = commands.add_parser(
        "audit", help="compare the statuses and arrows a report published with computed ones"
    )
    audit_command.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    audit_command.add_argument(
        "data", metavar="DATA", help="observations with published_status, published_NAME columns"
    )
    audit_command.add_argument("--period", help="the period to audit (default: latest)")
    audit_command.add_argument("--format", choices=("text", "json"), default="text")
    audit_command.set_defaults(run=_audit)

    verify = commands.add_parser(
        "verify",
        help="static checks of rulesets, then their invariants tested with generated values",
    )
    verify.add_argument("rulesets", nargs="+", metavar="RULESET", help="ruleset .toml files")
    verify.add_argument(
        "--examples",
        type=int,
        default=50,
        metavar="N",
        help="generated examples per invariant and indicator (default: 50)",
    )
    verify.set_defaults(run=_verify)

    schema = commands.add_parser("schema", help="print the JSON Schema of the ruleset format")
    schema.set_defaults(run=_schema)

    for command in (rate, check, diff, explain, audit_command):
        command.add_argument(
            "--columns",
            metavar="MAPPING",
            help="what the data's columns hold, e.g. 'Q2 Performance=value,#7=previous' "
            "(#N is the Nth column; previous and last_year need --period)",
        )
        command.add_argument(
            "--delimiter", help="the data's delimiter (default: sniffed from the header line)"
        )
        command.add_argument(
            "--encoding",
            help="the data's text encoding, e.g. cp1252 (default: UTF-8, or Windows-1252 for "
            "a file with no UTF-8 text; a file mixing the two is refused)",
        )

    for command in (rate, check, show, fmt, diff, explain, audit_command, verify):
        command.add_argument(
            "--search-path",
            action="append",
            default=[],
            metavar="DIR",
            help="a folder where `extends` finds bases named by id (ID.toml); repeatable",
        )
        command.add_argument(
            "--allow",
            action="append",
            default=[],
            metavar="DIR",
            help="a folder that bases may be read from (besides the ruleset's own folder, "
            "the search path and the shipped catalogue; not the current folder); repeatable",
        )
    return parser


def _load(args: argparse.Namespace, path: str) -> Ruleset:
    if Path(path).suffix.lower() in DATA_SUFFIXES:
        data = getattr(args, "data", None)
        swapped = " (did you swap RULESET and DATA?)" if data and data.endswith(".toml") else ""
        raise RulesetError(
            problems=(
                Problem(
                    file=path,
                    message=f"this is a data file, not a ruleset{swapped}",
                    hint="the ruleset (.toml) comes first, then the data",
                ),
            )
        )
    return load(path, search_path=args.search_path, allowed=args.allow)


def _refuse_overwriting(args: argparse.Namespace) -> None:
    """--output must not name an input: the data, the ruleset or a base it extends."""
    if not args.output or not Path(args.output).exists():
        return
    _, origins = resolve_file(args.ruleset, args.search_path, args.allow)
    inputs = [("data", args.data), ("ruleset", args.ruleset)]
    inputs += [("base ruleset", str(base)) for base in origins.bases]
    target = Path(args.output)
    for what, name in inputs:
        if Path(name).exists() and target.samefile(name):
            raise DataError(
                problems=(
                    Problem(
                        file=args.output,
                        message=f"--output would overwrite the {what} ({name})",
                        hint="write the output to another file",
                    ),
                )
            )


def _rate(args: argparse.Namespace) -> int:
    ruleset = _load(args, args.ruleset)
    _print_problems(ruleset.warnings)
    _refuse_overwriting(args)
    if args.stream:
        return _rate_stream(ruleset, args)
    report = _rated(ruleset, args.data, args.period, args)
    if report is None:
        return USAGE
    with _output(args.output) as out:
        out.write(render(report, args.format, safe_csv=not args.unsafe_csv))
    return FINDINGS if args.strict and report.problems else OK


def _rate_stream(ruleset: Ruleset, args: argparse.Namespace) -> int:
    """`rate --stream`: CSV in, a line out per result or rejection, in constant memory."""
    fmt = "json" if args.format == "table" else args.format
    if fmt not in STREAM_FORMATS:
        print("ragrules: --stream writes json (JSON lines) or csv", file=sys.stderr)
        return USAGE
    if args.period is not None and not _valid_period(args.period):
        return USAGE
    data = Path(args.data)
    # A progress bar on stderr, when it is a terminal and the output goes elsewhere.
    bar = _Progress() if sys.stderr.isatty() and (args.output or not sys.stdout.isatty()) else None
    observations = iter(_stream_observations(args, data, bar))
    # The first row is read before the output is opened: a data file that cannot be read
    # never leaves an emptied output behind.
    first = next(observations, None)
    columns = [name for name, _ in first.extra] if isinstance(first, Observation) else None
    rows = itertools.chain([] if first is None else [first], observations)
    with _output(args.output) as out:
        items = ruleset.iter_rate(rows, period=args.period)
        tally = write_stream(
            items, ruleset, out, fmt, columns=columns, safe_csv=not args.unsafe_csv
        )
    if bar is not None:
        bar.done()
    if not tally.results and not tally.rejected:
        _say(
            f"{data}: warning: the data holds no rows (check it has rows under its header)",
            file=sys.stderr,
        )
    counts = ", ".join(f"{status} {n}" for status, n in sorted(tally.statuses.items()))
    print(
        f"{data}: {tally.results} results ({counts or 'none'}), {tally.exceptions} exceptions, "
        f"{tally.rejected} rows rejected, {tally.invalid} values unreadable, "
        f"{tally.findings} findings, {tally.notices} notices",
        file=sys.stderr,
    )
    return FINDINGS if args.strict and tally.problems else OK


def _stream_observations(
    args: argparse.Namespace, data: Path, bar: _Progress | None
) -> Iterable[object]:
    """CSV files are read a line at a time; JSON and Excel files whole (they are not streams)."""
    if data.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return _observations(args, args.data)
    encoding = sniff_encoding(data, args.encoding)
    if encoding == "cp1252" and args.encoding is None:
        print(f"{data}: warning: not UTF-8; read as Windows-1252", file=sys.stderr)
    return iter_csv(
        data,
        columns=parse_columns(args.columns) if args.columns else None,
        delimiter=args.delimiter,
        period=args.period,
        progress=bar,
        encoding=encoding,
    )


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


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """The file named by --output (UTF-8), or stdout."""
    if path is None:
        yield sys.stdout
        return
    try:
        out = Path(path).open("w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise DataError(
            problems=(
                Problem(
                    file=path,
                    message=f"cannot write the output: {exc.strerror or exc}",
                    hint="check the folder exists and can be written",
                ),
            )
        ) from None
    with out:
        yield out


def _observations(args: argparse.Namespace, data: str) -> list[object]:
    columns = parse_columns(args.columns) if args.columns else None
    encoding = getattr(args, "encoding", None)
    text = Path(data).suffix.lower() in (".csv", ".tsv", ".txt", ".json")
    # Decided as the reader decides: a file mixing encodings is refused, never "read as".
    if text and encoding is None and Path(data).is_file() and sniff_encoding(data) == "cp1252":
        print(f"{data}: warning: not UTF-8; read as Windows-1252", file=sys.stderr)
    return read_observations(
        data, columns=columns, delimiter=args.delimiter, period=args.period, encoding=encoding
    )


def _rated(
    ruleset: Ruleset, data: str, period: str | None, args: argparse.Namespace
) -> Report | None:
    """Rate a data file, printing its problems; None when --period is not a period."""
    observations = _observations(args, data)
    try:
        report = ruleset.rate(observations, period=period)
    except DataError as exc:
        for problem in exc.problems:
            print(f"ragrules: --period: {problem.message}", file=sys.stderr)
        return None
    _print_problems(tuple(attrs.evolve(p, file=data) for p in report.problems))
    return report


def _check(args: argparse.Namespace) -> int:
    if args.period is not None and not _valid_period(args.period):
        return USAGE
    code = OK
    for path in args.rulesets:
        if not Path(path).is_file():
            _say(f"{path}: no such ruleset file (check the path)", file=sys.stderr)
            code = USAGE
            continue
        try:
            ruleset = _load(args, path)
        except RagrulesError as exc:
            _print_problems(exc.problems)
            code = max(code, FINDINGS)
            continue
        _print_problems(ruleset.warnings)
        count = len(ruleset.indicators)
        _say(f"{path}: ok ({count} indicator{'s' if count != 1 else ''})")
        if args.data is not None:
            report = _rated(ruleset, args.data, args.period, args)
            if report is None:
                return USAGE
            found = len(report.problems)
            _say(f"{args.data}: {found} finding{'s' if found != 1 else ''} with {path}")
            code = max(code, FINDINGS if found else OK)
    return code


def _valid_period(text: str) -> bool:
    try:
        parse_period(text)
    except PeriodError as exc:
        _say(f"ragrules: --period: {exc}", file=sys.stderr)
        return False
    return True


def _show(args: argparse.Namespace) -> int:
    document, origins = resolve_file(args.ruleset, args.search_path, args.allow)
    _load(args, args.ruleset)  # report any problem before printing
    comments = {}
    for path in _key_paths(document):
        file, line, _ = origins.locate(path)
        if file is not None and line is not None:
            comments[path] = f"from {file}:{line}"
    sys.stdout.write(dumps(document, comments))
    return OK


def _key_paths(value: object, path: str = "") -> list[str]:
    """Every key path in a document: tables' keys and array-of-tables entries."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else key
            found.append(child)
            found += _key_paths(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append(f"{path}[{index}]")
                found += _key_paths(item, f"{path}[{index}]")
    return found


def _explain(args: argparse.Namespace) -> int:
    ruleset = _load(args, args.ruleset)
    report = _rated(ruleset, args.data, args.period, args)
    if report is None:
        return USAGE
    try:
        explanation = report.explain(args.indicator)
    except LookupError as exc:
        _say(f"ragrules explain: --indicator: {exc.args[0]}", file=sys.stderr)
        return USAGE
    if args.format == "json":
        sys.stdout.write(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        _say(f"{explanation}")
    return OK


def _audit(args: argparse.Namespace) -> int:
    ruleset = _load(args, args.ruleset)
    if args.period is not None and not _valid_period(args.period):
        return USAGE
    found = audit(ruleset, _observations(args, args.data), args.period)
    _print_problems(tuple(attrs.evolve(p, file=args.data) for p in found.report.problems))
    if not found.checked:
        _say(
            f"{args.data}: no published values to check (add published_status or "
            "published_NAME columns for the ruleset's comparisons)",
            file=sys.stderr,
        )
        return FINDINGS
    if args.format == "json":
        data = {
            "ruleset": found.report.to_dict()["ruleset"],
            "period": None if found.report.period is None else str(found.report.period),
            "checked": found.checked,
            "mismatches": [mismatch.to_dict() for mismatch in found.mismatches],
        }
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return FINDINGS if found.mismatches else OK
    period = found.report.period or "no period"
    count = len(found.mismatches)
    _say(
        f"{args.data}: {found.checked} published values checked for {period}, "
        f"{count} mismatch{'es' if count != 1 else ''} ({found.report.fingerprint})"
    )
    for mismatch in found.mismatches:
        _say(f"  {mismatch}")
        _say("    computed:")
        for line in str(mismatch.result.explain()).splitlines():
            _say(f"      {line}")
        if mismatch.alternative is not None:
            _say(f"    under {mismatch.readings[0]}:")
            for line in str(mismatch.alternative.explain()).splitlines():
                _say(f"      {line}")
    return FINDINGS if found.mismatches else OK


def _verify(args: argparse.Namespace) -> int:
    code = OK
    for path in args.rulesets:
        if not Path(path).is_file():
            _say(f"{path}: no such ruleset file (check the path)", file=sys.stderr)
            code = USAGE
            continue
        findings = verify_file(
            path, search_path=args.search_path, allowed=args.allow, examples=args.examples
        )
        for finding in findings:
            _say(attrs.evolve(finding, file=finding.file or path))
        errors = sum(finding.severity is Severity.ERROR for finding in findings)
        warnings = len(findings) - errors
        _say(
            f"{path}: {errors} error{'s' if errors != 1 else ''}, {warnings} warning"
            f"{'s' if warnings != 1 else ''}"
        )
        if errors and code == OK:
            code = FINDINGS
    return code


def _schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return OK


def _fmt(args: argparse.Namespace) -> int:
    ruleset = _load(args, args.ruleset)
    sys.stdout.write(f"{fingerprint(ruleset)}\n" if args.fingerprint else canonical_toml(ruleset))
    return OK


def _diff(args: argparse.Namespace) -> int:
    a, b = _load(args, args.ruleset_a), _load(args, args.ruleset_b)
    _say(f"A: {args.ruleset_a} ({fingerprint(a)})")
    _say(f"B: {args.ruleset_b} ({fingerprint(b)})")
    rules = rule_differences(a, b)
    _say("\nRules:" if rules else "\nRules: the same.")
    for difference in rules:
        _say(f"  {difference}")
    ratings = []
    if args.data is not None:
        report_a = _rated(a, args.data, args.period, args)
        report_b = _rated(b, args.data, args.period, args)
        if report_a is None or report_b is None:
            return USAGE
        ratings = rating_differences(report_a, report_b)
        period = report_a.period or "no period"
        _say(f"\nRatings of {args.data} for {period}:" if ratings else "\nRatings: the same.")
        for rated in ratings:
            _say(f"  {rated}")
            for side, result in (("A", rated.a), ("B", rated.b)):
                _say(f"    {side}:")
                for line in str(result.explain()).splitlines():
                    _say(f"      {line}")
    return FINDINGS if rules or ratings else OK


def _say(*parts: object, file: TextIO | None = None) -> None:
    """print, for text made from rulesets and data: control and escape characters shown."""
    shown = ("\n".join(map(terminal_safe, str(part).split("\n"))) for part in parts)
    print(*shown, file=file or sys.stdout)


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    if errors > 1:
        print(f"{errors} errors", file=sys.stderr)
