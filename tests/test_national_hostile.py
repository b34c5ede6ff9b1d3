"""Hostile national data: rate indicators compared with other areas (benchmarks, group
statistics, quantiles), strict levels with control limits and with intervals, rounding on a
significance indicator, rows suppressed by `minimum`, and in-range indicators on scales
without targets. Every row is accounted for, none ends in a traceback."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.cli import main
from ragrules.engine import quantiles
from ragrules.engine.result import Interval
from ragrules.engine.significance import decide
from ragrules.model.comparisons import Significance
from ragrules.model.intervals import byar, normal_quantile, wilson
from ragrules.model.rules import Polarity
from tests.conftest import ROOT

QUARTILES = """
[ruleset]
format = 1
id = "q1"
scale = "quartiles"

[scales.quartiles]
quantiles = { count = 4, method = "METHOD", statuses = ["A", "B", "C", "D"] }

[[indicator]]
id = "r"
unit = "per 1,000"
polarity = "lower-is-better"
rate = { per = 1000 }
rounding = { places = 1 }
"""


def _rate_rows(
    counts: list[tuple[str, str]], values: list[str] | None = None
) -> list[dict[str, str]]:
    rows = []
    for n, (numerator, denominator) in enumerate(counts, 1):
        row = {
            "indicator": "r",
            "area": f"E{n}",
            "period": "2020",
            "numerator": numerator,
            "denominator": denominator,
        }
        if values is not None:
            row["value"] = values[n - 1]
        rows.append(row)
    return rows


def _statuses(report: ragrules.Report) -> dict[tuple[str, str], str]:
    return {(r.indicator.id, r.area): r.status for r in report.results if r.row is not None}


# A. Quantiles on a rate indicator: the rates are ranked, not an empty `value` column.


@pytest.mark.parametrize("method", ["ntile", "inclusive"])
@pytest.mark.parametrize("values", [None, ["5", "15", "25", "35"]])
def test_quantiles_of_a_rate_rank_the_rates(method: str, values: list[str] | None) -> None:
    rules = ragrules.loads(QUARTILES.replace("METHOD", method))
    counts = [("10", "1000"), ("20", "1000"), ("30", "1000"), ("39", "1000")]
    report = rules.rate(_rate_rows(counts, values))
    assert _statuses(report) == {("r", f"E{n}"): s for n, s in enumerate("ABCD", 1)}
    top = report.result("r", area="E1")
    assert top.rank is not None and (top.rank.rank, top.rank.size) == (1, 4)


@given(
    counts=st.lists(
        st.tuples(
            st.sampled_from(["", "c", "x", "-1", *(str(n) for n in range(0, 60, 7))]),
            st.sampled_from(["", "0", "c", "100", "999", "1000", "3001"]),
        ),
        min_size=1,
        max_size=12,
    ),
    method=st.sampled_from(["ntile", "inclusive"]),
)
def test_every_row_of_a_rate_is_placed_or_says_why(
    counts: list[tuple[str, str]], method: str
) -> None:
    """Any counts (blank, suppressed, unreadable, negative, a denominator of 0): every row has
    one result, and the rated rows are ranked among exactly the rated rows."""
    rules = ragrules.loads(
        QUARTILES.replace("METHOD", method).replace(
            "rounding = { places = 1 }", "rounding = { places = 1 }\nminimum = { numerator = 5 }"
        )
    )
    report = rules.rate(_rate_rows(counts))
    results = [r for r in report.results if r.row is not None]
    assert sorted(r.area for r in results) == sorted(f"E{n}" for n in range(1, len(counts) + 1))
    rated = [r for r in results if r.rated]
    for result in results:
        assert result.reason
        if result.rated:
            assert result.rank is not None and result.rank.size == len(rated)
    if rated:
        best = min(r.value for r in rated if r.value is not None)
        assert {r.status for r in rated if r.value == best} == {"A"}


def test_a_value_the_group_does_not_hold_is_not_placed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the group ever to miss the row's own value (or be empty), the row says so; no
    StopIteration or IndexError."""
    monkeypatch.setattr(quantiles.GroupValues, "values", lambda *_, **__: [])
    for method in ("ntile", "inclusive"):
        report = ragrules.loads(QUARTILES.replace("METHOD", method)).rate(
            _rate_rows([("10", "1000")])
        )
        result = report.result("r", area="E1")
        assert result.status == "not-compared"
        assert "10 is not among the 0 values of every area" in result.reason


