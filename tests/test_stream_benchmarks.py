"""What a stream says of a benchmark's row it cannot use (read too far back, a row with no
period), the benchmark area's own row on a target-from-benchmark scale, and the area of a
rejected line."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest

import ragrules
from ragrules.data import iter_csv
from ragrules.engine import _placing
from ragrules.reports.compiled import rate_csv_stream
from ragrules.stream import write_stream

NATIONAL = Path(__file__).resolve().parent.parent / "rulesets" / "examples" / "national"
MORTALITY = NATIONAL / "trafford_u75_preventable_mortality_ltla_2014-2024.csv"
U75 = NATIONAL / "u75-preventable-mortality.toml"

SIGNIFICANCE = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "s"\nscale = "sig"\n'
    '[benchmarks.england]\narea = "E92000001"\n'
    '[scales.sig]\nsignificance = { benchmark = "england", statuses = ["Better", "Similar", '
    '"Worse"] }\n'
    '[[indicator]]\nid = "i"\nunit = "number"\npolarity = "lower-is-better"\n'
)
HEADER = "indicator,area,period,value,lower ci 95.0 limit,upper ci 95.0 limit"


def _streamed(ruleset: ragrules.Ruleset, path: Path) -> list[dict[str, object]]:
    general, compiled = io.StringIO(), io.StringIO()
    write_stream(ruleset.iter_rate(iter_csv(path)), ruleset, general)
    rate_csv_stream(ruleset, path, compiled)
    assert compiled.getvalue() == general.getvalue()
    return [json.loads(line) for line in compiled.getvalue().splitlines()]


def test_a_benchmark_areas_rows_are_kept_for_the_whole_stream() -> None:
    """The mortality extract has England's rows first, then each area's years: England's
    later years are more than 4,096 values back for most areas. A stream keeps a benchmark
    area's rows beyond the look-back, so every area is compared, as the whole file rates
    it."""
    ruleset = ragrules.load(U75)
    lines = _streamed(ruleset, MORTALITY)
    assert not [line for line in lines if line.get("status") == "no-target"]
    report = ruleset.rate(ragrules.read_observations(MORTALITY), period="2020")
    whole = Counter((r.area, r.status, r.reason) for r in report.results)
    streamed = Counter(
        (line["area"], line["status"], line["reason"]) for line in lines if line["period"] == "2020"
    )
    assert streamed == whole and len(report.results) == 891


def test_a_benchmark_row_beyond_those_kept_is_said_to_be_read_too_far_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With fewer of England's rows kept than the file has, the rest are read too far back:
    the reason says that, not that England's row should be put first (it is first)."""
    monkeypatch.setattr(_placing, "_PINNED", 2)
    reasons = Counter(
        str(line["reason"])
        for line in _streamed(ragrules.load(U75), MORTALITY)
        if line.get("status") == "no-target"
    )
    assert reasons
    assert all("read more than 4,096 values before this one" in r for r in reasons)
    assert not any("put them first" in r for r in reasons)
    assert (
        "no target: no england row (E92000001) for 2018 among the last 4,096 values: it was "
        "read more than 4,096 values before this one, and a stream keeps no more; sort the "
        "file by indicator, breakdown and period, with the benchmark areas first in each"
    ) in reasons


