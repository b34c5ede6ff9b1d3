"""A header with no value column is refused, as one with no indicator column is: every row
would otherwise be `no-data`, with nothing to say why (a misspelt `Vaule`, an `Outturn`
column left unmapped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ragrules import DataError
from ragrules.cli import main
from ragrules.data import parse_columns, parse_csv


def test_a_misspelt_value_column_is_named() -> None:
    with pytest.raises(DataError, match="no 'value' column") as caught:
        parse_csv("indicator,period,Vaule\npi-1,2020/21 Q1,5\n", source="q2.csv")
    assert "did you mean 'Vaule'? map it with --columns 'Vaule=value'" in str(caught.value)
    assert str(caught.value).startswith("q2.csv")


def test_no_value_column_says_how_to_map_one() -> None:
    with pytest.raises(DataError, match="found: 'indicator', 'period', 'Outturn'") as caught:
        parse_csv("indicator,period,Outturn\npi-1,2020/21 Q1,5\n")
    assert "--columns" in str(caught.value)


def test_a_mapped_value_column_is_read() -> None:
    (row,) = parse_csv(
        "indicator,period,Outturn\npi-1,2020/21 Q1,5\n", columns={"Outturn": "value"}
    )
    assert row.value == "5"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "indicator,period,numerator,denominator\npi-1,2020/21 Q1,5,10\n",  # a rate
        "indicator,2019/20,2020/21\npi-1,5,6\n",  # wide: a column per period
        "indicator,period,value\npi-1,2020/21 Q1,\n",  # a value column, left blank
    ],
)
def test_files_that_give_values_otherwise_are_read(text: str) -> None:
    assert parse_csv(text)


def test_the_command_line_refuses_it_with_its_usage_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "q2.csv"
    data.write_text("indicator,period,Vaule\nASC01,2020/21 Q2,5\n", encoding="utf-8")
    assert main(["rate", "docs/tutorial/council.toml", str(data)]) == 2
    assert "no 'value' column" in capsys.readouterr().err


def test_a_ruleset_given_as_data_says_so() -> None:
    with pytest.raises(DataError, match=r"this is a ruleset \(TOML\), not data"):
        parse_csv(Path("docs/tutorial/council.toml").read_text(encoding="utf-8"))


def test_an_unknown_field_lists_the_fields_and_says_other_names_are_columns() -> None:
    with pytest.raises(DataError, match=r"did you mean 'value'.*published_status"):
        parse_columns("Outturn=values")


def test_a_ruleset_starting_with_a_comment_or_named_toml_says_so() -> None:
    with pytest.raises(DataError, match=r"this is a ruleset \(TOML\)"):
        parse_csv("# Our council's rules\n[ruleset]\nformat = 1\n")
    with pytest.raises(DataError, match=r"this is a ruleset \(TOML\)"):
        parse_csv("a,b\n1,2\n", source="rules.toml")
    with pytest.raises(DataError) as caught:  # a column named `#` is a data file's
        parse_csv("#,PI,Value\n1,a,2\n")
    assert "ruleset" not in str(caught.value)
