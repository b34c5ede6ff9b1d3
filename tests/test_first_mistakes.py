"""The first mistakes of someone coming from a spreadsheet say what to write: an amount with
a unit left unquoted, a text left open, a tolerance given as text, and a file with no period
column (its quarters read as duplicates)."""

from __future__ import annotations

import pytest

import ragrules
from ragrules import RulesetError
from ragrules.data import parse_csv

RULESET = """[ruleset]
format = 1
id = "council"

[[indicator]]
id = "ASC02"
unit = "percent"
target = {target}
tolerance = {tolerance}
"""


def _problem(target: str = '"84%"', tolerance: str = '{ relative = "10%" }') -> str:
    with pytest.raises(RulesetError) as caught:
        ragrules.loads(RULESET.format(target=target, tolerance=tolerance), source="c.toml")
    (problem,) = caught.value.problems
    return str(problem)


@pytest.mark.parametrize("amount", ["84%", "84 %", "2 weeks", "1,200 per 100,000"])
def test_an_unquoted_amount_says_to_quote_it(amount: str) -> None:
    assert _problem(target=amount).endswith(
        '(a value with a unit or a % is text: write it in quotes, e.g. target = "84%")'
    )


def test_an_unclosed_text_says_to_close_it() -> None:
    problem = _problem(target='"84%')
    assert problem.startswith("c.toml:8:")
    assert problem.endswith('(a text is not closed: end it with " on the same line)')


def test_an_unquoted_amount_in_an_inline_table_says_to_quote_it() -> None:
    assert _problem(tolerance="{ relative = 10% }").endswith('e.g. target = "84%")')


def test_other_syntax_errors_point_to_the_syntax() -> None:
    assert _problem(target="[84").endswith("(see https://toml.io for the syntax)")
    # A key given twice is no unquoted amount, whatever its line holds.
    duplicated = RULESET.format(target="84", tolerance='{ relative = "10%" }') + "target = 84\n"
    with pytest.raises(RulesetError, match=r"Cannot overwrite a value.*toml\.io"):
        ragrules.loads(duplicated)


@pytest.mark.parametrize(
    ("given", "share", "amount"),
    [('"+/-5%"', "5%", "5%"), ('"\u00b15%"', "5%", "5%"), ('"5"', "5%", "5"), ('""', "10%", "10%")],
)
def test_a_tolerance_as_printed_suggests_tables_that_load(
    given: str, share: str, amount: str
) -> None:
    problem = _problem(tolerance=given)
    assert f'write {{ relative = "{share}" }} for {share} of the target' in problem
    assert f'{{ absolute = "{amount}" }} for {amount} in the unit' in problem
    for table in (f'{{ relative = "{share}" }}', f'{{ absolute = "{amount}" }}'):
        ragrules.loads(RULESET.format(target='"84%"', tolerance=table))  # each one loads


def test_a_tolerance_given_as_text_says_which_table_to_write() -> None:
    assert _problem(tolerance='"10%"') == (
        "c.toml:9:1: indicator[0].tolerance: expected a table, got the string '10%' "
        '(write { relative = "10%" } for 10% of the target, or { absolute = "10%" } for 10% '
        "in the unit)"
    )


def test_rows_with_no_period_say_why_they_are_duplicates() -> None:
    rules = ragrules.loads(RULESET.format(target='"84%"', tolerance='{ relative = "10%" }'))
    rows = parse_csv("indicator,value\nASC02,70%\nASC02,80%\n")
    (rejection,) = rules.rate(rows).rejected
    assert rejection.reason == (
        "duplicate of row 2 (neither has a period: add a period column, or map one with --columns)"
    )


def test_a_commentary_column_left_unmapped_is_named() -> None:
    rules = ragrules.loads(
        RULESET.format(target='"84%"', tolerance='{ relative = "10%" }')
        + '\n[exceptions]\ncommentary-required = ["red"]\n'
    )
    text = "indicator,period,value,Comments\nASC02,2020/21 Q2,50%,Hospital discharges fell\n"
    (finding,) = rules.rate(parse_csv(text)).findings
    assert finding.message == (
        "a red rating needs commentary, and none was given (the row's 'comments' column is "
        "not read as commentary: map it with --columns 'comments=commentary')"
    )
    mapped = parse_csv(text, columns={"Comments": "commentary"})
    assert not rules.rate(mapped).findings
    blank = "indicator,period,value,Comments\nASC02,2020/21 Q2,50%,\n"
    (finding,) = rules.rate(parse_csv(blank)).findings
    assert finding.message == "a red rating needs commentary, and none was given"


def test_a_result_asked_for_by_a_near_id_says_which_it_may_be() -> None:
    rules = ragrules.loads(RULESET.format(target='"84%"', tolerance='{ relative = "10%" }'))
    report = rules.rate(parse_csv("indicator,period,value\nASC02,2020/21 Q2,80%\n"))
    with pytest.raises(LookupError, match=r"no indicator 'asc02' \(did you mean 'ASC02'\?\)"):
        report.result("asc02")
    with pytest.raises(LookupError, match=r"^the report has no indicator 'XYZ'$"):
        report.result("XYZ")


def test_verify_without_hypothesis_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What this machine lacks is not a finding about the ruleset: exit 2, saying what to
    install, as other missing extras do."""
    import importlib.util

    from ragrules.cli import main

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "hypothesis" else find_spec(name, *args),
    )
    assert main(["verify", "rulesets/examples/havering-2020-21-q2.toml"]) == 2
    assert 'pip install "ragrules[testing]"' in capsys.readouterr().err
