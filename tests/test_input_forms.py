"""The same table rates the same whatever form it arrives in: a CSV file, a JSON file, a list
of dicts or a pandas frame. Earlier values (`previous`, `last_year`) and the period columns
of a wide table are read from each form as the CSV reader reads them, with the same
rejections."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

import ragrules
from ragrules.data import parse_csv, parse_json
from ragrules.model.errors import DataError

RULES = ragrules.loads(
    """
[ruleset]
format = 1
id = "forms"
scale = "rag"

[travel.comparisons]
short = { against = "previous-period" }
long = { against = "same-period-last-year" }

[defaults]
unit = "percent"
polarity = "higher-is-better"

[[indicator]]
id = "a"
target = "30%"
tolerance = { absolute = "1" }

[[indicator]]
id = "b"
unit = "number"
target = 100
tolerance = { absolute = "1" }
"""
)

EARLIER = [
    ["indicator", "period", "value", "previous", "last_year", "note"],
    ["a", "2020/21 Q2", "28.15", "29.5", "31", "fell"],
    ["b", "2020/21 Q2", "120", "", "90", ""],
    ["zz", "2020/21 Q2", "5", "4", "", "unknown id"],
    ["", "2020/21 Q2", "5", "", "", "no id"],
]
WIDE = [
    ["indicator", "2019/20 Q2", "2020/21 Q1", "2020/21 Q2", "note"],
    ["a", "31", "29.5", "28.15", "fell"],
    ["b", "90", "", "120", ""],
    ["zz", "1", "2", "3", ""],
]
# Two spellings of one column that is no field: CSV keeps the first (F3).
NOTES = [
    ["indicator", "period", "value", "Note", "note"],
    ["a", "2020/21 Q2", "28.15", "first", "second"],
]


def _summary(report: ragrules.Report, row_offset: int = 0) -> dict[str, Any]:
    """What a report says, rows counted from the first data row (CSV's header is line 1)."""
    return {
        "period": str(report.period),
        "results": [
            (
                result.indicator.id,
                result.status,
                result.value_text,
                [(m.direction.value, m.reason, m.earlier_text) for m in result.travel],
            )
            for result in report.results
        ],
        "rejected": sorted(
            ((r.row or 0) - row_offset, r.indicator, r.period, r.reason) for r in report.rejected
        ),
        "history": sorted(row - row_offset for row in report.history),
        "passed": [result.to_dict().get("columns") for result in report.results],
    }


def _csv_text(table: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue()


def _dicts(table: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(table[0], line, strict=True)) for line in table[1:]]


def _from_csv(table: list[list[str]]) -> dict[str, Any]:
    return _summary(RULES.rate(parse_csv(_csv_text(table))), row_offset=1)


def _from_json(table: list[list[str]]) -> dict[str, Any]:
    return _summary(RULES.rate(parse_json(json.dumps(_dicts(table)))))


def _from_frame(table: list[list[str]]) -> dict[str, Any]:
    pandas = pytest.importorskip("pandas")
    from ragrules.pandas import rate_frame

    frame = pandas.DataFrame(table[1:], columns=table[0], dtype=object)
    return _summary(rate_frame(RULES, frame).attrs["report"])


@pytest.mark.parametrize("table", [EARLIER, WIDE], ids=["earlier", "wide"])
def test_json_reads_earlier_and_wide_keys_as_csv_does(table: list[list[str]]) -> None:
    expected = _from_csv(table)
    assert expected["results"][0][3][0][0] == "down"  # the travel the earlier values give
    assert _from_json(table) == expected


@pytest.mark.parametrize("table", [EARLIER, WIDE], ids=["earlier", "wide"])
def test_frame_reads_earlier_and_wide_columns_as_csv_does(table: list[list[str]]) -> None:
    assert _from_frame(table) == _from_csv(table)


@pytest.mark.parametrize("table", [EARLIER, WIDE], ids=["earlier", "wide"])
def test_dicts_read_earlier_and_wide_keys_as_csv_does(table: list[list[str]]) -> None:
    assert _summary(RULES.rate(_dicts(table))) == _from_csv(table)
    streamed = list(RULES.iter_rate(_dicts(table)))  # one line per mapping, as a CSV line
    assert [r.status for r in streamed if isinstance(r, ragrules.Result)] == [
        status for _, status, *_ in _from_csv(table)["results"]
    ]


def test_two_spellings_of_an_extra_key_keep_the_first_as_csv_does() -> None:
    expected = _from_csv(NOTES)
    assert expected["results"][0][1] == "red"
    assert expected["passed"][0] == {"note": "first"}
    assert _from_json(NOTES) == expected
    assert _summary(RULES.rate(_dicts(NOTES))) == expected


def test_two_spellings_of_a_field_are_still_rejected_at_their_row() -> None:
    report = RULES.rate(parse_json('[{"indicator": "a", "value": "1", "Value ": "2"}]'))
    assert [r.reason for r in report.rejected] == ["keys 'value' and 'Value ' both give 'value'"]


def test_earlier_values_with_no_period_are_refused_in_every_form() -> None:
    table = [["indicator", "value", "previous"], ["a", "28.15", "29.5"]]
    for read in (_from_csv, _from_json):
        with pytest.raises(DataError, match="previous and last-year columns need the row's period"):
            read(table)
    # with the period given, every form places them
    given = RULES.rate(parse_json(json.dumps(_dicts(table)), period="2020/21 Q2"))
    assert given.result("a").travel[0].direction.value == "down"


def test_a_huge_int_in_a_dict_is_invalid_with_its_indicator() -> None:
    report = RULES.rate([{"indicator": "a", "period": "2020/21 Q2", "value": 10**5000}])
    assert not report.rejected
    result = report.result("a")
    assert result.status == "invalid"
    assert "over 1,000 characters" in result.reason


def test_a_rejected_line_with_earlier_values_is_one_rejection_in_every_form() -> None:
    """An unknown indicator rejects the row and the earlier value it carries alike: the
    report counts the line once, as the stream does."""
    table = [["indicator", "period", "value", "previous"], ["zzz", "2020/21 Q2", "5", "4"]]
    for report in (RULES.rate(_dicts(table)), RULES.rate(parse_csv(_csv_text(table)))):
        assert [(r.indicator, r.reason) for r in report.rejected] == [
            ("zzz", "unknown indicator 'zzz': the ruleset does not define it")
        ]
    streamed = list(RULES.iter_rate(_dicts(table)))
    assert [r.reason for r in streamed if isinstance(r, ragrules.Rejection)] == [
        "unknown indicator 'zzz': the ruleset does not define it"
    ]
