"""Indicators written alike are built from the first of them; a load gives what reading each
in full gives.

The loader reads the first indicator of each way of writing the settings other than the id,
title and target in full, and builds each later one written the same way from what it was
built with (`formats.loading._alike`), reading only its id, title and target, and checking
its scale against its target once for each sign of a point target. Generated rulesets whose
indicators share settings, with targets of every sign and kind (dated, ranges, profiled,
from a benchmark, wrong), dated and neutral settings, `target-carries`, unknown keys and
mistakes, load to the same ruleset, byte for byte in canonical TOML, with the same
explanations of where each setting was written, and the same problems and warnings at the
same places, as with every indicator read in full.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import ragrules
from ragrules.formats.loading import _indicators, _like
from tests.loaded import loaded, loaded_with

HEAD = (
    '[ruleset]\nformat = 1\nid = "alike"\n'
    '[scales.stretched]\nbands = [{ status = "blue", from = "stretch" }, '
    '{ status = "green", from = "target" }, { status = "amber", from = "tolerance" }, '
    '{ status = "red" }]\n'
    '[scales.ratio]\nbands = [{ status = "green", from = "target" }, '
    '{ status = "amber", from = { ratio = "90%" } }, { status = "red" }]\n'
    '[scales.floored]\nbands = [{ status = "green", from = "target" }, '
    '{ status = "amber", from = { threshold = "floor" } }, { status = "red" }]\n'
    '[scales.twice]\nbands = [{ status = "green", from = "target" }, '
    '{ status = "amber", from = "tolerance" }, '
    '{ status = "blue", from = { worse-by = "stretch" } }, { status = "red" }]\n'
    '[benchmarks.england]\narea = "E92000001"\n'
)
TARGETS = [
    '"5%"',
    "5",
    "0",
    "-3",
    "0.5",
    '"35 days"',
    '"x"',
    "[]",
    '[{ value = 5 }, { from = "2024/25 Q3", value = 6 }]',
    "{ lower = 2, upper = 8 }",
    '{ annual = 40, profile = "pro-rata" }',
    '{ annual = 0, profile = "pro-rata" }',
    '{ benchmark = "england" }',
]
SHARED = [
    'tolerance = { relative = "5%" }',
    "tolerance = { absolute = 1 }",
    'tolerance = { relative = "0%" }',
    'tolerance = [{ absolute = 1 }, { from = "2024/25 Q1", relative = "50%" }]',
    "stretch = { absolute = 1 }",
    'scale = "stretched"',
    'scale = "ratio"',
    'scale = "floored"',
    'scale = "twice"',
    "thresholds = { floor = 2 }",
    'polarity = "lower-is-better"',
    'polarity = "neutral"',
    'polarity = "in-range"',
    'polarity = [{ value = "higher-is-better" }, { from = "2024/25 Q1", value = "neutral" }]',
    "target-carries = false",
    'unit = "weeks"',
    "rounding = { places = 1 }",
    "overrides = true",
    "forecast = {}",
    "tolerence = { absolute = 1 }",
]
DEFAULTS = [
    'tolerance = { relative = "10%" }',
    'tolerance = [{ absolute = 1 }, { from = "2024/25 Q1", relative = "50%" }]',
    'polarity = [{ value = "higher-is-better" }, { from = "2024/25 Q1", value = "neutral" }]',
    "target-carries = false",
    'unit = "percent"',
    'forecast = { scale = "ratio" }',
    "stretch = { absolute = 1 }",
    'scale = [{ value = "rag" }, { from = "2024/25 Q1", value = "floored" }]',
]


@st.composite
def rulesets(draw: st.DrawFn) -> str:
    """Indicators drawing on a few bodies of shared settings, each with its own target."""
    lines = [HEAD]
    defaults = draw(
        st.lists(st.sampled_from(DEFAULTS), unique_by=lambda s: s.split(" =")[0], max_size=3)
    )
    if defaults:
        lines.append("[defaults]\n" + "\n".join(defaults) + "\n")
    bodies = draw(
        st.lists(
            st.lists(st.sampled_from(SHARED), unique_by=lambda s: s.split(" =")[0], max_size=4),
            min_size=1,
            max_size=3,
        )
    )
    for n in range(draw(st.integers(1, 10))):
        body = draw(st.sampled_from(bodies))
        title = draw(st.sampled_from(['title = "T"\n', "title = 5\n", ""]))
        target = draw(st.sampled_from(TARGETS))
        own = f'id = "{draw(st.sampled_from([f"i{n}", "dup"]))}"\n{title}target = {target}\n'
        lines.append("[[indicator]]\n" + own + "\n".join(body) + "\n")
    return "".join(lines)


def _each_in_full(patched: pytest.MonkeyPatch) -> None:
    patched.setattr(_indicators, "alike_key", lambda body, defaults: None)


STRETCH = "stretch = { absolute = 1 }"


def _alike(*bodies: str, defaults: str = "") -> str:
    return (
        HEAD
        + (f"[defaults]\n{defaults}\n" if defaults else "")
        + "".join(f'[[indicator]]\nid = "i{n}"\n{body}\n' for n, body in enumerate(bodies))
    )


@settings(max_examples=300)
@example(text=_alike("target = 5", "target = -5", "target = 0", "target = 7"))
@example(text=_alike('target = 5\nscale = "ratio"', 'target = -5\nscale = "ratio"'))
@example(  # an unknown key is dropped from the body read: the check still waits for it
    text=_alike("target = 5", "target = 6\ntolerence = 1", "target = 7")
)
@example(  # a zero margin empties a band: warned for each indicator
    text=_alike(
        'target = 5\ntolerance = { relative = "0%" }', 'target = 6\ntolerance = { relative = "0%" }'
    )
)
@example(text=_alike('target = "5%"\nunit = "percent"', 'target = 0.5\nunit = "percent"'))
@example(
    text=_alike(
        *(f"target = {t}\ntarget-carries = false\ntolerance = {{ absolute = 1 }}" for t in (5, 6))
    )
)
@example(  # mixed margins: the bands' order turns on the target's size, not only its sign
    text=_alike(
        *(
            f'target = {t}\nscale = "twice"\ntolerance = {{ relative = "50%" }}\n{STRETCH}'
            for t in (1, 1.5, 10)
        )
    )
)
@example(  # a dated tolerance: each entry's bands checked, not only the first's
    text=_alike(
        *(f'target = {t}\nscale = "twice"\n{STRETCH}' for t in (1, 1.5, 10)),
        defaults='tolerance = [{ absolute = 0.5 }, { from = "2024/25 Q1", relative = "50%" }]',
    )
)
@example(  # a dated scale: each version's bands checked, not only the first's
    text=_alike(
        *(f"target = {t}\nthresholds = {{ floor = 2 }}" for t in (5, 6, 1)),
        defaults=(
            'tolerance = { absolute = 1 }\nscale = [{ value = "rag" }, '
            '{ from = "2024/25 Q1", value = "floored" }]'
        ),
    )
)
@example(  # a forecast's scale is checked against each target
    text=_alike(
        *(f"target = {t}\ntolerance = {{ absolute = 1 }}" for t in (5, 6, 0)),
        defaults='forecast = { scale = "ratio" }',
    )
)
@given(text=rulesets())
def test_indicators_built_alike_are_those_read_in_full(text: str) -> None:
    assert loaded(text) == loaded_with(text, _each_in_full)


def test_a_thousand_indicators_written_in_four_ways_are_read_in_full_four_times() -> None:
    """Only the first of each way of writing the shared settings is read in full, and each
    sign of a point target's scale is checked once for each way."""
    lines = ['[ruleset]\nformat = 1\nid = "many"\n']
    margins = ['{ relative = "5%" }', "{ absolute = 1 }"]
    for n in range(1000):
        lines.append(
            f'[[indicator]]\nid = "i{n}"\ntitle = "Indicator {n}"\n'
            f"target = {(n % 9 + 1) * (1 if n % 3 else -1)}\n"
            f'polarity = "{("higher", "lower")[n % 2]}-is-better"\n'
            f"tolerance = {margins[n // 2 % 2]}\n"
        )
    read: list[str] = []
    checked: list[str] = []
    real_read, real_check = _indicators.IndicatorReader._read, _like.LikeReader.check_scale_fits

    def counted_read(self: Any, body: dict[str, Any], *args: Any) -> Any:
        read.append(body["id"])
        return real_read(self, body, *args)

    def counted_check(self: Any, indicator: Any, path: str, *args: Any) -> None:
        checked.append(path)
        real_check(self, indicator, path, *args)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_indicators.IndicatorReader, "_read", counted_read)
        patched.setattr(_like.LikeReader, "check_scale_fits", counted_check)
        ruleset = ragrules.loads("".join(lines))
    assert read == ["i0", "i1", "i2", "i3"]
    # Each way's first read in full, then one more check for each sign of target.
    assert len(checked) == 4 + 4 * 2
    assert [i.id for i in ruleset.indicators] == [f"i{n}" for n in range(1000)]
    assert ruleset.indicators[999].title == "Indicator 999"
    assert ruleset.indicators[999].target == ruleset.indicators[0].target  # -1 each
