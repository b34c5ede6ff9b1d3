"""A setting many indicators write alike is read once; a load gives what reading each gives.

The loader keeps a setting read without a problem by how it is written and read
(`Getters.remembered`: a tolerance every indicator repeats, a unit), and what a scale needs of
an indicator once it has been found present (`Checks.check_scale_fits`). Generated rulesets
whose indicators share settings written in every way TOML allows (`5`, `5.0`, `"5"`, `"5%"`,
`"35 days"`), some of them wrong, load to the same ruleset, byte for byte in canonical TOML,
with the same problems and warnings at the same places, as with every read done afresh.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import ragrules
from ragrules.formats.loading import _getters
from tests.loaded import loaded, loaded_with

SCALES = (
    '[scales.stretched]\nbands = [{ status = "blue", from = "stretch" }, '
    '{ status = "green", from = "target" }, { status = "amber", from = "tolerance" }, '
    '{ status = "red" }]\n'
    '[scales.floored]\nbands = [{ status = "green", from = "target" }, '
    '{ status = "amber", from = { threshold = "floor" } }, { status = "red" }]\n'
)
UNITS = ["percent", "number", "weeks"]
TARGETS = ["5", "5.0", '"5"', '"5%"', '"5.0%"', "0.5", '"35 days"', '"5 weeks"', "-1", '"x"']
MARGINS = [
    '{ relative = "5%" }',
    '{ relative = "5.0%" }',
    "{ absolute = 1 }",
    "{ absolute = 1.0 }",
    '{ absolute = "1" }',
    '{ absolute = "7 days" }',
    '{ absolute = "1%" }',
    '{ relative = "-5%" }',
    "{ relative = 5 }",
    '{ below = { absolute = 1 }, above = { relative = "5%" } }',
]


@st.composite
def rulesets(draw: st.DrawFn) -> str:
    """Indicators drawing on a few ways of writing each setting, in [defaults] or their own."""
    lines = ['[ruleset]\nformat = 1\nid = "alike"\n', SCALES]
    if draw(st.booleans()):
        lines.append(f"[defaults]\ntolerance = {draw(st.sampled_from(MARGINS))}\n")
    for n in range(draw(st.integers(1, 8))):
        polarity = draw(st.sampled_from(["higher-is-better", "lower-is-better", "in-range"]))
        lines.append(
            f'[[indicator]]\nid = "i{n}"\npolarity = "{polarity}"\n'
            f'unit = "{draw(st.sampled_from(UNITS))}"\n'
        )
        if polarity == "in-range":
            lines.append("target = { lower = 2, upper = 8 }\n")
        else:
            lines.append(f"target = {draw(st.sampled_from(TARGETS))}\n")
        if draw(st.booleans()):
            lines.append(f"tolerance = {draw(st.sampled_from(MARGINS))}\n")
        if draw(st.booleans()):
            lines.append(f'scale = "{draw(st.sampled_from(["stretched", "floored", "rag"]))}"\n')
        if draw(st.booleans()):
            lines.append(f"stretch = {draw(st.sampled_from(MARGINS))}\n")
        if draw(st.booleans()):
            lines.append("thresholds = { floor = 2 }\n")
    return "".join(lines)


class _Forgetful(dict[Any, Any]):
    """A cache that never holds anything: every check done afresh."""

    def __contains__(self, key: object) -> bool:
        return False

    def __setitem__(self, key: object, value: object) -> None:
        return None


def _each_read_afresh(patched: pytest.MonkeyPatch) -> None:
    patched.setattr(_getters.Getters, "remembered", lambda self, how, raw, read: read())
    original = _getters.Getters.__init__

    def forgetful(self: _getters.Getters, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.fitting = _Forgetful()

    patched.setattr(_getters.Getters, "__init__", forgetful)


def _alike(*indicators: str) -> str:
    """A ruleset of these indicators' bodies, in percent."""
    lines = ['[ruleset]\nformat = 1\nid = "alike"\n', SCALES]
    for n, body in enumerate(indicators):
        lines.append(f'[[indicator]]\nid = "i{n}"\nunit = "percent"\n{body}\n')
    return "".join(lines)