# B. A strict level with control limits: the strict limits are computed and used.

CONTROL = """
[ruleset]
format = 1
id = "s2"
scale = "sig"

[benchmarks.england]
area = "E92000001"

[scales.sig.significance]
benchmark = "england"
level = "95"
strict-level = "99.8"
compare = "control-limits"
method = "METHOD"
multiplier = 100
statuses = ["B2", "B1", "S", "W1", "W2"]

[[indicator]]
id = "y"
unit = "percent"
polarity = "POLARITY"
"""


def _control_rows(benchmark: str, values: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    rows = [
        {
            "indicator": "y",
            "area": "E92000001",
            "period": "2020",
            "value": benchmark,
            "count": "5000",
            "denominator": "10000",
        }
    ]
    for area, (value, denominator) in values.items():
        rows.append(
            {
                "indicator": "y",
                "area": area,
                "period": "2020",
                "value": value,
                "count": "1",
                "denominator": denominator,
            }
        )
    return rows


def test_a_strict_level_with_control_limits_reaches_the_strict_statuses() -> None:
    rules = ragrules.loads(
        CONTROL.replace("METHOD", "wilson").replace("POLARITY", "higher-is-better")
    )
    values = {"A1": "90%", "A2": "60%", "A3": "51%", "A4": "10%", "A5": "40%"}
    report = rules.rate(_control_rows("50%", {a: (v, "100") for a, v in values.items()}))
    statuses = _statuses(report)
    assert statuses == {
        ("y", "A1"): "B2",
        ("y", "A2"): "B1",
        ("y", "A3"): "S",
        ("y", "A4"): "W2",
        ("y", "A5"): "W1",
        ("y", "E92000001"): "not-compared",
    }
    strict = report.result("y", area="A1")
    assert "the 99.8% control limits 35.2 to 64.8 around" in strict.reason  # rounded outward
    assert strict.interval is not None and strict.interval.level == "99.8"
    plain = report.result("y", area="A2")
    assert "the 95% control limits 40.3 to 59.7 around" in plain.reason


_Z = {level: normal_quantile(Decimal(level) / 100) for level in ("95", "99.8")}


def _limits(method: str, benchmark: Decimal, n: int, level: str) -> tuple[Decimal, Decimal]:
    expected = benchmark * n / 100
    if method == "wilson":
        low, high = wilson(expected, Decimal(n), _Z[level])
        return low * 100, high * 100
    low, high = byar(expected, _Z[level])
    return low * 100 / n, high * 100 / n


@given(
    method=st.sampled_from(["wilson", "byar"]),
    polarity=st.sampled_from(["higher-is-better", "lower-is-better"]),
    benchmark=st.integers(1, 99),
    n=st.integers(1, 5000),
    value=st.integers(0, 1000).map(lambda v: Decimal(v) / 10),
)
def test_control_limit_tiers_are_the_limits_at_each_level(
    method: str, polarity: str, benchmark: int, n: int, value: Decimal
) -> None:
    """Outside the 99.8% limits: the strict status; outside only the 95%: the plain one;
    within: similar. So a value far enough beyond the strict limits reaches B2 or W2."""
    rules = ragrules.loads(CONTROL.replace("METHOD", method).replace("POLARITY", polarity))
    report = rules.rate(_control_rows(str(benchmark), {"A": (str(value), str(n))}))
    status = report.result("y", area="A").status
    low, high = _limits(method, Decimal(benchmark), n, "95")
    strict_low, strict_high = _limits(method, Decimal(benchmark), n, "99.8")
    above = value > high
    if low <= value <= high:
        expected = "S"
    elif (above and value > strict_high) or (not above and value < strict_low):
        expected = "B2" if above == (polarity == "higher-is-better") else "W2"
    else:
        expected = "B1" if above == (polarity == "higher-is-better") else "W1"
    assert status == expected


# C. Rounding: the published value is checked against its own published limits.

ROUNDED = """
[ruleset]
format = 1
id = "s3"
scale = "sig"

[benchmarks.england]
area = "E92000001"

[scales.sig]
significance = { benchmark = "england", lower = "lo", upper = "hi" }

[[indicator]]
id = "x"
polarity = "lower-is-better"
rounding = { places = 0 }
"""


def _interval_row(area: str, value: str, lo: str, hi: str) -> dict[str, str]:
    return {"indicator": "x", "area": area, "period": "2020", "value": value, "lo": lo, "hi": hi}


def test_rounding_does_not_move_a_value_out_of_its_own_interval() -> None:
    report = ragrules.loads(ROUNDED).rate(
        [
            _interval_row("E92000001", "5", "4.9", "5.1"),
            _interval_row("E1", "10.6", "10.2", "10.9"),
            _interval_row("E2", "5.4", "5.3", "5.45"),
            _interval_row("E3", "12", "10.2", "10.9"),  # truly outside: still said
        ]
    )
    statuses = _statuses(report)
    assert statuses[("x", "E1")] == statuses[("x", "E2")] == "worse"
    outside = report.result("x", area="E3")
    assert outside.status == "not-compared"
    assert outside.reason.startswith("not compared: 12 is outside its own interval 10.2 to 10.9")


@given(
    low=st.integers(-500, 500),
    widths=st.tuples(st.integers(0, 50), st.integers(0, 50)),
    places=st.integers(0, 2),
)
def test_a_value_within_its_published_limits_is_always_compared(
    low: int, widths: tuple[int, int], places: int
) -> None:
    lo = Decimal(low) / 100
    value = lo + Decimal(widths[0]) / 100
    hi = value + Decimal(widths[1]) / 100
    rules = ragrules.loads(ROUNDED.replace("places = 0", f"places = {places}"))
    report = rules.rate(
        [
            _interval_row("E92000001", "0", "-0.1", "0.1"),
            _interval_row("E1", str(value), str(lo), str(hi)),
        ]
    )
    result = report.result("x", area="E1")
    assert result.status in ("better", "similar", "worse"), result.reason


# D. A rate indicator's benchmark and group statistics read the rows' rates.

RATE_BENCHMARKS = """
[ruleset]
format = 1
id = "q3"

[benchmarks.england]
area = "E92000001"

[benchmarks.avg]
statistic = "mean"

[benchmarks.middle]
statistic = "median"

[benchmarks.weighted]
statistic = "weighted-mean"
weights = "denominator"

[[indicator]]
id = "r"
unit = "per 1,000"
polarity = "lower-is-better"
rate = { per = 1000 }
rounding = { places = 1 }
target = { benchmark = "BENCHMARK" }
tolerance = { absolute = 0 }
"""


@pytest.mark.parametrize(
    ("benchmark", "target", "statuses"),
    [
        ("england", "25", ("green", "red")),
        ("avg", "25", ("green", "red")),  # the mean of 10 and 40
        ("middle", "25", ("green", "red")),
        ("weighted", "34", ("green", "red")),  # (10 x 1000 + 40 x 4000) / 5000
    ],
)
def test_a_rate_is_benchmarked_by_the_rates(
    benchmark: str, target: str, statuses: tuple[str, str]
) -> None:
    rules = ragrules.loads(RATE_BENCHMARKS.replace("BENCHMARK", benchmark))
    rows = [
        {"indicator": "r", "area": area, "period": "2020", "numerator": n, "denominator": d}
        for area, n, d in (("E1", "10", "1000"), ("E2", "160", "4000"))
    ]
    if benchmark == "england":
        rows.insert(
            0,
            {
                "indicator": "r",
                "area": "E92000001",
                "period": "2020",
                "numerator": "25",
                "denominator": "1000",
                "value": "999",  # a value column is not what a rate indicator reads
            },
        )
    report = rules.rate(rows)
    for area, status in zip(("E1", "E2"), statuses, strict=True):
        result = report.result("r", area=area)
        assert (result.status, str(result.target)) == (status, target), result.reason


def test_the_engines_agree_on_a_rate_benchmark(tmp_path: Path) -> None:
    """The report, `--stream` and the columnar stream give the rate's benchmark target."""
    rules = tmp_path / "q3.toml"
    rules.write_text(RATE_BENCHMARKS.replace("BENCHMARK", "england"), encoding="utf-8")
    data = tmp_path / "q3.csv"
    data.write_text(
        "indicator,area,period,numerator,denominator\n"
        "r,E92000001,2020,25,1000\nr,E1,2020,10,1000\nr,E2,2020,40,1000\n",
        encoding="utf-8",
    )
    found = []
    for extra in (["--format", "json"], ["--stream"], ["--stream", "--engine", "columnar"]):
        out = tmp_path / "out.json"
        assert main(["rate", str(rules), str(data), *extra, "-o", str(out)]) in (0, 1)
        text = out.read_text(encoding="utf-8")
        records = (
            json.loads(text)["results"]
            if extra[0] == "--format"
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
        found.append({(r["area"], r["status"], r["target"]) for r in records})
    assert found[0] == found[1] == found[2]
    assert {("E1", "green", "25"), ("E2", "red", "25")} <= found[0]


# E. Intervals compared at the strict level: the strict with the benchmark's strict.

INTERVALS = """
[ruleset]
format = 1
id = "s4"
scale = "sig"

[benchmarks.region]
area-column = "parent"

[scales.sig.significance]
benchmark = "region"
lower = "lo"
upper = "hi"
compare = "intervals"
strict-level = "99.8"
strict-lower = "lo2"
strict-upper = "hi2"
statuses = ["B2", "B1", "S", "W1", "W2"]

[[indicator]]
id = "x"
polarity = "lower-is-better"
"""


def _tiers_row(area: str, parent: str, *limits: str) -> dict[str, str]:
    lo, hi, lo2, hi2 = (*limits, "", "", "", "")[:4]
    return {
        "indicator": "x",
        "area": area,
        "parent": parent,
        "period": "2020",
        "value": "50" if not parent else "60",
        "lo": lo,
        "hi": hi,
        "lo2": lo2,
        "hi2": hi2,
    }


def test_strict_intervals_are_compared_with_the_benchmarks_strict_interval() -> None:
    report = ragrules.loads(INTERVALS).rate(
        [
            _tiers_row("R1", "", "48", "52", "47", "53"),
            _tiers_row("R2", "", "48", "52"),  # no strict interval
            _tiers_row("E1", "R1", "55", "65", "51", "69"),  # strict overlaps 47 to 53
            _tiers_row("E2", "R1", "55", "65", "53", "69"),  # touches 53: overlaps
            _tiers_row("E3", "R1", "55", "65", "54", "69"),  # clear of 47 to 53
            _tiers_row("E4", "R2", "55", "65", "54", "69"),
        ]
    )
    statuses = _statuses(report)
    assert [statuses[("x", f"E{n}")] for n in range(1, 5)] == ["W1", "W1", "W2", "not-compared"]
    strict = report.result("x", area="E3")
    assert (
        strict.reason
        == "W2: the interval 54 to 69 (99.8%) lies above region's interval 47 to 53 (99.8%)"
    )
    assert "the region row has no 99.8% interval" in report.result("x", area="E4").reason


_limit = st.integers(-20, 20).map(Decimal)


@given(
    polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER, Polarity.NEUTRAL]),
    own=st.lists(_limit, min_size=4, max_size=4).map(sorted),
    theirs=st.lists(_limit, min_size=4, max_size=4).map(sorted),
)
def test_strict_tier_needs_both_strict_intervals_apart(
    polarity: Polarity, own: list[Decimal], theirs: list[Decimal]
) -> None:
    test = Significance(
        benchmark="b",
        level="95",
        lower="l",
        upper="u",
        strict_level="99.8",
        strict_lower="sl",
        strict_upper="su",
        intervals=True,
        judged=("B2", "B1", "S", "W1", "W2"),
        unjudged=("H2", "H1", "S", "L1", "L2"),
    )

    def pair(limits: list[Decimal]) -> tuple[Interval, Interval]:
        return (
            Interval(level="95", lower=limits[1], upper=limits[2]),
            Interval(level="99.8", lower=limits[0], upper=limits[3]),
        )

    mine, my_strict = pair(own)
    bench, bench_strict = pair(theirs)
    status, _, deciding = decide(test, polarity, bench, mine, my_strict, bench_strict)

    def apart(a: Interval, b: Interval) -> int:
        return 1 if a.lower > b.upper else -1 if a.upper < b.lower else 0

    side = apart(mine, bench)
    if side == 0:
        assert status == "S"
        return
    strict = apart(my_strict, bench_strict) == side
    assert status[-1] == ("2" if strict else "1")
    assert deciding is (my_strict if strict else mine)


