"""What a careless caller passes is read as meant or refused by name (a fuzzing run's
findings): str-mixin Enum keys and values, equal keys of other types, caveat cells that say
"no", zeros written with large exponents, roll-ups under a hostile decimal context, rows that
are not rows, row numbers that are not numbers, and errors about arguments."""

from __future__ import annotations

import csv
import decimal
import enum
import functools
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules import Problem
from ragrules.cli import main
from ragrules.data import parse_columns, parse_csv
from ragrules.model import _keys
from ragrules.model.observations import read_mapping
from ragrules.model.periods import Period
from ragrules.output import render, to_csv, to_json
from ragrules.reports.output import to_table
from ragrules.stream import write_stream
from ragrules.tools import check_invariants, verify_file
from tests.conftest import EXAMPLES

RULESET = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "r"\n'
    '[[indicator]]\nid = "pi-1"\ntarget = 5\ntolerance = { relative = "10%" }\n'
)
RULESET_WITH_TRAVEL = ragrules.loads(
    '[ruleset]\nformat = 1\nid = "t"\n'
    '[travel.comparisons]\nshort = { against = "previous-period" }\n'
    '[[indicator]]\nid = "pi-1"\ntarget = 75\ntolerance = { relative = "10%" }\n'
)


class Col(str, enum.Enum):
    INDICATOR = "indicator"
    PERIOD = "period"
    VALUE = "value"


class Pi(str, enum.Enum):
    ONE = "pi-1"


def _statuses(rows: Sequence[Mapping[Any, object]]) -> list[tuple[str, str]]:
    report = RULESET.rate(rows)
    assert not report.rejected, report.rejected
    return [(str(result.period), result.status) for result in report.results]


@pytest.mark.parametrize("enum_first", [True, False])
def test_str_enum_keys_read_by_their_value_whatever_came_first(enum_first: bool) -> None:
    """A `(str, Enum)` key is its value; and a layout found for one kind of key is never
    handed to equal keys of another (the cache once returned the Enum's for plain dicts)."""
    _keys._layout.cache_clear()
    enum_row = {Col.INDICATOR: Pi.ONE, Col.PERIOD: "2020/21 Q2", Col.VALUE: "5"}
    plain_row = {"indicator": "pi-1", "period": "2020/21 Q2", "value": "4"}
    first, second = (enum_row, plain_row) if enum_first else (plain_row, enum_row)
    assert _statuses([first]) == [("2020/21 Q2", "green" if enum_first else "red")]
    assert _statuses([second]) == [("2020/21 Q2", "red" if enum_first else "green")]


def test_equal_keys_of_other_types_keep_their_own_names() -> None:
    """`1 == True` and `1 == 1.0`: each key is named as written, whichever came first."""
    _keys._layout.cache_clear()
    keys: list[Any] = [1, True, 1.0]
    names = [read_mapping({"indicator": "pi-1", "value": "5", key: "x"})[0].extra for key in keys]
    assert names == [(("1", "x"),), (("true", "x"),), (("1.0", "x"),)]


@pytest.mark.parametrize("cell", [False, 0, 0.0, "no", "No ", "false", "0", "N/A", "-", ""])
def test_a_caveat_cell_that_says_no_does_not_caveat(cell: object) -> None:
    row = {"indicator": "pi-1", "period": "2020/21 Q2", "value": "5", "caveat": cell}
    assert _statuses([row]) == [("2020/21 Q2", "green")]
    (result,) = RULESET.rate([row]).results
    assert result.caveat == ""


@pytest.mark.parametrize("cell", [True, "yes", "Data late", "1"])
def test_any_other_caveat_text_caveats(cell: object) -> None:
    row = {"indicator": "pi-1", "period": "2020/21 Q2", "value": "5", "caveat": cell}
    (result,) = RULESET.rate([row]).results
    assert result.status == "caveat"
    assert result.caveat == str(cell)


