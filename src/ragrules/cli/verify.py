"""`ragrules verify`: static checks and property tests of a ruleset, for auditors."""

from __future__ import annotations

import argparse
import importlib.util
import sys

import attrs

from ragrules.cli._common import FINDINGS, OK, USAGE, is_missing, say
from ragrules.model.errors import Severity
from ragrules.tools.verify import verify_file


def run_verify(args: argparse.Namespace) -> int:
    code = _verify(args)
    if importlib.util.find_spec("hypothesis") is None:  # this machine's, not the ruleset's
        say(
            "ragrules verify: the invariants are tested with Hypothesis, which is not "
            'installed: pip install "ragrules[testing]" (from a checkout: pip install '
            '".[testing]"); the static checks above were made',
            file=sys.stderr,
        )
        return USAGE
    return code


def _verify(args: argparse.Namespace) -> int:
    code = OK
    for path in args.rulesets:
        if is_missing(path):
            code = USAGE
            continue
        findings = verify_file(
            path, search_path=args.search_path, allowed=args.allow, examples=args.examples
        )
        for finding in findings:
            say(attrs.evolve(finding, file=finding.file or path))
        errors = sum(finding.severity is Severity.ERROR for finding in findings)
        warnings = len(findings) - errors
        say(
            f"{path}: {errors} error{'s' if errors != 1 else ''}, {warnings} warning"
            f"{'s' if warnings != 1 else ''}"
        )
        if errors and code == OK:
            code = FINDINGS
    return code
