"""Coverage-guided fuzzing of the entry points with atheris (offline, not part of CI).

The Hypothesis fuzz tests (tests/property/test_fuzz.py) generate inputs from strategies;
atheris mutates bytes guided by coverage, starting from the shipped rulesets and data, so it
reaches inputs no strategy describes. Either way the rule is the same: the only exceptions
that may escape are ragrules' own errors.

    pip install atheris
    python fuzz/atheris_fuzz.py loads -runs=1000000

Targets: loads, csv, json, values, rate. Arguments after the target go to libFuzzer.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import ragrules
    from ragrules.data import parse_csv, parse_json
    from ragrules.numbers import NumberError, split_value
    from ragrules.periods import PeriodError, parse_period

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


TARGETS: dict[str, Callable[[bytes], None]] = {
    "loads": fuzz_loads,
    "csv": fuzz_csv,
    "json": fuzz_json,
    "values": fuzz_values,
    "rate": fuzz_rate,
}
SEEDS = {
    "loads": "rulesets/**/*.toml",
    "csv": "rulesets/**/*.csv",
    "json": "rulesets/**/*.csv",
    "rate": "rulesets/examples/havering-*.csv",
    "values": "rulesets/**/*.csv",
}


def _seed(name: str, path: Path) -> bytes:
    """A seed input: the file itself, or its rows as JSON records, or its cells one by one."""
    text = path.read_text(encoding="utf-8")
    if name in {"json", "rate"} and path.suffix == ".csv":
        return json.dumps(list(csv.DictReader(io.StringIO(text)))).encode()
    return text.encode()[:4096]


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
