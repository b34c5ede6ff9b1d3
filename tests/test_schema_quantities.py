"""The schema and the loader agree on amounts and lists: an amount in the indicator's unit
validates wherever the loader reads one (a minimum value written with its unit), and a
profile has 4 shares or 12, as the loader says, no number between."""

from __future__ import annotations

import pytest
import tomli

import ragrules
from tests.test_schema import _assert_valid, _errors


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


@pytest.mark.parametrize("count", [3, 4, 5, 11, 12, 13])
def test_a_profile_has_four_shares_or_twelve(count: int) -> None:
    shares = ", ".join(['"0%"'] * (count - 1) + ['"100%"'])
    text = (
        f'[ruleset]\nformat = 1\nid = "q"\n[profiles]\nshares = [{shares}]\n'
        '[[indicator]]\nid = "a"\nunit = "count"\n'
        'target = { annual = 400, profile = "shares" }\ntolerance = { absolute = 5 }\n'
    )
    fits = count in (4, 12)
    assert (not _errors(tomli.loads(text))) == fits
    if fits:
        assert ragrules.loads(text).indicators[0].target is not None
    else:
        with pytest.raises(ragrules.RulesetError, match="a profile is 4 quarters' or 12 months'"):
            ragrules.loads(text)


def test_a_format_written_as_a_float_is_named_as_written() -> None:
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads('[ruleset]\nformat = 1.0\nid = "q"\n[[indicator]]\nid = "a"\n')
    assert "format 1.0 is not supported" in str(caught.value)
