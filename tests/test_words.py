"""Statuses in a ruleset's own words: labels in reports, synonyms read back, colours."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ragrules
from ragrules.engine.canonical import canonical_toml
from ragrules.formats.data import read_observations
from ragrules.model.words import StatusWords, in_order, status_named
from ragrules.reports._colours import contrast, ink, status_colours, tile_colours
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown
from ragrules.reports.matrix import matrix_html
from ragrules.reports.output import to_json, to_table
from ragrules.tools.audit import audit
from tests.conftest import EXAMPLES

RULES = EXAMPLES / "words" / "own-words.toml"
DATA = EXAMPLES / "words" / "own-words-2024-25-q2.csv"


@pytest.fixture(scope="module")
def report() -> ragrules.Report:
    return ragrules.load(RULES).rate(read_observations(DATA))


def test_reports_write_the_labels(report: ragrules.Report) -> None:
    table = to_table(report)
    assert "Achieved (override)" in table
    assert "For info only" in table and "Data only" in table
    # The order lists brag's blue first, where the scales alone would list it after red.
    assert (
        "Rated: 2: Exceeded 1 (50%), Achieved 1 (50%), Within tolerance 0 (0%), "
        "Not achieved 0 (0%)" in table
    )
    markdown = to_markdown(report)
    assert "- **Achieved (rag scale)**: At or above the target." in markdown
    assert "| not rated: Data only | 1 | |" in markdown
    # JSON keeps the statuses' names: programs read `green`, people read the label.
    results = {r["indicator"]: r for r in json.loads(to_json(report))["results"]}
    assert results["complaints-on-time"]["reported_status"] == "green"


def test_html_tiles_take_the_colours_with_contrasting_text(report: ragrules.Report) -> None:
    html = to_html(report)
    assert 'style="background:#00703c;color:#ffffff">Achieved</span>' in html
    assert 'style="background:#f47738;color:#0b0c0c">Within tolerance</span>' in html


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        ("#ffffff", "#0b0c0c"),
        ("#000000", "#ffffff"),
        ("#ffdd00", "#0b0c0c"),
        ("#1d70b8", "#ffffff"),
    ],
)
def test_ink_contrasts(background: str, expected: str) -> None:
    assert ink(background) == expected


def test_synonyms_are_read_back_by_audit_and_overrides(report: ragrules.Report) -> None:
    complaints = report.result("complaints-on-time")
    assert complaints.override is not None and complaints.override.applied  # "met"
    found = audit(ragrules.load(RULES), read_observations(DATA))
    assert found.mismatches == ()  # "Target achieved.", "For info only", "data only"
    assert [r.indicator.id for r in found.overrides] == ["complaints-on-time"]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Achieved", "green"),
        ("TARGET ACHIEVED.", "green"),
        (" target  achieved!! ", "green"),
        ("Slightly below target", "amber"),
        ("Missed;", "red"),
        ("R", "red"),  # an initial still names its status
        ("Red", "red"),
        ("purple", "purple"),
    ],
)
def test_status_named_reads_labels_and_synonyms(text: str, status: str) -> None:
    words = ragrules.load(RULES).statuses
    assert status_named(text, ("green", "amber", "red"), words) == status


def test_canonical_toml_keeps_the_words() -> None:
    ruleset = ragrules.load(RULES)
    assert ragrules.loads(canonical_toml(ruleset)).statuses == ruleset.statuses


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[statuses.gren]\nlabel = "Achieved"', "'gren' is not a status"),
        ('[statuses.green]\ncolour = "green"', "a colour is written #rrggbb"),
        # Nothing that reads as false passes for no colour.
        *(
            (f"[statuses.green]\ncolour = {value}", "a colour is written #rrggbb")
            for value in ("0", "false", "-0.0", "[]", "{}", '""')
        ),
        (
            '[statuses.green]\nlabel = "Met"\n[statuses.red]\nsynonyms = ["met."]',
            "'met.' already names 'green'",
        ),
        ('[statuses.green]\nsynonyms = "Met"', "expected a list of words"),
        ("[statuses.green]\norder = 1.5", "an order is a whole number"),
        ("[statuses.green]\norder = 1\n[statuses.red]\norder = 1", "order 1 is also 'green'"),
        (
            "[statuses.green]\norder = 2\n[statuses.amber]\norder = 1",
            "order 1 lists 'amber' before 'green'",
        ),
    ],
)
def test_bad_words_are_refused_where_they_are(table: str, message: str, tmp_path: Path) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[[indicator]]\nid = "a"\ntarget = 1\n'
        f"tolerance = {{ absolute = 1 }}\n{table}\n"
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line is not None for p in caught.value.problems)


def test_rollups_and_audit_use_the_words_too() -> None:
    ruleset = ragrules.loads(
        RULES.read_text(encoding="utf-8")
        + '\n[[rollup]]\nid = "all"\nmembers = ["complaints-on-time"]\nrule = "worst"\n'
    )
    report = ruleset.rate(read_observations(DATA))
    assert "| all | Achieved | complaints-on-time Achieved |" in to_markdown(report)
    # A single letter names a scale's status by its initial, never a reason not to rate.
    rows = [
        {
            "indicator": "fly-tips-reported",
            "period": "2024/25 Q2",
            "value": "3",
            "published_status": "N",
        }
    ]
    assert len(audit(ruleset, rows).mismatches) == 1


def test_the_order_lists_statuses_and_never_changes_one(report: ragrules.Report) -> None:
    unordered = ragrules.loads(
        "\n".join(
            line
            for line in RULES.read_text(encoding="utf-8").splitlines()
            if not line.startswith("order =")
        )
    ).rate(read_observations(DATA))
    # Without an order, the scales' own orders merge: brag's blue before rag's green.
    assert [s for s, _ in report.summary.counts] == ["blue", "green", "amber", "red"]
    assert [s for s, _ in unordered.summary.counts] == ["blue", "green", "amber", "red"]
    assert [r.status for r in report.results] == [r.status for r in unordered.results]


SCALES_APART = """
[ruleset]
format = 1
id = "apart"
[benchmarks.england]
area = "E92000001"
[scales.vs-england]
significance = {{ benchmark = "england", level = "95" }}
{orders}
[[indicator]]
id = "rag"
target = 10
tolerance = {{ absolute = 1 }}
[[indicator]]
id = "judged"
polarity = "lower-is-better"
scale = "vs-england"
[[indicator]]
id = "shown"
polarity = "neutral"
scale = "vs-england"
"""


def test_an_order_interleaves_scales_that_share_no_status() -> None:
    """rag and a significance scale share no status: the merge lists one after the other,
    an order interleaves them; unjudged statuses (higher, lower) have no rank to break."""
    plain = ragrules.loads(SCALES_APART.format(orders="")).rate([])
    assert [s for s, _ in plain.summary.counts][:4] == ["green", "amber", "red", "better"]
    orders = "".join(
        f"[statuses.{status}]\norder = {n}\n"
        for n, status in enumerate(
            ["better", "green", "similar", "amber", "worse", "red", "lower", "higher"], start=1
        )
    )
    ordered = ragrules.loads(SCALES_APART.format(orders=orders)).rate([])
    assert [s for s, _ in ordered.summary.counts] == [
        "better",
        "green",
        "similar",
        "amber",
        "worse",
        "red",
        "lower",
        "higher",
    ]


def test_the_stream_tally_lists_statuses_as_the_summary_does(tmp_path: Path) -> None:
    rules = tmp_path / "tally.toml"
    rules.write_text(
        '[ruleset]\nformat = 1\nid = "t"\n[[indicator]]\nid = "a"\nscale = "brag"\n'
        "target = 95\ntolerance = { absolute = 5 }\nstretch = { absolute = 2 }\n",
        encoding="utf-8",
    )
    data = tmp_path / "data.csv"
    data.write_text(
        "indicator,period,value\n"
        + "".join(
            f"a,2024/25 Q{q},{v}\n" for q, v in zip((1, 2, 3, 4), (80, 92, 96, 98), strict=True)
        )
        + "a,2025/26 Q1,\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "ragrules", "rate", str(rules), str(data), "--stream"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "(blue 1, green 1, amber 1, red 1, no-data 1)" in done.stderr


@given(st.permutations(["blue", "green", "amber", "red", "no-data"]), st.data())
def test_in_order_puts_ordered_statuses_first_by_order(
    statuses: list[str], data: st.DataObject
) -> None:
    chosen = data.draw(st.lists(st.sampled_from(statuses), unique=True))
    places = data.draw(
        st.lists(st.integers(0, 50), min_size=len(chosen), max_size=len(chosen), unique=True)
    )
    words = tuple(StatusWords(status=s, order=n) for s, n in zip(chosen, places, strict=True))
    listed = in_order(statuses, words)
    assert sorted(listed) == sorted(statuses)  # every status, once
    ordered = sorted(chosen, key=dict(zip(chosen, places, strict=True)).__getitem__)
    assert list(listed[: len(chosen)]) == ordered
    assert [s for s in listed if s not in chosen] == [s for s in statuses if s not in chosen]


def test_a_status_named_in_words_is_read_however_written() -> None:
    statuses = ("below England", "level with England", "above England")
    assert status_named("ABOVE  england.", statuses) == "above England"
    assert status_named("level with England", statuses) == "level with England"


def _uncoloured(statuses: list[str]) -> ragrules.Ruleset:
    """A ruleset whose one scale names statuses no colour is known for."""
    bands = [
        f'{{ status = "{s}", from = {{ threshold = "t{n}" }} }}' for n, s in enumerate(statuses)
    ]
    thresholds = ", ".join(f"t{n} = {len(statuses) - n}" for n in range(len(statuses)))
    return ragrules.loads(
        '[ruleset]\nformat = 1\nid = "shades"\nscale = "ranked"\n'
        f'[scales.ranked]\nbands = [{", ".join(bands)}, {{ status = "last" }}]\n'
        f'[[indicator]]\nid = "a"\nthresholds = {{ {thresholds} }}\n'
    )


@given(count=st.integers(1, 100))
def test_statuses_without_colours_get_shades_that_read_and_differ(count: int) -> None:
    """Uncoloured statuses (the u75 mortality example's "below England" drew white bars) are
    shades of grey, best darkest, each with text that meets WCAG AA (4.5:1), all darker
    than an unrated tile; up to a hundred (a scale of percentiles)."""
    statuses = [f"s{n}" for n in range(count)]
    ruleset = _uncoloured(statuses)
    tiles = [tile_colours(status, ruleset) for status in [*statuses, "last"]]
    assert all(contrast(background, text) >= 4.5 for background, text in tiles)
    lightness = [contrast(background, "#000000") for background, _ in tiles]
    assert lightness == sorted(lightness)  # the worse, the paler
    assert max(lightness) < contrast("#f3f2f1", "#000000") / 1.5  # not an unrated tile
    if count <= 12:  # as many as a scale of deciles: each its own
        assert len(set(lightness)) == len(lightness)
    assert tile_colours("no-data", ruleset) == ("#f3f2f1", "#0b0c0c")  # not a scale's status


def test_a_colour_given_or_known_is_kept_among_shades() -> None:
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "shades"\nscale = "mixed"\n'
        '[scales.mixed]\nbands = [{ status = "top", from = "target" }, '
        '{ status = "green", from = "tolerance" }, { status = "bottom" }]\n'
        '[statuses.bottom]\ncolour = "#b10e1e"\n'
        '[[indicator]]\nid = "a"\ntarget = 5\ntolerance = { absolute = 1 }\n'
    )
    assert tile_colours("green", ruleset) == ("#00703c", "#ffffff")
    assert tile_colours("bottom", ruleset) == ("#b10e1e", "#ffffff")
    assert tile_colours("top", ruleset)[0] not in ("#f3f2f1", "#00703c", "#b10e1e")


def test_forecasts_and_rollups_are_shaded_within_their_own_scales() -> None:
    """Each scale's (and roll-up's) uncoloured statuses span the shades from darkest to
    palest by themselves: a forecast's `likely` and a roll-up's `on track` are as dark as
    the indicators' best, not left grey like an unrated tile."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "r"\nscale = "words"\n'
        '[scales.words]\nbands = [{ status = "ahead", from = "target" }, { status = "behind" }]\n'
        '[scales.fc]\nbands = [{ status = "likely", from = "target" }, { status = "unlikely" }]\n'
        '[[indicator]]\nid = "a"\ntarget = 10\nforecast = { scale = "fc" }\n'
        '[[indicator]]\nid = "b"\ntarget = 20\n'
        '[[rollup]]\nid = "svc"\nmembers = ["a", "b"]\nrule = "share"\ncounting = ["ahead"]\n'
        'bands = [{ status = "on track", at-least = "50%" }, { status = "off track" }]\n'
    )
    best, worst = tile_colours("ahead", ruleset), tile_colours("behind", ruleset)
    assert best != worst
    for good, bad in (("likely", "unlikely"), ("on track", "off track")):
        assert (tile_colours(good, ruleset), tile_colours(bad, ruleset)) == (best, worst)


