"""`ragrules show`: the resolved ruleset, saying which file each setting came from; or, with
`--toml`, its canonical form, and with `--fingerprint` that form's hash."""

from __future__ import annotations

import argparse
import sys

from ragrules.cli._common import OK, load_ruleset
from ragrules.engine._toml_writer import dumps
from ragrules.formats.loading import resolve_file


def run_show(args: argparse.Namespace) -> int:
    document, origins = resolve_file(args.ruleset, args.search_path, args.allow)
    ruleset = load_ruleset(args, args.ruleset)  # report any problem before printing
    if args.fingerprint:
        sys.stdout.write(f"{ruleset.fingerprint}\n")
        return OK
    if args.toml:
        sys.stdout.write(ruleset.canonical_toml)
        return OK
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