# F. Suppressed rows take no part in groups; in-range indicators are not misjudged.


def test_rows_suppressed_by_a_minimum_take_no_part_in_the_group() -> None:
    rules = ragrules.loads(
        """
[ruleset]
format = 1
id = "q2"
scale = "halves"

[scales.halves]
quantiles = { count = 2, statuses = ["top", "bottom"] }

[benchmarks.avg]
statistic = "mean"

[[indicator]]
id = "c"
unit = "count"
polarity = "higher-is-better"
minimum = { value = 5 }

[[indicator]]
id = "m"
unit = "count"
polarity = "higher-is-better"
minimum = { value = 5 }
scale = "rag"
target = { benchmark = "avg" }
tolerance = { absolute = 0 }
"""
    )
    rows = [
        {"indicator": i, "area": f"E{n}", "period": "2020", "value": v}
        for i in ("c", "m")
        for n, v in enumerate(["1", "2", "3", "10", "20"], 1)
    ]
    report = rules.rate(rows)
    statuses = _statuses(report)
    assert [statuses[("c", f"E{n}")] for n in range(1, 6)] == [
        *["suppressed"] * 3,
        "bottom",
        "top",
    ]
    e4 = report.result("c", area="E4")
    assert e4.rank is not None and (e4.rank.rank, e4.rank.size) == (2, 2)
    assert [str(c) for c in e4.rank.cuts] == ["20"]  # the last value of the better half
    assert str(report.result("m", area="E4").target) == "15"  # the mean of 10 and 20


