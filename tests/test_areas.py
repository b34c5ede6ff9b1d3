"""Areas and breakdowns: every series (indicator, area, breakdown) is rated on its own, with its
own history, travel and duplicates; a national export is read without --columns."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules

IMPROVING, WORSENING = ragrules.Judgement.IMPROVING, ragrules.Judgement.WORSENING

CAMPYLOBACTER = (
    Path(__file__).resolve().parent.parent
    / "rulesets"
    / "examples"
    / "national"
    / "fingertips_campylobacter_countyua_2015-2017.csv"
)

RULES_TEXT = """
[ruleset]
format = 1
id = "areas"

[data]
breakdowns = ["sex"]

[travel.comparisons]
short = { against = "previous-period" }

[[indicator]]
id = "a"
polarity = "lower-is-better"
target = 150
tolerance = { relative = "10%" }

[[indicator]]
id = "b"
polarity = "higher-is-better"
target = 50
tolerance = { absolute = 5 }
"""
RULES = ragrules.loads(RULES_TEXT)


def _row(
    indicator: str, area: str, period: str, value: str, sex: str = "Persons"
) -> dict[str, str]:
    return {"indicator": indicator, "area": area, "sex": sex, "period": period, "value": value}


ROWS = [
    _row("a", "E1", "2023", "180"),
    _row("a", "E1", "2024", "160"),
    _row("a", "E2", "2023", "140"),
    _row("a", "E2", "2024", "149"),
    _row("a", "E2", "2024", "170", sex="Male"),
    _row("b", "E2", "2024", "52"),
]


def _statuses(report: ragrules.Report) -> dict[tuple[str, str, tuple[tuple[str, str], ...]], str]:
    return {(r.indicator.id, r.area, r.breakdown): r.status for r in report.results}


def test_each_area_and_breakdown_is_a_series_of_its_own() -> None:
    report = RULES.rate(ROWS)
    assert report.areas == ("E1", "E2")
    persons = (("sex", "Persons"),)
    assert _statuses(report) == {
        ("a", "E1", persons): "amber",
        ("b", "E1", persons): "no-data",  # E1 has no row for b: said, not skipped
        ("a", "E2", (("sex", "Male"),)): "red",
        ("b", "E2", (("sex", "Male"),)): "no-data",
        ("a", "E2", persons): "green",
        ("b", "E2", persons): "green",
    }
    assert not report.rejected  # the same indicator and period in two areas is no duplicate
    assert sorted(report.history) == [1, 3]  # rows are numbered from 1


def test_travel_follows_each_series_through_its_own_periods() -> None:
    report = RULES.rate(ROWS)
    e1 = report.result("a", area="E1", breakdown={"sex": "Persons"})
    e2 = report.result("a", area="E2", breakdown={"sex": "Persons"})
    male = report.result("a", area="E2", breakdown={"sex": "Male"})
    assert (e1.travel[0].earlier, e1.travel[0].judgement) == (Decimal(180), IMPROVING)
    assert (e2.travel[0].earlier, e2.travel[0].judgement) == (Decimal(140), WORSENING)
    assert male.travel[0].reason == "no row for 2023"


def test_a_wide_rows_earlier_columns_belong_to_its_own_area_and_breakdown(
    tmp_path: Path,
) -> None:
    """`previous` on a national row is that area's (and breakdown's) previous value."""
    data = tmp_path / "wide.csv"
    data.write_text(
        "indicator,area,sex,period,value,previous\n"
        "a,E1,Persons,2024,160,180\na,E2,Persons,2024,149,140\na,E2,Male,2024,170,\n",
        encoding="utf-8",
    )
    streamed = " among the last 4,096 values read before this one"
    for results, missing in (
        (RULES.rate(ragrules.read_observations(data)).results, "no row for 2023"),
        (
            [
                r
                for r in RULES.iter_rate(ragrules.data.iter_csv(data))
                if isinstance(r, ragrules.Result)
            ],
            "no row for 2023" + streamed,  # a stream holds only the rows read before
        ),
    ):
        moves = {(r.area, r.breakdown[0][1]): r.travel[0] for r in results if r.row}
        assert moves[("E1", "Persons")].judgement is IMPROVING
        assert moves[("E2", "Persons")].judgement is WORSENING
        assert moves[("E2", "Male")].reason == missing


def test_a_duplicate_is_a_second_row_for_the_same_series_and_period() -> None:
    report = RULES.rate([*ROWS, _row("a", "E1", "2024", "150")])
    (duplicate,) = report.rejected
    assert duplicate.row == 7
    assert duplicate.reason == "duplicate of row 2 for 2024 in area E1"


def test_looking_up_a_series_needs_its_area_when_there_are_several() -> None:
    report = RULES.rate(ROWS)
    with pytest.raises(LookupError, match="give the area and the breakdown"):
        report.result("a")
    with pytest.raises(LookupError, match="no indicator 'a' in area 'E9'"):
        report.result("a", area="E9")
    assert "Not an exception" in str(report.explain("b", area="E2", breakdown={"sex": "Persons"}))


def test_one_areas_report_holds_its_results_only() -> None:
    one = RULES.rate(ROWS).for_area("E1")
    assert {result.area for result in one.results} == {"E1"}
    assert one.summary.rated == 1
    with pytest.raises(LookupError):
        RULES.rate(ROWS).for_area("E9")


def test_data_without_areas_is_one_area() -> None:
    report = RULES.rate([{"indicator": "a", "period": "2024", "value": "150", "sex": "Persons"}])
    assert report.areas == ("",)
    assert report.result("a").status == "green"
    assert report.result("a").to_dict()["area"] is None


def test_a_breakdown_must_not_be_a_field_of_every_row() -> None:
    with pytest.raises(ragrules.RulesetError, match="'period' is a field of every row"):
        ragrules.loads(
            '[ruleset]\nformat = 1\nid = "x"\n[data]\nbreakdowns = ["Period"]\n'
            '[[indicator]]\nid = "a"\npolarity = "neutral"\n'
        )


def test_a_fingertips_export_is_read_without_a_column_mapping() -> None:
    rows = ragrules.read_observations(CAMPYLOBACTER)
    first = rows[0]
    assert isinstance(first, ragrules.Observation)
    assert (first.indicator, first.area, first.period) == ("93356", "E92000001", "2015")
    assert first.column("Area Name") == "England"
    assert first.column("Lower CI 95.0 limit") == "93.9129396546008"
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "x"\n'
        '[data]\nbreakdowns = ["sex", "age", "category type", "category"]\n'
        '[[indicator]]\nid = "93356"\nunit = "per_100000"\npolarity = "neutral"\n'
    )
    report = rules.rate(rows)
    # Every row is accounted for: rated for 2017, history for 2015 and 2016, none lost.
    rated_rows = [result.row for result in report.results if result.row is not None]
    assert len(rated_rows) + len(report.history) + len(report.rejected) == len(rows) == 852
    assert len({result.area for result in report.results}) == 162


@st.composite
def _relabelled(draw: st.DrawFn) -> tuple[list[dict[str, str]], dict[str, str]]:
    codes = draw(
        st.lists(
            st.from_regex(r"[A-Z][0-9]{2}", fullmatch=True), min_size=2, max_size=2, unique=True
        )
    )
    names = dict(zip(("E1", "E2"), codes, strict=True))
    rows = [{**row, "area": names[row["area"]]} for row in ROWS]
    return draw(st.permutations(rows)), names


@given(_relabelled())
def test_relabelling_or_reordering_areas_changes_no_status(
    case: tuple[list[dict[str, str]], dict[str, str]],
) -> None:
    rows, names = case
    before = _statuses(RULES.rate(ROWS))
    after = _statuses(RULES.rate(rows))
    assert after == {(i, names[area], b): status for (i, area, b), status in before.items()}


@given(st.permutations(ROWS), st.integers(0, 5))
def test_adding_an_area_changes_no_status_in_the_others(rows: list[dict[str, str]], n: int) -> None:
    extra = [_row("a", f"X{k}", "2024", str(100 + 17 * k)) for k in range(n)]
    before = _statuses(RULES.rate(ROWS))
    after = _statuses(RULES.rate([*rows, *extra]))
    assert {key: status for key, status in after.items() if not key[1].startswith("X")} == before
    assert Counter(key[1] for key in after)["E1"] == 2


def test_audit_across_areas_names_the_areas_that_depart_from_the_shared_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ragrules.cli import main
    from ragrules.tools import audit

    rows = [
        {**_row("a", "E1", "2024", "160"), "published status": "amber"},
        {**_row("a", "E2", "2024", "149"), "published status": "green"},
        # E3 rated 165 amber by the shared rules (tolerance 10% of 150: up to 165) but
        # published red: its own spreadsheet put the boundary in the worse band.
        {**_row("a", "E3", "2024", "165"), "published status": "red"},
    ]
    found = audit(RULES, rows)
    assert found.checked == 3
    (mismatch,) = found.mismatches
    assert (mismatch.result.area, mismatch.computed) == ("E3", "amber")
    assert str(mismatch).startswith("a (E3, Persons): published status 'red', computed 'amber'")
    assert "values on a boundary go to the worse band" in mismatch.readings

    data = tmp_path / "published.csv"
    data.write_text(
        "indicator,area,sex,period,value,published status\n"
        + "".join(
            f"{r['indicator']},{r['area']},{r['sex']},{r['period']},{r['value']},"
            f"{r['published status']}\n"
            for r in rows
        ),
        encoding="utf-8",
    )
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES_TEXT, encoding="utf-8")
    assert main(["audit", str(rules), str(data)]) == 1
    assert "1 of 3 areas published statuses or arrows the shared rules do not give: E3" in (
        capsys.readouterr().out
    )


def test_explain_from_the_command_line_names_a_series_or_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ragrules.cli import main

    rules = tmp_path / "rules.toml"
    rules.write_text(RULES_TEXT, encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text(
        "indicator,area,sex,period,value\na,E1,Persons,2024,160\na,E1,Male,2024,170\n",
        encoding="utf-8",
    )
    base = ["explain", str(rules), str(data), "--indicator", "a", "--area", "E1"]
    assert main([*base, "--breakdown", "sex=Male"]) == 0
    assert "170" in capsys.readouterr().out
    assert main([*base, "--breakdown", "Male"]) == 2
    assert "--breakdown 'Male' is not COLUMN=VALUE" in capsys.readouterr().err
    assert main([*base, "--breakdown", "sex=Mle"]) == 2
    assert "no indicator 'a' in area 'E1' for sex='Mle'" in capsys.readouterr().err
    assert main(base) == 2
    assert "give the area and the breakdown" in capsys.readouterr().err
