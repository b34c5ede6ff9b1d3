"""How far a value is from another status, and fragile ratings, in every output."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown
from ragrules.reports.output import to_csv, to_json
from tests.conftest import EXAMPLES, as_a_browser_reads

HAVERING = EXAMPLES / "havering-2020-21-q2.toml"
HAVERING_DATA = EXAMPLES / "havering-2020-21-q2.csv"

RATIO = """
[ruleset]
format = 1
id = "ratio"

[scales.ratio]
bands = [
  { status = "green", from = { ratio = "100%" } },
  { status = "amber", from = { ratio = "90%" } },
  { status = "red" },
]

[[indicator]]
id = "waits"
polarity = "lower-is-better"
target = 30
scale = "ratio"

[[indicator]]
id = "occupancy"
polarity = "in-range"
target = { lower = 85, upper = 92 }
tolerance = { absolute = 3 }
"""


@pytest.fixture(scope="module")
def havering() -> ragrules.Report:
    return ragrules.load(HAVERING).rate(ragrules.read_observations(HAVERING_DATA))


def test_an_amber_value_knows_both_edges(havering: ragrules.Report) -> None:
    result = havering.result("care-leavers-eet-18-21")  # 71.8 against 75, 5% tolerance
    green, red = result.edges
    assert (green.status, green.at, green.included, green.distance) == (
        "green",
        Decimal("75"),
        True,
        Decimal("3.2"),
    )
    assert (red.status, red.at, red.included, red.better) == ("red", Decimal("71.25"), False, False)
    assert [edge.words() for edge in result.edges] == [
        "green needs 75, 3.2 more",
        "falls to red below 71.25 (0.55 lower)",
    ]


def test_edges_in_json_csv_and_the_reports(havering: ragrules.Report) -> None:
    record = next(
        r
        for r in json.loads(to_json(havering))["results"]
        if r["indicator"] == "early-help-conversion"
    )
    assert record["edges"] == [
        {
            "direction": "up",
            "status": "amber",
            "better": True,
            "at": "28.5",
            "included": True,
            "distance": "0.35",
            "exact": True,
            "words": "amber needs 28.5, 0.35 more",
        }
    ]
    # 5% read as 5 points (absolute) would make 28.15 amber: a fragile red.
    assert record["fragile"] == ["tolerance read as points in the indicator's unit (absolute)"]
    row = next(
        r
        for r in csv.DictReader(io.StringIO(to_csv(havering)))
        if r["indicator"] == "early-help-conversion"
    )
    assert row["edges"] == "amber needs 28.5, 0.35 more"
    assert row["fragile"] == record["fragile"][0]
    markdown = to_markdown(havering)
    assert "| To change status |" in markdown
    assert (
        "amber needs 28.5, 0.35 more; fragile: another status if tolerance read as points"
        in markdown
    )
    assert "<td>amber needs 28.5, 0.35 more; fragile" in to_html(havering)


def test_a_ratio_edge_no_decimal_writes_is_marked_inexact() -> None:
    rules = ragrules.loads(RATIO)
    # Lower is better: amber while 30 / value >= 90%, so up to 33 1/3.
    (edge,) = (e for e in rules.rate_value("waits", "31").edges if not e.better)
    assert (edge.status, edge.at, edge.exact, edge.included) == (
        "red",
        Decimal("33.333333"),
        False,
        False,
    )
    assert edge.words() == "falls to red above about 33.333333 (2.333333 higher)"


def test_in_range_edges_go_both_ways() -> None:
    rules = ragrules.loads(RATIO)
    inside = rules.rate_value("occupancy", "90")
    assert [(e.up, e.status, str(e.at)) for e in inside.edges] == [
        (True, "amber", "92"),
        (False, "amber", "85"),
    ]
    assert not any(edge.better for edge in inside.edges)
    below = rules.rate_value("occupancy", "83")  # amber, from 82 up to 85
    assert [(e.up, e.status, str(e.at), e.better) for e in below.edges] == [
        (True, "green", "85", True),
        (False, "red", "82", False),
    ]


def test_an_unrated_result_has_no_edges() -> None:
    rules = ragrules.loads(RATIO)
    result = rules.rate_value("waits", "N/A")
    assert result.edges == () and result.fragile == ()
    assert result.to_dict()["edges"] == [] and result.to_dict()["fragile"] == []


def test_a_browser_shows_the_edges_column(havering: ragrules.Report, tmp_path: Path) -> None:
    page = tmp_path / "havering.html"
    page.write_text(to_html(havering), encoding="utf-8")
    dom = as_a_browser_reads(page)
    assert '<th scope="col">To change status</th>' in dom
    assert "<td>green needs 75, 3.2 more; falls to red below 71.25 (0.55 lower)</td>" in dom


ON_THE_EDGE = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "edge"\n[[indicator]]\nid = "a"\nunit = "percent"\n'
    'target = "80%"\ntolerance = { relative = "5%" }\n'
    '[[indicator]]\nid = "b"\nunit = "percent"\npolarity = "lower-is-better"\n'
    'target = "20%"\ntolerance = { relative = "10%" }\n'
)


@pytest.mark.parametrize(
    ("indicator", "value", "words"),
    [
        ("a", "76", "falls to red below 76 (any amount lower)"),
        ("a", "77", "falls to red below 76 (1 lower)"),
        ("b", "22", "falls to red above 22 (any amount higher)"),
        ("b", "21.5", "falls to red above 22 (0.5 higher)"),
    ],
)
def test_a_value_on_the_edge_falls_by_any_amount(indicator: str, value: str, words: str) -> None:
    """76 is still amber and anything below it red: never "(0 lower)", a drop of nothing."""
    report = ON_THE_EDGE.rate([{"indicator": indicator, "period": "2020", "value": value}])
    (result,) = [r for r in report.results if r.indicator.id == indicator]
    (edge,) = [edge for edge in result.edges if not edge.better]
    assert edge.words() == words
    assert edge.to_dict()["words"] == words


def test_every_engine_words_a_value_on_the_edge_alike(tmp_path: Path) -> None:
    """The compiled and columnar writers render an edge once and join each value's distance
    into it: a value on the edge, after and before others, gets its own words in each."""
    from tests.test_stream_duplicates import _every_engine

    values = ["77", "76", "78", "76", "75.999"]
    rows = [f"a,E{n},2020/21 Q{q},{v}%" for q in (1, 2) for n, v in enumerate(values)]
    rows += [f"b,E{n},2020/21 Q2,{v}%" for n, v in enumerate(["21", "22", "21.5", "22"])]
    path = tmp_path / "edges.csv"
    path.write_text("indicator,area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    written = [json.loads(line) for line in _every_engine(ON_THE_EDGE, path).splitlines()]
    falls = [edge["words"] for line in written for edge in line["edges"] if not edge["better"]]
    assert falls.count("falls to red below 76 (any amount lower)") == 4
    assert falls.count("falls to red above 22 (any amount higher)") == 2
    assert not any("(0 " in words for words in falls)


TRAVEL_AWARE = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "ta"\nscale = "travel-aware"\n'
    '[travel]\narrows = "judgement"\n'
    '[travel.comparisons]\nlong = { against = "same-period-last-year" }\n'
    "[scales.travel-aware]\nbands = [\n"
    '  { status = "green", from = "target" },\n'
    '  { status = "amber", from = "tolerance" },\n'
    '  { status = "amber", travel = { comparison = "long", '
    'judgement = ["improving", "unchanged"] } },\n'
    '  { status = "red" },\n]\n'
    '[[indicator]]\nid = "abs"\nunit = "percent"\npolarity = "lower-is-better"\n'
    'target = "5%"\ntolerance = { relative = "10%" }\n'
)


def _travel_aware(last_year: str, value: str) -> ragrules.Result:
    rows = [
        {"indicator": "abs", "period": "2019/20 Q2", "value": last_year},
        {"indicator": "abs", "period": "2020/21 Q2", "value": value},
    ]
    (result,) = TRAVEL_AWARE.rate(rows, period="2020/21 Q2").results
    return result


def test_an_edge_through_a_travel_band_moves_with_the_value() -> None:
    """Havering 2013/14: beyond the tolerance is amber if no worse than last year. 6.001
    against last year's 6 is red, and 6 would be amber: the edge says so, not 5.5."""
    red = _travel_aware("6", "6.001")
    assert red.status == "red"
    assert [edge.words() for edge in red.edges] == ["amber needs 6, 0.001 less"]
    amber = _travel_aware("6", "5.8")
    assert amber.status == "amber"
    assert [edge.words() for edge in amber.edges] == [
        "falls to red above 6 (0.2 higher)",
        "green needs 5, 0.8 less",
    ]


@given(
    last_year=st.decimals(min_value=3, max_value=9, places=1),
    value=st.decimals(min_value=3, max_value=9, places=1),
)
def test_each_edge_of_a_travel_band_is_where_a_rating_changes(
    last_year: Decimal, value: Decimal
) -> None:
    """Rated again at an edge it includes, or just past one it does not, the value gets the
    edge's status; half way to the edge, its own: the edge is the nearest. Last year's value
    is held."""
    result = _travel_aware(str(last_year), str(value))
    for edge in result.edges:
        step = Decimal("0.001") * (1 if edge.up else -1)
        at = edge.at if edge.included else edge.at + step
        assert _travel_aware(str(last_year), str(at)).status == edge.status, edge
        half_way = (value + edge.at) / 2
        assert _travel_aware(str(last_year), str(half_way)).status == result.status, edge
