"""JSON data files as docs/data-format.md describes them: records keyed by indicator that name
another indicator, records that are not objects, and the literals Python's reader accepts that
JSON does not (NaN, Infinity)."""

from __future__ import annotations

import pytest

import ragrules
from ragrules.data import parse_json
from tests.conftest import EXAMPLES, ROOT

RULES = ragrules.loads(
    """
[ruleset]
format = 1
id = "j"

[[indicator]]
id = "a"
unit = "number"
polarity = "higher-is-better"
target = 50
tolerance = { absolute = 5 }

[[indicator]]
id = "b"
unit = "number"
polarity = "higher-is-better"
target = 50
tolerance = { absolute = 5 }
"""
)


def test_records_keyed_by_indicator_are_read_as_documented() -> None:
    report = RULES.rate(parse_json('{"a": [{"period": "2024", "value": "60"}]}'))
    assert report.result("a").status == "green"


def test_the_documented_keyed_example_reads_as_the_docs_say() -> None:
    """The example in docs/data-format.md, as written there: two records under one key (a
    list), one under another (a record), rated with the Havering ruleset it names."""
    text = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    lead = text.index("Keyed by indicator, each key holds")
    block = text[
        text.index("```json\n", lead) + len("```json\n") : text.index(
            "```", text.index("```json\n", lead) + 7
        )
    ]
    rows = parse_json(block)
    report = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml").rate(rows, period="2020/21 Q2")
    assert [(r.indicator.id, r.value_text) for r in report.results if r.row is not None] == [
        ("early-help-conversion", "28.15"),
        ("lac-supervision", "96.1"),
    ]
    assert report.rejected == ()


@pytest.mark.parametrize("key", ["indicator", "Indicator", "Indicator ID"])
def test_a_keyed_record_naming_another_indicator_is_a_located_error(key: str) -> None:
    with pytest.raises(ragrules.DataError) as caught:
        parse_json(f'{{"a": [{{"period": "2024", "{key}": "b", "value": "5"}}]}}', source="t.json")
    (problem,) = caught.value.problems
    assert problem.key == f"a[0].{key}"
    assert "'b'" in problem.message and "'a'" in problem.message


def test_a_keyed_record_may_repeat_its_own_indicator() -> None:
    rows = parse_json('{"a": {"indicator": "a", "period": "2024", "value": "60"}}')
    assert RULES.rate(rows).result("a").status == "green"


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("[5]", "a JSON number (5)"),
        ("[1.5e2]", "a JSON number (1.5e2)"),
        ('{"a": 1}', "a JSON number (1)"),
        ('["x"]', "a JSON string"),
        ("[true]", "a JSON true"),
        ("[null]", "a JSON null"),
        ("[[1]]", "a JSON array"),
    ],
)
def test_a_record_that_is_not_an_object_is_rejected_with_its_json_type(
    text: str, what: str
) -> None:
    report = RULES.rate(parse_json(text))
    (rejection,) = report.rejected
    assert rejection.row == 1
    assert what in rejection.reason
    assert "JSON object" in rejection.reason


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_literals_that_are_not_json_numbers_are_read_as_written(literal: str) -> None:
    rows = parse_json(f'[{{"indicator": "a", "period": "2024", "value": {literal}}}]')
    result = RULES.rate(rows).result("a")
    assert result.status == "invalid"
    assert f"value {literal!r}" in result.reason


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_literals_under_a_column_mapping_are_read_as_written(literal: str) -> None:
    rows = parse_json(
        f'[{{"PI": "a", "Year": "2024", "Out": {literal}}}]',
        columns={"PI": "indicator", "Year": "period", "Out": "value"},
    )
    result = RULES.rate(rows).result("a")
    assert (result.status, result.value_text) == ("invalid", literal)
