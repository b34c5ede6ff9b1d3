"""Amounts in an indicator's unit validate wherever the loader reads them so (the schema's
`quantity`): a minimum value written with its unit is one."""

from __future__ import annotations

import pytest
import tomli

import ragrules
from tests.test_schema import _assert_valid


@pytest.mark.parametrize(
    ("unit", "minimum"), [("GBP", '"£5"'), ("%", '"10%"'), ("weeks", '"14 days"'), ("count", "5")]
)
def test_a_minimum_value_with_its_unit_validates_and_loads(unit: str, minimum: str) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "q"\n[[indicator]]\nid = "a"\n'
        f'unit = "{unit}"\nminimum = {{ value = {minimum} }}\ntarget = 50\n'
        "tolerance = { absolute = 5 }\n"
    )
    _assert_valid(tomli.loads(text))
    assert ragrules.loads(text).indicators[0].minimum is not None
