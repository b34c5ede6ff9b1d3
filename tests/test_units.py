"""Units: council spellings, exact conversions, dimensions that must never mix."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from ragrules.units import UnitError, canonical_unit, convert, with_unit


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("%", "percent"),
        ("Percent", "percent"),
        ("percentage points", "percent"),
        ("weeks", "week"),
        ("working days", "working_day"),
        ("rate per 10,000 children", "per_10000"),
        ("per 1,000 population", "per_1000"),
        ("£", "GBP"),
        ("count", "count"),
    ],
)
def test_canonical_unit(text: str, unit: str) -> None:
    """Councils' unit spellings map to one canonical name."""
    assert canonical_unit(text) == unit


def test_unknown_unit_suggests_a_spelling() -> None:
    """A misspelt unit is an error with a did-you-mean."""
    with pytest.raises(UnitError, match="did you mean 'weeks'"):
        canonical_unit("weeeks")


@pytest.mark.parametrize(
    ("number", "source", "target", "expected"),
    [
        ("182", "day", "week", "26"),
        ("26", "week", "day", "182"),
        ("163.8", "day", "week", "23.4"),
        ("84.9", "per_10000", "per_1000", "8.49"),
        ("1.5", "thousand_GBP", "GBP", "1500"),
        ("36", "hour", "day", "1.5"),
    ],
)
def test_conversions_are_exact(number: str, source: str, target: str, expected: str) -> None:
    """Conversions multiply and divide base magnitudes, so terminating results are exact."""
    assert convert(Decimal(number), source, target) == Decimal(expected)


@pytest.mark.parametrize(
    ("source", "target"),
    [("count", "percent"), ("working_day", "day"), ("per_10000", "percent"), ("GBP", "count")],
)
def test_different_dimensions_never_convert(source: str, target: str) -> None:
    """5 children never become 500%, and working days never become calendar days."""
    with pytest.raises(UnitError, match="measure different things"):
        convert(Decimal(5), source, target)


def test_with_unit() -> None:
    """Numbers print with their unit as a report prints them."""
    assert with_unit("72", "percent") == "72%"
    assert with_unit("26", "week") == "26 weeks"
    assert with_unit("5", "count") == "5"


def test_import_ragrules_does_not_import_pint() -> None:
    """`import ragrules` stays cheap: pint is loaded only when a ruleset converts units."""
    code = (
        "import sys, ragrules\n"
        "assert 'pint' not in sys.modules, 'pint imported by ragrules'\n"
        'ragrules.loads(\'[ruleset]\\nformat = 1\\nid = "x"\\n[[indicator]]\\nid = "a"\\n'
        'polarity = "neutral"\\nunit = "%"\\n\')\n'
        "assert 'pint' not in sys.modules, 'pint imported without a conversion'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_names_are_imported_on_first_use() -> None:
    """`import ragrules` loads no submodule; each public name resolves when first used."""
    code = (
        "import sys, ragrules\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('ragrules.'))\n"
        "assert not loaded, loaded\n"
        "assert dir(ragrules) == sorted(ragrules.__all__)\n"
        "for name in ragrules.__all__:\n"
        "    assert getattr(ragrules, name) is not None, name\n"
        "assert ragrules.Ruleset.__module__ == 'ragrules.model'\n"
        "try:\n"
        "    ragrules.nothing\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('an unknown name resolved')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_fresh_interpreter_loads_and_rates_through_the_public_names() -> None:
    """The first use in a fresh process: no import order problem behind the lazy names."""
    code = (
        "import ragrules\n"
        'ruleset = ragrules.loads(\'[ruleset]\\nformat = 1\\nid = "x"\\n[[indicator]]\\n'
        'id = "a"\\ntarget = 1\\ntolerance = { absolute = 1 }\\n\')\n'
        "assert ruleset.rate([{'indicator': 'a', 'value': '1'}]).results[0].status == 'green'\n"
        "assert [r.status for r in ruleset.iter_rate([{'indicator': 'a', 'value': '0'}])] == "
        "['amber']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


MODULES = sorted(
    path.stem
    for path in (Path(__file__).parent.parent / "src" / "ragrules").glob("*.py")
    if not path.stem.startswith("__")
)


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    """No import cycle waits for an unlucky first import (public names load lazily)."""
    subprocess.run([sys.executable, "-c", f"import ragrules.{module}"], check=True)
