"""DESIGN section 6, invariant 7: batch and order independence, and determinism."""

from __future__ import annotations

import os
import subprocess
import sys

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ragrules import Against, Comparison, Indicator, Ruleset, Travel, testing
from tests.conftest import EXAMPLES

PERIOD = "2020/21 Q2"
# Direction of travel reads other periods' rows: the "alone" rating includes them.
TRAVEL = Travel(
    comparisons=(
        Comparison(name="short", against=Against.PREVIOUS_PERIOD),
        Comparison(name="long", against=Against.SAME_PERIOD_LAST_YEAR),
    )
)


@st.composite
def _cases(draw: st.DrawFn) -> tuple[Ruleset, list[dict[str, object]], list[int]]:
    ruleset = draw(testing.rulesets(rounding=True))
    if draw(st.booleans()):
        ruleset = attrs.evolve(ruleset, travel=TRAVEL)
    rows = draw(testing.observations(ruleset, PERIOD, strays=True))
    return ruleset, rows, draw(st.permutations(range(len(rows))))


@given(_cases())
def test_batch_alone_and_any_order_agree(
    case: tuple[Ruleset, list[dict[str, object]], list[int]],
) -> None:
    """ "Batch/order independence and determinism, including byte-identical JSON."

    Rating the batch equals rating each row alone (the same result, history entry or
    rejection), rows in a shuffled order give the same report (row numbers follow the
    rows, the report period is the same), and two runs give byte-identical JSON. Rows
    include blanks, <5, caveats, data targets, earlier periods, unknown indicators and rows
    that cannot be placed; half the rulesets compare with the previous period and the same
    period last year, so the earlier rows feed direction of travel.
    """
    ruleset, rows, order = case
    testing.check_batch_independence(ruleset, rows, order=order)


@given(_cases())
def test_batch_independence_for_a_stated_period(
    case: tuple[Ruleset, list[dict[str, object]], list[int]],
) -> None:
    """ "Batch/order independence and determinism, including byte-identical JSON."

    The same when the report period is given rather than taken from the data, both the
    period of the rows and an earlier one (where the rows become history).
    """
    ruleset, rows, order = case
    testing.check_batch_independence(ruleset, rows, period=PERIOD, order=order)
    testing.check_batch_independence(ruleset, rows, period="2016", order=order)


def test_duplicate_rows_are_refused_by_the_check() -> None:
    """ "Batch/order independence and determinism, including byte-identical JSON."

    Two rows for one indicator and period are order-dependent by design (the first is rated,
    the later one rejected as a duplicate), so the check refuses them rather than pass.
    """
    indicator = "pi"
    ruleset = Ruleset(id="dup", indicators=(Indicator(id=indicator),))
    rows = [
        {"indicator": indicator, "period": PERIOD, "value": "1"},
        {"indicator": indicator, "period": "", "value": "2"},
    ]
    with pytest.raises(ValueError, match="same indicator and period"):
        testing.check_batch_independence(ruleset, rows)


def test_json_is_byte_identical_across_processes() -> None:
    """ "Batch/order independence and determinism, including byte-identical JSON."

    The shipped Havering example rated by `python -m ragrules rate --format json` in two
    processes with different string-hash seeds gives the same bytes.
    """
    outputs = []
    for seed in ("0", "12345"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ragrules",
                "rate",
                str(EXAMPLES / "havering-2020-21-q2.toml"),
                str(EXAMPLES / "havering-2020-21-q2.csv"),
                "--format",
                "json",
            ],
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=60,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert b'"status": "amber"' in outputs[0]
