"""Checking one rule of a shape for every target of it finds what checking each would.

The loader checks that every band of an indicator can be reached; a rule whose bands start
at its target or a margin from it (all relative, or all absolute) is checked once per shape
(scale, polarity, sign of the target, margins) and not again for other targets of that shape
(`formats.loading._checks.Checks._shape`). Generated rulesets of several indicators sharing scales
and margins, with targets of every sign, load with the same problems and warnings either
way.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import ragrules
from ragrules.engine import rating
from ragrules.formats.loading import _checks

SCALES = {
    "standard": '{ status = "green", from = "target" }, { status = "amber", from = "tolerance" }',
    "stretched": (
        '{ status = "blue", from = "stretch" }, { status = "green", from = "target" }, '
        '{ status = "amber", from = "tolerance" }'
    ),
    "backwards": '{ status = "amber", from = "tolerance" }, { status = "green", from = "target" }',
    "margins": (
        '{ status = "green", from = { better-by = "tolerance" } }, '
        '{ status = "amber", from = { worse-by = "stretch" } }'
    ),
    "twice": (  # two margins on one side: their order depends on the target when mixed
        '{ status = "green", from = "target" }, { status = "amber", from = "tolerance" }, '
        '{ status = "blue", from = { worse-by = "stretch" } }'
    ),
    "floored": (
        '{ status = "green", from = "target" }, '
        '{ status = "amber", from = { threshold = "floor" } }'
    ),
    "fixed": (
        '{ status = "green", from = "target" }, '
        '{ status = "amber", from = { worse-by = { relative = "5%" } } }'
    ),
}
MARGINS = [
    '{ relative = "0%" }',
    '{ relative = "5%" }',
    '{ relative = "10%" }',
    "{ absolute = 0 }",
    "{ absolute = 1 }",
    '{ absolute = "2.5" }',
]


@st.composite
def rulesets(draw: st.DrawFn) -> str:
    """Indicators drawing on a few scales and margins (as a ruleset's defaults do), so that
    rules of one shape with targets of different sizes are common."""
    lines = ['[ruleset]\nformat = 1\nid = "shapes"\n']
    for name, bands in SCALES.items():
        lines.append(f'[scales.{name}]\nbands = [{bands}, {{ status = "red" }}]\n')
    scales = draw(st.lists(st.sampled_from(sorted(SCALES)), min_size=1, max_size=2))
    margins = draw(st.lists(st.sampled_from(MARGINS), min_size=1, max_size=3))
    for n in range(draw(st.integers(1, 8))):
        polarity = draw(st.sampled_from(["higher-is-better", "lower-is-better"]))
        target = draw(st.sampled_from(["-10", "-2.5", "0", "2.5", "10", "25", "100"]))
        lines.append(
            f'[[indicator]]\nid = "i{n}"\npolarity = "{polarity}"\ntarget = {target}\n'
            f'scale = "{draw(st.sampled_from(scales))}"\n'
            f"tolerance = {draw(st.sampled_from(margins))}\n"
            "thresholds = { floor = 20 }\n"
        )
        if draw(st.booleans()):
            lines.append(f"stretch = {draw(st.sampled_from(margins))}\n")
    return "".join(lines)


def _findings(text: str) -> list[tuple[str | None, str, object]]:
    try:
        problems = ragrules.loads(text, source="r.toml").warnings
    except ragrules.RulesetError as exc:
        problems = exc.problems
    return [(p.key, p.message, p.severity) for p in problems]


def _one_scale(scale: str, *targets: str) -> str:
    """Indicators of one scale and margins with the targets given."""
    lines = ['[ruleset]\nformat = 1\nid = "shapes"\n']
    lines += [f'[scales.{n}]\nbands = [{b}, {{ status = "red" }}]\n' for n, b in SCALES.items()]
    for n, target in enumerate(targets):
        lines.append(
            f'[[indicator]]\nid = "i{n}"\ntarget = {target}\nscale = "{scale}"\n'
            'tolerance = { relative = "10%" }\nstretch = { absolute = "2.5" }\n'
            "thresholds = { floor = 20 }\n"
        )
    return "".join(lines)


@settings(max_examples=300)
@example(text=_one_scale("twice", "10", "100"))  # relative and absolute: their order moves
@example(text=_one_scale("floored", "100", "10"))  # a threshold: the target passes it
@given(text=rulesets())
def test_a_shape_checked_once_finds_what_each_check_finds(text: str) -> None:
    shared = _findings(text)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_checks.Checks, "_shape", lambda *_: None)  # every rule checked itself
        each = _findings(text)
    assert shared == each


def test_rules_of_one_shape_are_checked_once() -> None:
    """A thousand indicators of one shape, each with its own target: one check."""
    lines = ['[ruleset]\nformat = 1\nid = "many"\n']
    for n in range(1000):
        lines.append(
            f'[[indicator]]\nid = "i{n}"\ntarget = {n + 1}\ntolerance = {{ relative = "5%" }}\n'
        )
    compiled: list[rating.RuleInputs] = []
    real = rating.compile_cuts

    def counted(inputs: rating.RuleInputs) -> tuple[rating.Cut, ...]:
        compiled.append(inputs)
        return real(inputs)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(rating, "compile_cuts", counted)
        ragrules.loads("".join(lines))
    assert len(compiled) == 1
