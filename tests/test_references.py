"""Names one section of a ruleset gives another's entries: a group a benchmark or a quantile
scale names must be a `[groups]` entry (an unknown one meant every area, silently); a
benchmark's `area` cannot be empty, nor its `weights` go unused; a benchmark name close to a
`[benchmarks]` entry, and so likely a typo for it, is warned of; a group with no members and
a `from` that is no start say which key is wrong."""

from __future__ import annotations

import pytest

import ragrules

HEAD = '[ruleset]\nformat = 1\nid = "r"\n'
GROUPS = '[groups.neighbours]\nareas = ["E1", "E2"]\n'
INDICATOR = '[[indicator]]\nid = "i"\ntolerance = { relative = "5%" }\n'


def _problems(text: str) -> list[tuple[str | None, str, str | None]]:
    with pytest.raises(ragrules.RulesetError) as raised:
        ragrules.loads(text)
    return [(p.key, p.message, p.hint) for p in raised.value.problems]


def test_a_benchmark_over_an_unknown_group_is_refused_with_the_name_it_means() -> None:
    text = (
        f'{HEAD}{GROUPS}[benchmarks.mean]\nstatistic = "mean"\ngroup = "neighbors"\n'
        f'{INDICATOR}target = {{ benchmark = "mean" }}\n'
    )
    assert _problems(text) == [
        ("benchmarks.mean.group", "no group 'neighbors' in [groups]", "did you mean 'neighbours'?")
    ]
    fixed = ragrules.loads(text.replace("neighbors", "neighbours"))
    benchmark = fixed.benchmark("mean")
    assert benchmark is not None and benchmark.group == "neighbours"


def test_a_quantile_scale_over_an_unknown_group_is_refused() -> None:
    text = (
        f'{HEAD}scale = "q"\n[scales.q]\nquantiles = {{ count = 4, group = "nope" }}\n'
        f"{GROUPS}{INDICATOR}"
    )
    assert _problems(text) == [
        ("scales.q.quantiles.group", "no group 'nope' in [groups]", "define it: [groups.nope]")
    ]


def test_a_catalogue_may_name_a_group_its_councils_define() -> None:
    catalogue = ragrules.loads(
        f'{HEAD}catalogue = true\n[benchmarks.mean]\nstatistic = "median"\n'
        f'group = "neighbours"\n{INDICATOR}target = {{ benchmark = "mean" }}\n'
    )
    benchmark = catalogue.benchmark("mean")
    assert benchmark is not None and benchmark.group == "neighbours"


@pytest.mark.parametrize("key", ["area", "area-column"])
def test_an_empty_benchmark_area_is_refused(key: str) -> None:
    text = f'{HEAD}[benchmarks.england]\n{key} = ""\n{INDICATOR}target = 5\n'
    [(where, message, _)] = _problems(text)
    assert (where, message) == (f"benchmarks.england.{key}", f"the {key} is empty")


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_weights_on_an_unweighted_statistic_are_refused(statistic: str) -> None:
    text = (
        f'{HEAD}[benchmarks.m]\nstatistic = "{statistic}"\nweights = "denominator"\n'
        f"{INDICATOR}target = 5\n"
    )
    assert _problems(text) == [
        (
            "benchmarks.m.weights",
            f"weights are for a weighted mean, not a {statistic}",
            'statistic = "weighted-mean", or leave weights out',
        )
    ]


def test_a_benchmark_name_close_to_an_entry_is_warned_of_wherever_it_is_named() -> None:
    ruleset = ragrules.loads(
        f'{HEAD}[benchmarks.england]\narea = "E92000001"\n'
        '[travel.comparisons.eng]\nagainst = "benchmark"\nbenchmark = "englnd"\n'
        '[scales.sig]\nsignificance = { benchmark = "Englnd" }\n'
        f'{INDICATOR}target = {{ benchmark = "englnd" }}\n'
    )
    warned = [(w.key, w.message, w.hint) for w in ruleset.warnings]
    message = "is no [benchmarks] entry, so it is read from a column of the data of that name"
    assert warned == [
        ("travel.comparisons.eng.benchmark", f"'englnd' {message}", "did you mean 'england'?"),
        ("scales.sig.significance.benchmark", f"'englnd' {message}", "did you mean 'england'?"),
        ("indicator[0].target", f"'englnd' {message}", "did you mean 'england'?"),
    ]