def test_a_benchmark_row_not_read_yet_is_still_put_first(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(f"{HEADER}\ni,E1,2020,12,11,13\ni,E92000001,2020,10,9,11\n", encoding="utf-8")
    (first, _) = _streamed(SIGNIFICANCE, path)
    assert str(first["reason"]).endswith(
        "a stream compares with benchmark rows read earlier; put them first"
    )


def test_a_row_without_a_period_says_so_and_never_none(tmp_path: Path) -> None:
    """The whole file gives a row without a period the report period; a stream cannot, and
    says that the row has no period (not `None`, nor to put a benchmark first that is)."""
    path = tmp_path / "d.csv"
    path.write_text(f"{HEADER}\ni,E92000001,2020,10,9,11\ni,E1,,12,11.5,13\n", encoding="utf-8")
    (_, row) = _streamed(SIGNIFICANCE, path)
    assert row["status"] == "not-compared"
    assert row["reason"] == (
        "not compared: no england row (E92000001) for this row: it has no period, so a stream "
        "cannot tell which period's row to compare it with; give it one (--period)"
    )
    whole = SIGNIFICANCE.rate(ragrules.read_observations(path))
    assert [r.status for r in whole.results if r.area == "E1"] == ["Worse"]
    given = list(SIGNIFICANCE.iter_rate(iter_csv(path), period="2020"))
    assert [getattr(r, "status", "") for r in given] == ["not-compared", "Worse"]


def test_no_reason_of_a_benchmark_says_none() -> None:
    """A report with no period at all: the benchmark's reason names no period."""
    rows = [{"indicator": "i", "area": "E1", "value": "12", "lower ci 95.0 limit": "11"}]
    (result,) = SIGNIFICANCE.rate(rows).results
    assert result.reason == "not compared: no england row (E92000001)"


def test_the_benchmark_areas_own_row_is_not_compared_with_itself() -> None:
    """On a banded scale whose target is England's row, England's own rows are not rated
    against themselves ("level with England"): not-compared, as on a significance scale,
    in a report and in a stream alike; every other row keeps its status."""
    rules = ragrules.load(U75)
    report = rules.rate(ragrules.read_observations(MORTALITY), period="2024")
    england = [r for r in report.results if r.area == "E92000001"]
    assert [(r.status, r.reason) for r in england] == [
        ("not-compared", "not compared: this is the england row")
    ] * 3
    assert all(move.comparable for r in england for move in r.travel)  # its travel still
    assert report.summary.rated == sum(1 for r in report.results if r.rated) == 882
    streamed = [
        item
        for item in rules.iter_rate(iter_csv(MORTALITY))
        if isinstance(item, ragrules.Result) and item.area == "E92000001"
    ]
    assert len(streamed) == 33
    assert {(r.status, r.reason) for r in streamed} == {
        ("not-compared", "not compared: this is the england row")
    }


def test_a_rejected_line_keeps_its_area(tmp_path: Path) -> None:
    """A rejected line says its area, as its result would, in JSON and CSV, by every path."""
    path = tmp_path / "d.csv"
    path.write_text(
        f"{HEADER}\ni,E92000001,2020,10,9,11\ni,V91,garbage,12,11,13\nzz,V92,2020,1,,\n"
        "i,,garbage,1,,\n",
        encoding="utf-8",
    )
    rejected = [line for line in _streamed(SIGNIFICANCE, path) if line.get("rejected")]
    assert [(line["row"], line.get("area")) for line in rejected] == [
        (3, "V91"),
        (4, "V92"),
        (5, None),  # no area: none said
    ]
    out = io.StringIO()
    write_stream(SIGNIFICANCE.iter_rate(iter_csv(path)), SIGNIFICANCE, out, "csv")
    rows = out.getvalue().splitlines()
    assert rows[2].split(",")[4] == "V91"
    assert rows[3].split(",")[4] == "V92"


PINNED = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "pin"\nscale = "side"\ncalendar = "calendar"\n'
    '[data]\nbreakdowns = ["unit"]\n[benchmarks.england]\narea = "E92000001"\n'
    '[scales.side]\nbands = [{ status = "below", from = "target", boundary = "worse" }, '
    '{ status = "level", from = "target" }, { status = "above" }]\n'
    '[scales.rag3]\nbands = [{ status = "green", from = "target" }, { status = "red" }]\n'
    '[[indicator]]\nid = "a"\nunit = "number"\npolarity = "lower-is-better"\n'
    'target = { benchmark = "england" }\ntolerance = { absolute = 0 }\n'
    '[[indicator]]\nid = "d"\nunit = "number"\npolarity = "higher-is-better"\n'
    'scale = "rag3"\ntarget = 50\n'
)


def test_both_engines_keep_and_forget_the_same_benchmark_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """England's rows of a plain indicator (planned: a value text kept) and of one that reads
    England's row (the general path's: an observation kept) count alike against the rows a
    stream keeps, so past the bound both engines forget the same ones (fz32)."""
    monkeypatch.setattr(_placing, "_PINNED", 300)
    years = range(2015, 2025)
    rows = ["indicator,area,period,unit,value"]
    rows += [f"a,E92000001,{y},all,10" for y in years]
    rows += [f"d,E92000001,{y},u{u},60" for u in range(450) for y in years]
    rows += [f"a,E06000001,{y},all,12" for y in years]
    path = tmp_path / "pin.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = _streamed(PINNED, path)  # asserts the two engines' bytes are the same
    last = [line for line in lines if line["area"] == "E06000001"]
    assert {line["status"] for line in last} == {"no-target"}  # England's forgotten
    monkeypatch.setattr(_placing, "_PINNED", 1 << 15)
    last = [line for line in _streamed(PINNED, path) if line["area"] == "E06000001"]
    assert {line["status"] for line in last} == {"above"}  # kept: compared with England
