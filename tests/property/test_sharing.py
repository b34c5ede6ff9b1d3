"""Laws of shared rulesets: inheritance and the canonical round trip (DESIGN.md section 6)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given

import ragrules
from ragrules import testing
from ragrules.engine.canonical import canonical_toml, fingerprint
from ragrules.engine.ruleset import Ruleset
from ragrules.output import to_json


@given(testing.rulesets())
def test_round_trip(ruleset: Ruleset) -> None:
    """9. Round-trip: a loaded ruleset written back to TOML and reloaded is equal and has the
    same fingerprint."""
    loaded = ragrules.loads(canonical_toml(ruleset))
    again = ragrules.loads(canonical_toml(loaded))
    assert again == loaded
    assert fingerprint(again) == fingerprint(loaded)
    assert canonical_toml(again) == canonical_toml(loaded)


@given(testing.rulesets().flatmap(lambda r: testing.observations(r).map(lambda o: (r, o))))
def test_extending_without_overrides_rates_like_the_base(
    case: tuple[Ruleset, list[dict[str, object]]],
) -> None:
    """8. Inheritance: a ruleset that extends a base and overrides nothing rates like the base."""
    ruleset, rows = case
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.toml"
        base.write_text(canonical_toml(ruleset), encoding="utf-8")
        # The child states only its identity (the base's, here) and what it extends.
        child = ragrules.loads(
            f"[ruleset]\nformat = 1\nid = {json.dumps(ruleset.id)}\n"
            f"title = {json.dumps(ruleset.title)}\nversion = {json.dumps(ruleset.version)}\n"
            'extends = "base.toml"\n',
            directory=folder,
        )
        parent = ragrules.load(base)
    assert child == parent
    assert to_json(child.rate(rows)) == to_json(parent.rate(rows))