@pytest.mark.parametrize(
    ("scale", "words"),
    [
        ('significance = { benchmark = "bm", lower = "lo", upper = "hi" }', "no better side"),
        ("quantiles = { count = 4 }", "no better end"),
    ],
)
def test_an_in_range_indicator_is_not_compared_on_a_scale_without_targets(
    scale: str, words: str
) -> None:
    rules = ragrules.loads(
        f"""
[ruleset]
format = 1
id = "q5"
scale = "s"

[scales.s]
{scale}

[[indicator]]
id = "x"
polarity = "in-range"
target = {{ lower = 1, upper = 5 }}
"""
    )
    report = rules.rate(
        [
            {"indicator": "x", "area": a, "period": "2020", "value": v, "lo": lo, "hi": hi}
            | {"bm": "3"}
            for a, v, lo, hi in (("E1", "10", "9", "11"), ("E2", "0", "-1", "1"))
        ]
    )
    for area in ("E1", "E2"):
        result = report.result("x", area=area)
        assert result.status == "not-compared"
        assert words in result.reason
    # `check` says so before any data is read: a warning at the indicator, with the way out.
    (warning,) = rules.warnings
    assert warning.key == "indicator[0]"
    assert "every row of it will be not-compared" in warning.message
    assert 'polarity = "neutral"' in (warning.hint or "")


