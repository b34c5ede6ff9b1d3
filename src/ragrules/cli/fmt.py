"""`ragrules fmt`: the resolved ruleset in canonical form, or its fingerprint."""

from __future__ import annotations

import argparse
import sys

from ragrules.cli._common import OK, load_ruleset
from ragrules.engine.canonical import canonical_toml, fingerprint


def run_fmt(args: argparse.Namespace) -> int:
    ruleset = load_ruleset(args, args.ruleset)
    sys.stdout.write(f"{fingerprint(ruleset)}\n" if args.fingerprint else canonical_toml(ruleset))
    return OK
