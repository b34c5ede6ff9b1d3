"""The caller's decimal context never changes a result, and is never changed by the library.

A unit conversion factor computed by pint under a caller's `prec=3` used to be cached and
then used by every thread: 14.004 days against a 2-week target rated green instead of amber.
"""

from __future__ import annotations

import decimal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.model import _registry, observations, units
from ragrules.output import to_json

WAITS = """
[ruleset]
format = 1
id = "waits"

[[indicator]]
id = "wait"
title = "Wait"
unit = "weeks"
polarity = "lower-is-better"
target = "2 weeks"
tolerance = { absolute = "0.001 weeks" }

[[indicator]]
id = "share"
title = "Share"
unit = "percent"
polarity = "higher-is-better"
target = "26%"
tolerance = { relative = "10%" }
"""

ROUNDINGS = [
    decimal.ROUND_CEILING,
    decimal.ROUND_DOWN,
    decimal.ROUND_FLOOR,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_UP,
    decimal.ROUND_UP,
    decimal.ROUND_05UP,
]
SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
    decimal.FloatOperation,
]

hostile_contexts = st.builds(
    decimal.Context,
    prec=st.integers(1, 30),
    rounding=st.sampled_from(ROUNDINGS),
    Emin=st.integers(-30, 0),
    Emax=st.integers(0, 30),
    traps=st.lists(st.sampled_from(SIGNALS), unique=True),
    clamp=st.integers(0, 1),
)
waits = st.decimals(min_value=0, max_value=100, places=3).map(lambda d: f"{d} days")
shares = st.decimals(min_value=0, max_value=100, places=3).map(lambda d: f"{d}%")


def _forget() -> None:
    """Clear every cache a hostile context could have poisoned before the fix."""
    units._ratio.cache_clear()
    _registry._build.cache_clear()
    observations._remembered_value.cache_clear()


def _rows(wait: str, share: str) -> list[dict[str, str]]:
    return [
        {"indicator": "wait", "period": "2020/21 Q2", "value": wait},
        {"indicator": "share", "period": "2020/21 Q2", "value": share},
        {"indicator": "share", "period": "2020/21 Q1", "value": "23.4"},
    ]


def _outcome(wait: str, share: str) -> tuple[str, str, list[str]]:
    ruleset = ragrules.loads(WAITS)
    report = ruleset.rate(_rows(wait, share))
    streamed = [str(item) for item in ruleset.iter_rate(_rows(wait, share), period="2020/21 Q2")]
    return to_json(report), report.fingerprint, streamed


def _clean(wait: str, share: str) -> tuple[str, str, list[str]]:
    with decimal.localcontext(decimal.Context()):
        _forget()
        return _outcome(wait, share)


@contextmanager
def _in(context: decimal.Context) -> Iterator[None]:
    saved = decimal.getcontext()
    decimal.setcontext(context)
    try:
        yield
    finally:
        decimal.setcontext(saved)


def _state(context: decimal.Context) -> tuple[object, ...]:
    return (
        context.prec,
        context.rounding,
        context.Emin,
        context.Emax,
        context.clamp,
        {s: bool(v) for s, v in context.flags.items()},
        {s: bool(v) for s, v in context.traps.items()},
    )


def test_the_reported_case_is_amber_whatever_the_context() -> None:
    with decimal.localcontext(decimal.Context(prec=3)):
        _forget()
        poisoned = ragrules.loads(WAITS).rate(_rows("14.004 days", "30%"))
    clean = ragrules.loads(WAITS).rate(_rows("14.004 days", "30%"))
    assert [r.status for r in poisoned.results] == [r.status for r in clean.results]
    assert poisoned.results[0].status == "amber"
    assert poisoned.fingerprint == clean.fingerprint


def test_a_tiny_exponent_range_does_not_crash_loading() -> None:
    with decimal.localcontext(decimal.Context(prec=1, Emax=1, Emin=-1)):
        _forget()
        report = ragrules.loads(WAITS).rate(_rows("14.004 days", "30%"))
    assert report.results[0].status == "amber"


@given(context=hostile_contexts, wait=waits, share=shares)
def test_a_hostile_caller_context_changes_nothing(
    context: decimal.Context, wait: str, share: str
) -> None:
    expected = _clean(wait, share)
    before = _state(context)
    with _in(context):
        _forget()  # the first conversion happens under the hostile context
        got = _outcome(wait, share)
        assert decimal.getcontext() is context
    assert got == expected
    assert _state(context) == before  # no flag raised, nothing changed


@given(context=hostile_contexts, wait=waits, share=shares)
def test_a_hostile_context_in_another_thread_changes_nothing(
    context: decimal.Context, wait: str, share: str
) -> None:
    expected = _clean(wait, share)
    _forget()
    seen: list[tuple[str, str, list[str]]] = []

    def other() -> None:
        decimal.setcontext(context)
        seen.append(_outcome(wait, share))  # fills the shared caches first

    worker = threading.Thread(target=other)
    worker.start()
    worker.join()
    assert seen == [expected]
    assert _outcome(wait, share) == expected