def test_only_an_in_range_version_on_a_significance_scale_is_warned_of() -> None:
    rules = ragrules.loads(
        """
[ruleset]
format = 1
id = "q6"
scale = "s"

[scales.s]
significance = { benchmark = "bm", lower = "lo", upper = "hi" }

[[indicator]]
id = "x"
polarity = [{ value = "neutral" }, { from = "2021", value = "in-range" }]
target = [{ from = "2021", value = { lower = 1, upper = 5 } }]
"""
    )
    (warning,) = rules.warnings  # the in-range version alone is warned of
    assert "never rated by" in warning.message


def test_the_docs_say_how_many_digits_a_mean_has() -> None:
    rules = ragrules.loads(RATE_BENCHMARKS.replace("BENCHMARK", "avg"))
    rows = [
        {"indicator": "r", "area": area, "period": "2020", "numerator": n, "denominator": "1000"}
        for area, n in (("E1", "1"), ("E2", "1"), ("E3", "2"))
    ]
    target = rules.rate(rows).result("r", area="E1").target
    assert target is not None
    digits = len(target.value.as_tuple().digits)
    text = (ROOT / "docs" / "ruleset-format.md").read_text(encoding="utf-8")
    said = re.search(r"decimal context, to (\d+) significant digits", text)
    assert said is not None and int(said.group(1)) == digits


