"""`ragrules fmt`: format ruleset files in place, keeping comments, order and `extends`.

`--check` and `--diff` change nothing and exit 1 when a file would change, for CI. A file
that cannot be formatted without moving a table or a comment is refused and left as it is
(exit 2), as is one that is not TOML. The resolved view that `fmt` printed in 0.1 is
`ragrules show RULESET --toml` (or `--fingerprint`).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from ragrules.cli._common import FINDINGS, OK, USAGE, load_ruleset, print_problems, say
from ragrules.cli._whole_file import replacing
from ragrules.formats.formatting import INSTALL_HINT, format_file, format_ruleset_text
from ragrules.model.errors import RagrulesError


def run_fmt(args: argparse.Namespace) -> int:
    if args.fingerprint:
        say(
            "ragrules fmt --fingerprint is deprecated: use ragrules show RULESET --fingerprint",
            file=sys.stderr,
        )
        for path in args.rulesets:
            sys.stdout.write(f"{load_ruleset(args, path).fingerprint}\n")
        return OK
    try:
        import tomlkit  # noqa: F401  (the `fmt` extra: say so once, before any file)
    except ImportError:
        say(INSTALL_HINT, file=sys.stderr)
        return USAGE
    changed, unchanged, failed = [], 0, 0
    for path in args.rulesets:
        try:
            if path == "-":
                sys.stdout.write(format_ruleset_text(sys.stdin.read(), "<stdin>"))
                continue
            original, formatted = format_file(path)
        except RagrulesError as exc:
            print_problems(exc.problems)
            failed += 1
            continue
        if formatted.encode("utf-8") == original:
            unchanged += 1
            continue
        changed.append(path)
        if args.diff:
            sys.stdout.writelines(_diff(path, original, formatted))
        elif args.check:
            say(f"would reformat {path}", file=sys.stderr)
        else:
            try:
                with replacing(Path(path), "the formatted file") as out:
                    out.write(formatted.encode("utf-8"))
            except RagrulesError as exc:
                print_problems(exc.problems)
                failed += 1
    if "-" not in args.rulesets or len(args.rulesets) > 1:
        say(_tally(len(changed), unchanged, failed, args.check or args.diff), file=sys.stderr)
    if failed:
        return USAGE
    return FINDINGS if changed and (args.check or args.diff) else OK


def _diff(path: str, original: bytes, formatted: str) -> list[str]:
    before = original.decode("utf-8-sig").splitlines(keepends=True)
    after = formatted.splitlines(keepends=True)
    return list(difflib.unified_diff(before, after, f"{path} (as it is)", f"{path} (formatted)"))


def _tally(changed: int, unchanged: int, failed: int, dry_run: bool) -> str:
    def files(count: int) -> str:
        return f"{count} file{'' if count == 1 else 's'}"

    parts = []
    if changed:
        parts.append(f"{files(changed)} {'would be reformatted' if dry_run else 'reformatted'}")
    if unchanged or not (changed or failed):
        parts.append(f"{files(unchanged)} {'already formatted' if dry_run else 'left unchanged'}")
    if failed:  # not TOML, unreadable, or not formattable without moving a comment or table
        parts.append(
            f"{files(failed)} not formatted (left as {'it is' if failed == 1 else 'they are'})"
        )
    return ", ".join(parts)
