"""`ragrules schema`: the JSON Schema of the ruleset format."""

from __future__ import annotations

import argparse
import sys

from ragrules.cli._common import OK
from ragrules.formats.loading import schema_text


def run_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_text())
    return OK