@pytest.mark.parametrize(
    ("england", "target", "status"),
    [
        ([("2020 Q3", "50"), ("2020/21 Q2", "80")], "50", "green"),
        ([("2020/21 Q2", "80"), ("2020 Q3", "50")], "80", "red"),
    ],
)
def test_the_first_of_two_benchmark_rows_for_the_same_months_is_the_benchmark(
    england: list[tuple[str, str]], target: str, status: str
) -> None:
    """A second England row for the report's months, written another way (a calendar
    quarter), is rejected, and nothing reads it after: the first is the target, whichever
    way it is written (a fuzzing run's finding: the rejected row was the target)."""
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "bm"\n[benchmarks.england]\narea = "E92000001"\n'
        '[[indicator]]\nid = "x"\ntarget = { benchmark = "england" }\n'
        'tolerance = { relative = "10%" }\n'
    )
    rows = [{"indicator": "x", "area": "E92000001", "period": p, "value": v} for p, v in england]
    rows.append({"indicator": "x", "area": "A", "period": "2020/21 Q2", "value": "60"})
    report = rules.rate(rows, period="2020/21 Q2")
    result = report.result("x", area="A")
    assert (str(result.target), result.status) == (target, status)
    (rejection,) = report.rejected
    assert rejection.row == 2 and rejection.reason.startswith("duplicate of row 1 for ")
    assert rejection.reason.endswith(" in area E92000001")


def test_a_row_rejected_for_the_same_months_takes_no_place_in_a_group() -> None:
    rules = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "q"\nscale = "halves"\n'
        '[scales.halves]\nquantiles = { count = 2, statuses = ["top", "bottom"] }\n'
        '[[indicator]]\nid = "x"\n'
    )
    rows = [
        {"indicator": "x", "area": area, "period": period, "value": value}
        for area, period, value in (
            ("E1", "2020 Q3", "1"),
            ("E1", "2020/21 Q2", "100"),  # the same months as E1's first row: rejected
            ("E2", "2020/21 Q2", "2"),
        )
    ]
    report = rules.rate(rows, period="2020/21 Q2")
    e2 = report.result("x", area="E2")
    assert e2.rank is not None and e2.rank.rank == 1  # the rejected 100 is not above it
    assert [r.row for r in report.rejected] == [2]
