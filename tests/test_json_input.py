"""JSON data files as docs/data-format.md describes them: records keyed by indicator that name
another indicator, records that are not objects, and the literals Python's reader accepts that
JSON does not (NaN, Infinity)."""

from __future__ import annotations

import json

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


def test_a_lone_surrogate_is_read_as_the_replacement_character() -> None:
    """`"\\ud83d"` (half an emoji, text cut short) is no character: U+FFFD, as in a workbook;
    a whole pair is its character."""
    (row,) = parse_json(
        r'[{"indicator": "a", "value": "1", "commentary": "cut \ud83d here \ud83d\ude00",'
        r' "note \udc00": "x\udc00"}]'
    )
    assert isinstance(row, ragrules.Observation)
    assert row.commentary == "cut \ufffd here \U0001f600"
    assert row.extra == (("note_\ufffd", "x\ufffd"),)
    json.dumps(RULES.rate([row]).to_dict(), ensure_ascii=False).encode("utf-8")


def test_keyed_records_under_a_mapping_that_names_the_indicator_key() -> None:
    """The key a record is under satisfies the mapped indicator key, as in the array form."""
    columns = {"PI Ref": "indicator", "Outturn": "value", "When": "period"}
    keyed = parse_json(
        '{"a": [{"Outturn": 58, "When": "2024"}], '
        '"b": {"Outturn": 40, "When": "2024", "PI Ref": "b"}}',
        columns=columns,
    )
    array = parse_json(
        '[{"PI Ref": "a", "Outturn": 58, "When": "2024"}, '
        '{"PI Ref": "b", "Outturn": 40, "When": "2024"}]',
        columns=columns,
    )
    assert keyed == array
    with pytest.raises(ragrules.DataError, match="names the indicator 'c'"):
        parse_json('{"a": {"Outturn": 1, "PI Ref": "c"}}', columns=columns)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"indicator": {"0": "a"}, "value": {"0": 1}}', "orient='columns'"),
        (
            '{"0": {"indicator": "a", "value": 1}, "1": {"indicator": "b", "value": 2}}',
            "orient='index'",
        ),
        ('{"columns": ["indicator", "value"], "index": [0], "data": [["a", 1]]}', "orient='split'"),
        ('{"indicator": "a", "value": 1}\n{"indicator": "b", "value": 2}\n', "JSON Lines"),
    ],
)
def test_pandas_and_json_lines_shapes_get_a_hint_that_leads_somewhere(text: str, said: str) -> None:
    with pytest.raises(ragrules.DataError) as caught:
        parse_json(text)
    assert said in str(caught.value)
    assert "wrap it in [ ]" not in str(caught.value)
    assert "orient='records'" in str(caught.value)


def test_a_record_with_two_spellings_of_an_extra_key_is_rated() -> None:
    """`Note` and `note` are one extra column: the first is kept, as in a CSV header."""
    report = RULES.rate(
        parse_json('[{"indicator": "a", "period": "2024", "value": 58, "Note": "x", "note": "y"}]')
    )
    assert not report.rejected
    assert report.result("a").status == "green"
    assert report.result("a").columns == (("note", "x"),)