def test_two_tiers_of_significance_have_colours_of_their_own() -> None:
    """ragrules' own names for the strict tier are coloured, darker than the 95% tier's."""
    strict = {name: status_colours(name)[0] for name in _STRICT}
    assert len(set(strict.values())) == 4 and "#f3f2f1" not in strict.values()
    for name, background in strict.items():
        plain = status_colours(name.removesuffix(" (strict)"))[0]
        assert contrast(background, "#ffffff") > contrast(plain, "#ffffff")


_STRICT = ("better (strict)", "worse (strict)", "higher (strict)", "lower (strict)")


def test_the_key_and_matrix_write_a_status_as_the_ruleset_does() -> None:
    """`below England` is keyed "Below England" (not "Below england"), and the matrix shows
    each status in the ruleset's label and colour, as the report's tiles do."""
    rules = ragrules.load(EXAMPLES / "national" / "u75-preventable-mortality.toml")
    data = read_observations(
        EXAMPLES / "national" / "trafford_u75_preventable_mortality_ltla_2014-2024.csv"
    )
    report = rules.rate(data)
    html = to_html(report)
    assert "<dt>Below England</dt><dd>Below the target.</dd>" in html
    assert "Below england" not in html
    background, text = tile_colours("above England", rules)
    assert background != "#f3f2f1"
    page = matrix_html(report)
    assert f'style="background:{background};color:{text}">above England</span>' in page


@pytest.mark.parametrize("text", ["No Target.", "no target", "No-target;", " NO TARGET "])
def test_a_reason_not_to_rate_is_read_with_trailing_punctuation(text: str) -> None:
    assert status_named(text, ("green", "amber", "red", "no-target")) == "no-target"