FIVE = 'target = "5%"\ntolerance = { relative = "5%" }'
STRETCHED = 'scale = "stretched"\nstretch = { absolute = 1 }'


@settings(max_examples=300)
@example(text=_alike(f"target = 0.5\n{FIVE[13:]}", f"target = 0.5\n{FIVE[13:]}"))  # warned twice
@example(text=_alike('target = "-5%"\ntolerance = { relative = "-5%" }', FIVE, FIVE))  # refused
@example(
    text=_alike(
        f"{FIVE}\nstretch = {{ absolute = 1.0 }}", f"{FIVE}\nstretch = {{ absolute = 1.00 }}"
    )
)
@example(text=_alike("target = 5.0", "target = 5.00"))  # each shown as written
@example(  # the threshold a scale needs, present in one indicator and missing in the next
    text=_alike(
        f'{FIVE}\nscale = "floored"\nthresholds = {{ floor = 2 }}', f'{FIVE}\nscale = "floored"'
    )
)
@example(text=_alike(f"{FIVE}\n{STRETCHED}", f'{FIVE}\nscale = "stretched"'))  # no stretch
@example(  # a better-by band means nothing for an in-range indicator
    text=_alike(
        f"{FIVE}\n{STRETCHED}",
        f'polarity = "in-range"\ntarget = {{ lower = 2, upper = 8 }}\n'
        f'tolerance = {{ relative = "5%" }}\n{STRETCHED}',
    )
)
@given(text=rulesets())
def test_a_load_reading_settings_once_gives_what_reading_each_gives(text: str) -> None:
    assert loaded(text) == loaded_with(text, _each_read_afresh)


def test_a_setting_written_alike_is_read_once() -> None:
    """A thousand indicators with one tolerance and one unit: the tolerance is read once."""
    lines = ['[ruleset]\nformat = 1\nid = "many"\n']
    for n in range(1000):
        lines.append(
            f'[[indicator]]\nid = "i{n}"\nunit = "percent"\ntarget = "{n % 90 + 1}%"\n'
            'tolerance = { relative = "5%" }\n'
        )
    reads: list[str] = []
    real = _getters.Getters.remembered

    def counted(self: _getters.Getters, how: tuple[Any, ...], raw: object, read: Any) -> Any:
        def read_counted() -> Any:
            reads.append(how[0])
            return read()

        return real(self, how, raw, read_counted)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_getters.Getters, "remembered", counted)
        ruleset = ragrules.loads("".join(lines))
    assert reads.count("margin") == 1
    assert reads.count("target") == 90  # one per target written
    assert len({id(i.tolerance) for i in ruleset.indicators}) == 1


def test_lists_of_allowed_keys_are_kept_within_a_bound() -> None:
    """A table's keys are checked against a set; short lists' sets are kept, most recently
    used first (the loader's own, used for every indicator), long ones (a document's own
    names for its table of profiles) are made each time and never kept, and a key outside
    its list is still reported."""
    names = [f"shape{n}" for n in range(_getters._KEPT_KEYS + 1)]
    shares = '["25%", "25%", "25%", "25%"]'
    profiles = "".join(f"{name} = {shares}\n" for name in names)
    asked: list[tuple[str, ...]] = []
    real = _getters._key_set

    def recorded(allowed: tuple[str, ...]) -> frozenset[str]:
        asked.append(allowed)
        return real(allowed)

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_getters, "_key_set", recorded)
        ragrules.loads(
            f'[ruleset]\nformat = 1\nid = "p"\n[profiles]\n{profiles}'
            '[[indicator]]\nid = "a"\npolarity = "neutral"\n'
        )
    assert tuple(names) not in asked and asked  # the short lists only
    assert real.cache_info().maxsize == 64
    with pytest.raises(ragrules.RulesetError, match="unknown key 'tolerence'"):
        ragrules.loads('[ruleset]\nformat = 1\nid = "p"\n[[indicator]]\nid = "a"\ntolerence = 1\n')