@given(
    exponent=st.integers(min_value=-400, max_value=400),
    negative=st.booleans(),
    as_text=st.booleans(),
)
def test_zero_is_zero_however_written(exponent: int, negative: bool, as_text: bool) -> None:
    """`0E-73`, `0E+61`, `-0`: each is 0, rated and shown as 0 (red below a target of 5)."""
    zero = Decimal((1 if negative else 0, (0,), exponent))
    value: object = str(zero) if as_text else zero
    (result,) = RULESET.rate([{"indicator": "pi-1", "period": "2020", "value": value}]).results
    assert result.status == "red"
    assert result.value == 0 and not result.value.is_signed()
    assert "-0" not in result.reason and "E" not in result.reason


@pytest.mark.parametrize(
    "context",
    [
        decimal.Context(Emax=2, clamp=1),
        decimal.Context(prec=5, Emax=2, clamp=1),
        decimal.Context(Emin=0, traps=[decimal.Subnormal]),
        decimal.Context(prec=1, Emin=0, traps=[decimal.Underflow]),
    ],
)
def test_rollups_do_not_read_the_callers_context(context: decimal.Context) -> None:
    """`Report.rollups` is worked out when asked for, in the caller's context: its shares
    are the same under any context (66.6, not 66.66 or 66.666...), and never a trap."""
    rules = ragrules.load(EXAMPLES / "rollups" / "services-and-priorities.toml")
    rows = ragrules.read_observations(
        EXAMPLES / "rollups" / "services-and-priorities-2024-25-q2.csv"
    )
    expected = to_json(rules.rate(rows))
    with decimal.localcontext(context):
        found = to_json(rules.rate(rows))
    assert found == expected
    shares = {r["rollup"]: r["value"] for r in json.loads(found)["rollups"]}
    assert shares["environment"] == "66.6"


@pytest.mark.parametrize("given_rows", [None, 5, 2.5])
def test_rows_that_are_not_rows_are_named(given_rows: object) -> None:
    for call in (RULESET.rate, RULESET.iter_rate):
        with pytest.raises(TypeError, match="observations must be an iterable of rows"):
            call(given_rows)  # type: ignore[arg-type]


def test_a_path_given_as_rows_says_how_to_read_it() -> None:
    with pytest.raises(TypeError, match="read_observations"):
        RULESET.rate("data.csv")


@pytest.mark.parametrize("row", ["5", True, 1.5, "row 5"])
def test_a_row_number_must_be_a_number(row: object) -> None:
    with pytest.raises(TypeError, match="row must be a whole number"):
        ragrules.Observation(indicator="pi-1", row=row)


def test_a_numpy_row_number_is_an_int() -> None:
    numpy = pytest.importorskip("numpy")
    observation = ragrules.Observation(indicator="pi-1", row=numpy.int64(7))
    assert observation.row == 7 and type(observation.row) is int


def test_an_argument_error_has_no_made_up_file() -> None:
    """A bad argument names the argument, not a `<text>` that was never given; a problem in
    text loaded with `loads` (it has a line) still says `<text>`."""
    with pytest.raises(ragrules.RagrulesError) as caught:
        RULESET.rate([], period=2020)  # type: ignore[arg-type]
    assert str(caught.value).startswith("period: the report period must be text")
    assert str(Problem(message="m", line=3, column=1)) == "<text>:3:1: m"
    assert str(Problem(message="m", key="k")) == "k: m"


def test_other_columns_given_as_a_mapping_are_read_as_a_rows_other_keys() -> None:
    """`extra` as a dict (the natural guess) is read as `from_mapping` reads a row's other
    keys, where it used to be kept as given and fail far away, at the first column look-up."""
    given = ragrules.Observation(indicator="pi-1", extra={"Benchmark ": 7, "note": "late"})
    assert given.extra == (("benchmark", "7"), ("note", "late"))
    assert given.column("Benchmark") == "7"
    assert given == ragrules.Observation.from_mapping(
        {"indicator": "pi-1", "Benchmark ": 7, "note": "late"}
    )
    assert ragrules.Observation(indicator="pi-1", extra=[("a", "1")]).extra == (("a", "1"),)


def test_other_columns_given_as_a_generator_are_read_and_a_tuple_is_taken_as_given() -> None:
    pairs = (pair for pair in [("England Average", "5")])
    assert ragrules.Observation(indicator="pi-1", extra=pairs).column("England Average") == "5"
    # A tuple is the readers' own (column key, text) pairs: taken as given, row after row.
    kept = (("england_average", "5"),)
    assert ragrules.Observation(indicator="pi-1", extra=kept).extra is kept


