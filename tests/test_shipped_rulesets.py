"""Every shipped ruleset loads, and every band-variant example is exercised by a test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ragrules
from tests.conftest import EXAMPLES, ROOT

RULESETS = ROOT / "rulesets"
SHIPPED = sorted(RULESETS.rglob("*.toml"))
BANDS = EXAMPLES / "bands"
BAND_TESTS = Path(__file__).parent / "test_band_variants.py"


def test_shipped_rulesets_found() -> None:
    """The glob finds the shipped rulesets, so the loading test below cannot pass vacuously."""
    assert SHIPPED, f"no *.toml under {RULESETS}"
    assert any(path.parent == BANDS for path in SHIPPED)


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(RULESETS)) for p in SHIPPED])
def test_shipped_ruleset_loads(path: Path) -> None:
    """A shipped ruleset loads with no errors and defines at least one indicator."""
    ruleset = ragrules.load(path)
    assert ruleset.indicators


def test_every_band_example_is_exercised() -> None:
    """Each ruleset in rulesets/examples/bands is named in test_band_variants.py, and only those."""
    shipped = {path.name for path in BANDS.glob("*.toml")}
    assert shipped, f"no band examples under {BANDS}"
    referenced = set(re.findall(r"\"([\w.-]+\.toml)\"", BAND_TESTS.read_text(encoding="utf-8")))
    assert shipped - referenced == set(), "band examples with no test"
    assert referenced - shipped == set(), "tests naming a band example that does not exist"