def test_a_benchmark_from_a_data_column_unlike_any_entry_is_not_warned_of() -> None:
    for benchmarks in ('[benchmarks.england]\narea = "E92000001"\n', ""):
        ruleset = ragrules.loads(
            f'{HEAD}{benchmarks}{INDICATOR}target = {{ benchmark = "regional average" }}\n'
        )
        assert ruleset.warnings == ()


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ("areas = []", "groups.g.areas", "areas is empty"),
        ("where = {}", "groups.g.where", "where is empty"),
        ("description = 'no members'", "groups.g", "a group needs where or areas"),
    ],
)
def test_a_group_with_no_members_says_which_key_is_empty(body: str, key: str, words: str) -> None:
    [(where, message, hint)] = _problems(f"{HEAD}[groups.g]\n{body}\n{INDICATOR}target = 5\n")
    assert where == key and message.startswith(words)
    assert hint is not None and "areas = [" in hint


@pytest.mark.parametrize("start", ["2022/23 Q2 YTD", "R12M Nov 2022", "YTD Aug 2022"])
def test_a_setting_comes_into_force_at_a_period_not_a_span_ending_there(start: str) -> None:
    """`from` names where a setting starts: a year-to-date or rolling period names months
    that end there (series breaks refuse them alike)."""
    text = f'{HEAD}{INDICATOR}target = [{{ value = 5 }}, {{ from = "{start}", value = 6 }}]\n'
    [(where, message, _)] = _problems(text)
    assert where == "indicator[0].target[1].from"
    assert message == f"a setting comes into force at a month, quarter or year, not at {start!r}"
    neighbours = (
        f'{HEAD}[groups.near]\nneighbours = [{{ of = {{ E1 = ["E2"] }} }}, '
        f'{{ from = "{start}", of = {{ E1 = ["E3"] }} }}]\n{INDICATOR}target = 5\n'
    )
    assert [where for where, _, _ in _problems(neighbours)] == ["groups.near.neighbours[1].from"]
    fixed = ragrules.loads(text.replace(start, "2022/23 Q2"))
    assert fixed.indicators[0].id == "i"


@pytest.mark.parametrize("blank", ['""', '" "'])
def test_an_empty_group_is_refused_not_read_as_every_area(blank: str) -> None:
    quantile = f'{HEAD}scale = "q"\n[scales.q]\nquantiles = {{ count = 4, group = {blank} }}\n'
    assert ("scales.q.quantiles.group", "the group is empty") in [
        (key, message) for key, message, _ in _problems(f"{quantile}{INDICATOR}")
    ]
    statistic = f'{HEAD}[benchmarks.m]\nstatistic = "mean"\ngroup = {blank}\n'
    text = f'{statistic}{INDICATOR}target = {{ benchmark = "m" }}\n'
    [(where, message, hint)] = _problems(text)
    assert (where, message) == ("benchmarks.m.group", "the group is empty")
    assert hint is not None and "leave group out" in hint


@pytest.mark.parametrize("hidden", ["\u200b", "\u202e", "\u00ad", "\x07"])
def test_an_id_holding_a_character_no_report_shows_is_warned_of(hidden: str) -> None:
    """`i` beside `i` and a zero-width space: every report shows the two alike."""
    escaped = f"\\u{ord(hidden):04x}"
    second = INDICATOR.replace('"i"', f'"i{escaped}"')
    text = f"{HEAD}{INDICATOR}target = 5\n{second}target = 5\n"
    ruleset = ragrules.loads(text)
    [warning] = ruleset.warnings
    assert warning.key == "indicator[1].id"
    assert warning.message.endswith(f"holds a character no report shows: U+{ord(hidden):04X}")
    assert not ragrules.loads(text.replace(f"i{escaped}", "j")).warnings