@pytest.mark.parametrize("extra", ["benchmark", 5, [("a",)], [("a", "1", "2")], ["ab"]])
def test_other_columns_that_are_not_pairs_are_a_type_error(extra: object) -> None:
    with pytest.raises(TypeError, match="extra must be"):
        ragrules.Observation(indicator="pi-1", extra=extra)


def test_columns_given_as_text_or_with_other_keys_are_a_type_error() -> None:
    """The readers take `columns` as a mapping; the command line's text form is read by
    `parse_columns`, and the error says so, where it was an AttributeError deep inside."""
    text = "indicator,Q2,period\npi-1,5,2020/21 Q2\n"
    with pytest.raises(TypeError, match="parse_columns reads"):
        parse_csv(text, columns="Q2=value")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="columns must map column names to fields"):
        parse_csv(text, columns={2: "value"})  # type: ignore[dict-item]
    records = '[{"indicator": "pi-1", "Q2": 5, "period": "2020/21 Q2"}]'
    with pytest.raises(TypeError, match="parse_columns reads"):
        ragrules.data.parse_json(records, columns="Q2=value")  # type: ignore[arg-type]
    (row,) = parse_csv(text, columns=parse_columns("Q2=value"))
    assert isinstance(row, ragrules.Observation) and row.value == "5"


def test_a_streams_one_passed_through_column_named_alone_is_one_column() -> None:
    out = io.StringIO()
    rows = [{"indicator": "pi-1", "period": "2020/21 Q2", "value": "5", "authority": "A"}]
    write_stream(RULESET.iter_rate(rows), RULESET, out, "csv", columns="authority")
    header, line = list(csv.reader(io.StringIO(out.getvalue())))
    assert header[-1] == "authority" and line[-1] == "A"
    assert "a" not in header


def test_a_streak_counts_judgements_given_as_text_too() -> None:
    (result,) = RULESET_WITH_TRAVEL.rate(
        [
            {"indicator": "pi-1", "period": "2020/21 Q1", "value": "80"},
            {"indicator": "pi-1", "period": "2020/21 Q2", "value": "70"},
        ]
    ).results
    (move,) = result.travel
    assert move.judgement is not None
    as_text = move.judgement.value
    assert move.streak({as_text}) == move.streak({move.judgement}) == 1
    assert move.streak(as_text) == move.streak(move.judgement) == 1
    assert move.streak({"improving" if as_text == "worsening" else "worsening"}) == 0
    assert move.streak(j for j in [as_text]) == 1
    with pytest.raises(ValueError, match="unknown judgement 'worsen'"):
        move.streak({"worsen"} if as_text != "worsen" else {"x"})


@pytest.mark.parametrize("wrong", [Path("r.toml"), None, b'[ruleset]\nformat = 1\nid = "r"\n'])
def test_loads_takes_text_and_says_load_reads_a_file(wrong: object) -> None:
    with pytest.raises(TypeError, match=r"loads takes a ruleset's TOML text .*load\(path\)"):
        ragrules.loads(wrong)  # type: ignore[arg-type]


@pytest.mark.parametrize("wrong", [b"indicator,value\npi-1,5\n", Path("data.csv")])
def test_the_text_parsers_take_text_and_say_what_reads_a_file(wrong: object) -> None:
    with pytest.raises(TypeError, match=r"parse_csv takes the file's text .*read_observations"):
        parse_csv(wrong)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"parse_json takes the file's text .*read_observations"):
        ragrules.data.parse_json(wrong)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="parse_columns reads the command line's text"):
        parse_columns({"Q2": "value"})  # type: ignore[arg-type]


def test_only_a_report_is_rendered() -> None:
    report = RULESET.rate([{"indicator": "pi-1", "period": "2020/21 Q2", "value": "5"}])
    wrongs: list[Any] = [RULESET, None, report.results[0], [report]]
    for wrong in wrongs:
        for renderer in (functools.partial(render, fmt="json"), to_json, to_csv, to_table):
            with pytest.raises(TypeError, match="a report is rendered"):
                renderer(wrong)


