"""The argument parser: every command, its options and the function that runs it."""

from __future__ import annotations

import argparse

from ragrules import __version__
from ragrules.cli.audit import run_audit
from ragrules.cli.check import run_check
from ragrules.cli.diff import run_diff
from ragrules.cli.explain import run_explain
from ragrules.cli.fmt import run_fmt
from ragrules.cli.rate import run_rate
from ragrules.cli.schema import run_schema
from ragrules.cli.show import run_show
from ragrules.cli.verify import run_verify
from ragrules.reports.output import FORMATS

_DATA = "a data file of observations: .csv, .tsv or .txt (delimited text), .json or .xlsx"
_EXIT = (
    "exit codes: 0 success; 1 findings (problems found, or with --strict); 2 usage or input error"
)
# One example for each command, shown at the end of its --help.
_EXAMPLES = {
    "rate": "ragrules rate council.toml q2.csv --format html -o report.html",
    "check": "ragrules check council.toml --data q2.csv",
    "show": "ragrules show council.toml --fingerprint",
    "fmt": "ragrules fmt --check rulesets/*.toml",
    "diff": "ragrules diff old.toml new.toml q2.csv",
    "explain": "ragrules explain council.toml q2.csv --indicator early-help-conversion",
    "audit": "ragrules audit council.toml published-q2.csv",
    "verify": "ragrules verify council.toml --examples 200",
    "schema": "ragrules schema > ruleset.schema.json",
}


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str
) -> argparse.ArgumentParser:
    """A command with its help, and an epilog giving its exit codes and an example."""
    return commands.add_parser(
        name,
        help=help,
        description=help[:1].upper() + help[1:] + ".",
        epilog=f"example: {_EXAMPLES[name]}\n{_EXIT}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _text_or_json(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=f"{what}, as text (the default) or as data (json)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The `ragrules` parser; each command sets `run`, the function that carries it out."""
    parser = argparse.ArgumentParser(
        prog="ragrules",
        description="Rate performance indicators with a declarative TOML ruleset.",
        epilog=f"{_EXIT}\nrun 'ragrules COMMAND --help' for a command's options and an example",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ragrules {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rate = _command(commands, "rate", "rate the observations in DATA with RULESET")
    rate.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    rate.add_argument("data", metavar="DATA", help=_DATA)
    rate.add_argument("--period", help="the period to report, e.g. '2020/21 Q2' (default: latest)")
    rate.add_argument(
        "--matrix",
        action="store_true",
        help="every area at once: a row per area, a column per series, with the totals "
        "(--format csv, json or html)",
    )
    rate.add_argument(
        "--area",
        metavar="CODE",
        help="report one area of a file with an area column (e.g. E06000001); its rejected "
        "rows and notices stay with the whole file's report",
    )
    rate.add_argument(
        "--per-area",
        metavar="DIR",
        help="write one report per area into DIR, named by area code (AREA.html, AREA.csv, "
        "... by --format; not with -o or --matrix); the whole file's problems are printed as "
        "usual",
    )
    rate.add_argument(
        "--format",
        choices=(*FORMATS, "xlsx"),
        default=None,
        help="output format (default: from -o FILE's suffix, .html .json .jsonl .csv .md "
        ".xlsx, else table); xlsx, an Excel workbook, needs -o FILE",
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
    rate.add_argument(
        "--engine",
        choices=("row", "columnar"),
        default="row",
        help="with --stream on a CSV file: the compiled row engine (default), or the columnar "
        "engine (needs the polars extra; the same output, a block of the file in memory at a time)",
    )
    rate.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="with --stream on a CSV file: rate it in N parts by N processes (the same output "
        "as one process, in input order)",
    )
    rate.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=(
            "write to FILE, whole or not at all (an error leaves it as it was), not "
            "stdout (`-o -` is stdout)"
        ),
    )
    rate.add_argument(
        "--unsafe-csv",
        action="store_true",
        help="write CSV cells as they are: by default a cell starting with =, +, -, @, tab or "
        "CR (not a plain number) gets a ' in front, so a spreadsheet cannot run it as a formula",
    )
    rate.set_defaults(run=run_rate)

    check = _command(commands, "check", "validate rulesets and report every problem")
    check.add_argument("rulesets", nargs="+", metavar="RULESET", help="ruleset .toml files")
    check.add_argument(
        "--data",
        metavar="DATA",
        help="also rate this data file (.csv, .tsv, .txt, .json or .xlsx) and report its "
        "findings (missing commentary, rejected rows, unreadable values)",
    )
    check.add_argument("--period", help="the period to check the data for (default: latest)")
    check.set_defaults(run=run_check)

    show = _command(
        commands, "show", "print the resolved ruleset, saying which file each setting came from"
    )
    show.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    view = show.add_mutually_exclusive_group()
    view.add_argument(
        "--toml",
        action="store_true",
        help="print the resolved ruleset as one canonical TOML document (no extends, every "
        "default spelled out, stable key order), which loads to an equal ruleset",
    )
    view.add_argument(
        "--fingerprint",
        action="store_true",
        help="print only the fingerprint: the sha256 of the canonical TOML",
    )
    show.set_defaults(run=run_show)

    fmt = _command(
        commands,
        "fmt",
        "format ruleset files in place, keeping comments, order, extends and units as written",
    )
    fmt.add_argument(
        "rulesets",
        metavar="RULESET",
        nargs="+",
        help="ruleset .toml files to format; - reads stdin and writes stdout",
    )
    dry_run = fmt.add_mutually_exclusive_group()
    dry_run.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 if a file would be reformatted (for CI)",
    )
    dry_run.add_argument(
        "--diff",
        action="store_true",
        help="change nothing; print what would change as a unified diff, exit 1 if anything would",
    )
    dry_run.add_argument(
        "--fingerprint",
        action="store_true",
        help="deprecated: print each ruleset's fingerprint (use show --fingerprint)",
    )
    fmt.set_defaults(run=run_fmt)

    diff = _command(
        commands, "diff", "where two rulesets differ, and (with DATA) which ratings differ and why"
    )
    diff.add_argument("ruleset_a", metavar="RULESET_A", help="the first ruleset (A)")
    diff.add_argument("ruleset_b", metavar="RULESET_B", help="the second ruleset (B)")
    diff.add_argument("data", metavar="DATA", nargs="?", help=f"{_DATA}, to rate with both")
    diff.add_argument("--period", help="the period to compare (default: latest)")
    diff.set_defaults(run=run_diff)

    explain = _command(
        commands, "explain", "the full derivation of one indicator's rating, step by step"
    )
    explain.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    explain.add_argument("data", metavar="DATA", help=_DATA)
    explain.add_argument("--indicator", required=True, metavar="ID", help="the indicator's id")
    explain.add_argument("--period", help="the period to explain (default: latest)")
    explain.add_argument(
        "--area", metavar="CODE", help="the area, for data with an area column (e.g. E06000001)"
    )
    explain.add_argument(
        "--breakdown",
        action="append",
        default=[],
        metavar="COLUMN=VALUE",
        help="the breakdown, for a ruleset with [data] breakdowns (e.g. sex=Male); repeatable",
    )
    _text_or_json(explain, "the derivation as numbered steps")
    explain.set_defaults(run=run_explain)

    audit_command = _command(
        commands, "audit", "compare the statuses and arrows a report published with computed ones"
    )
    audit_command.add_argument("ruleset", metavar="RULESET", help="path to a ruleset .toml file")
    audit_command.add_argument(
        "data",
        metavar="DATA",
        help=f"{_DATA}, with published_status and published_NAME columns",
    )
    audit_command.add_argument("--period", help="the period to audit (default: latest)")
    audit_command.add_argument(
        "--published",
        metavar="PAPER",
        help="check a committee paper ragrules wrote (.html or .xlsx) against the ruleset and "
        "DATA: its fingerprint, data digest and every status (finds statuses edited by hand)",
    )
    _text_or_json(audit_command, "each mismatch and the readings that reproduce it")
    audit_command.set_defaults(run=run_audit)

    verify = _command(
        commands,
        "verify",
        "static checks of rulesets, then their invariants tested with generated values",
    )
    verify.add_argument("rulesets", nargs="+", metavar="RULESET", help="ruleset .toml files")
    verify.add_argument(
        "--examples",
        type=_examples,
        default=50,
        metavar="N",
        help="generated examples per invariant and indicator (default: 50)",
    )
    verify.set_defaults(run=run_verify)

    schema = _command(commands, "schema", "print the JSON Schema of the ruleset format")
    schema.set_defaults(run=run_schema)

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

    for command in (show, diff, explain, audit_command, verify, schema):
        command.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help=(
                "write to FILE, whole or not at all, not stdout (never over an input; "
                "`-o -` is stdout)"
            ),
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


def _jobs(text: str) -> int:
    """--jobs N: a whole number of processes from 1 to 64."""
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}") from None
    if not 1 <= jobs <= 64:
        raise argparse.ArgumentTypeError("the number of processes is from 1 to 64")
    return jobs


def _examples(text: str) -> int:
    """--examples N: a whole number of generated examples, at least 1."""
    try:
        examples = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of examples, got {text!r}") from None
    if examples < 1:
        raise argparse.ArgumentTypeError("the number of examples is at least 1")
    return examples