def test_a_period_made_by_hand_needs_a_period_kind() -> None:
    with pytest.raises(TypeError, match="a period's kind is a PeriodKind"):
        Period(kind="quarter", year=2020, index=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("examples", "error"), [(0, ValueError), (-1, ValueError), ("5", TypeError), (2.5, TypeError)]
)
def test_a_number_of_examples_below_one_or_not_whole_is_refused(
    examples: object, error: type[Exception]
) -> None:
    """Where Hypothesis's own error escaped (`max_examples=0 must be at least one`)."""
    with pytest.raises(error, match="examples must be a whole number of at least 1"):
        verify_file(EXAMPLES / "havering-2020-21-q2.toml", examples=examples)  # type: ignore[arg-type]
    with pytest.raises(error, match="examples must be a whole number of at least 1"):
        check_invariants(RULESET, examples=examples)  # type: ignore[arg-type]


def test_verify_refuses_examples_below_one_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["verify", str(EXAMPLES / "havering-2020-21-q2.toml"), "--examples", "0"])
    assert exited.value.code == 2
    assert "the number of examples is at least 1" in capsys.readouterr().err


def test_a_target_made_by_hand_is_read_exactly_from_any_number() -> None:
    """`Target.point(90.5)` is 90.5 exactly (a float through its shortest repr), where it
    failed deep inside rating with an AttributeError; what is not a number is a TypeError."""
    from ragrules.model.targets import Target

    assert Target.point(90.5).value == Decimal("90.5")
    assert Target.point("90.50").value == Decimal("90.50")
    assert Target(lower=1, upper=2).upper == Decimal(2)
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "t"\n'
        '[[indicator]]\nid = "x"\nunit = "number"\ntarget = 70\ntolerance = { absolute = 5 }\n'
    )
    assert ruleset.rate_value("x", 91, target=Target.point(90.5)).status == "green"
    with pytest.raises(TypeError, match="a target is a number"):
        Target.point(None)  # type: ignore[arg-type]
    for not_finite in ("abc", float("nan"), Decimal("Infinity")):
        with pytest.raises(ValueError, match="a target is a finite number"):
            Target.point(not_finite)


def test_the_comparison_tools_say_which_compares_what() -> None:
    """`rule_differences` and `rating_differences` are easily swapped: each says which takes
    rulesets and which reports, where an AttributeError came from inside."""
    from ragrules.tools import audit, rating_differences, rule_differences

    report = RULESET.rate([{"indicator": "pi-1", "period": "2020/21 Q2", "value": "5"}])
    with pytest.raises(TypeError, match="rule_differences compares two rulesets"):
        rule_differences(report, report)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rating_differences compares two reports"):
        rating_differences(RULESET, RULESET)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="audit takes a ruleset"):
        audit(None, [])  # type: ignore[arg-type]


def test_an_open_file_is_refused_as_rows_with_how_to_read_it(tmp_path: Path) -> None:
    """An open file iterates as lines of text: each would be rejected as no row, so the call
    is refused, naming `read_observations`."""
    path = tmp_path / "data.csv"
    path.write_text("indicator,period,value\npi-1,2020/21 Q2,5\n", encoding="utf-8")
    with (
        path.open(encoding="utf-8") as opened,
        pytest.raises(TypeError, match=r"not an open file: .*read_observations"),
    ):
        RULESET.rate(opened)


def test_a_files_text_given_as_its_path_says_to_parse_it() -> None:
    with pytest.raises(TypeError, match=r"looks like the file's text: .*parse_csv"):
        ragrules.read_observations("indicator,period,value\npi-1,2020/21 Q2,5\n")


def test_the_testing_kit_says_what_its_checks_take() -> None:
    """A caller's wrong argument is a TypeError or ValueError, never an AttributeError or the
    AssertionError that reports a broken invariant."""
    testing = pytest.importorskip("ragrules.testing")
    rows = [{"indicator": "pi-1", "period": "2020/21 Q2", "value": "5"}]
    with pytest.raises(TypeError, match="boundary is a BoundaryValue"):
        testing.check_boundary(RULESET, "pi-1", "100")
    with pytest.raises(TypeError, match=r"reference_status takes an Indicator"):
        testing.reference_status("pi-1", Decimal(5))
    with pytest.raises(ValueError, match="order must be a permutation"):
        testing.check_batch_independence(RULESET, rows, order=[0, 0])
