"""Roll-ups: groups of indicators rated by worst, majority, share or score, nested, per area.

The shipped example (rulesets/examples/rollups) is the case: services rated by their worst
indicator or by the share on target, and a priority scored from its services.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import ragrules
from ragrules.cli import main
from ragrules.engine.canonical import canonical_toml
from ragrules.engine.rollups import rate_rollup
from ragrules.formats.data import read_observations
from ragrules.model.rollups import Rollup, RollupBand, RollupRule
from ragrules.reports.html import to_html
from ragrules.reports.markdown import to_markdown
from ragrules.reports.output import to_json, to_table
from ragrules.tools.compare import rule_differences
from tests.conftest import EXAMPLES

RULES = EXAMPLES / "rollups" / "services-and-priorities.toml"
DATA = EXAMPLES / "rollups" / "services-and-priorities-2024-25-q2.csv"


@pytest.fixture(scope="module")
def report() -> ragrules.Report:
    return ragrules.load(RULES).rate(read_observations(DATA))


def test_example_rollups(report: ragrules.Report) -> None:
    found = {r.rollup.id: (r.status, r.value) for r in report.rollups}
    assert found == {
        # temporary accommodation is amber, homelessness prevention green: the worst is amber.
        "housing": ("amber", None),
        # 2 of 3 green is 66.6...%: below 75%, at least 50%.
        "environment": ("amber", Decimal("66.6")),
        "finance": ("green", None),
        # (2 x amber 2 + amber 2 + green 3) / 4 = 2.25: below 2.5, at least 1.75.
        "priority-a-good-place-to-live": ("amber", Decimal("2.25")),
    }


def test_example_rollups_are_in_every_output(report: ragrules.Report) -> None:
    data = json.loads(to_json(report))
    assert [r["rollup"] for r in data["rollups"]] == [r.id for r in report.ruleset.rollups]
    housing = data["rollups"][0]
    assert housing["members"] == [
        {"member": "temporary-accommodation", "status": "amber"},
        {"member": "homelessness-prevented", "status": "green"},
    ]
    assert data["key"]["rollups"][0]["label"] == "Housing (roll-up)"
    table = to_table(report)
    assert "Roll-ups:" in table
    assert "housing: Housing: amber: temporary-accommodation is the worst of 2 rated" in table
    markdown = to_markdown(report)
    assert "| environment: Environment | amber | missed-bins green, recycling red, " in markdown
    assert "<h2>Roll-ups</h2>" in to_html(report)


def test_a_ruleset_without_rollups_keeps_the_fields_of_0_1() -> None:
    plain = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    data = plain.rate(read_observations(EXAMPLES / "havering-2020-21-q2.csv")).to_dict()
    assert "rollups" not in data and "rollups" not in data["key"]


def test_explain_a_rollup(report: ragrules.Report, capsys: pytest.CaptureFixture[str]) -> None:
    text = str(report.explain("environment"))
    assert text.splitlines()[1:] == [
        "missed-bins: green.",
        "recycling: red.",
        "fly-tipping-cleared: green.",
        "So amber: 66.6% of 3 rated members are green (2 of 3), at least 50%.",
    ]
    assert main(["explain", str(RULES), str(DATA), "--indicator", "housing"]) == 0
    assert "So amber: temporary-accommodation is the worst" in capsys.readouterr().out


def _rollup(rule: RollupRule, **fields: object) -> Rollup:
    base: dict[str, object] = {
        "id": "r",
        "members": ("a", "b", "c", "d"),
        "rule": rule,
        "statuses": ("green", "amber", "red"),
    }
    return Rollup(**{**base, **fields})  # type: ignore[arg-type]


def _rated(*statuses: str) -> list[tuple[str, str, bool]]:
    return [
        (member, status, status in ("green", "amber", "red"))
        for member, status in zip("abcd", statuses, strict=False)
    ]


SHARE_BANDS = (
    RollupBand(status="green", at_least=Decimal(75)),
    RollupBand(status="amber", at_least=Decimal("66.67")),
    RollupBand(status="red"),
)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("green", "green", "green", "amber"), "green"),  # exactly 75%: reached
        (("green", "green", "amber", "no-data"), "red"),  # 66.666...% < 66.67%
        (("green", "green", "green", "red", "amber"), "green"),  # only four are members
        (("no-data", "caveat", "no-data", "no-data"), "no-data"),
    ],
)
def test_share_is_decided_exactly(statuses: tuple[str, ...], expected: str) -> None:
    rollup = _rollup(RollupRule.SHARE, counted=("green",), bands=SHARE_BANDS)
    assert rate_rollup(rollup, _rated(*statuses)).status == expected


def test_share_shown_never_reaches_a_band_it_did_not() -> None:
    rollup = _rollup(RollupRule.SHARE, counted=("green",), bands=SHARE_BANDS)
    found = rate_rollup(rollup, _rated("green", "green", "amber"))
    assert (found.status, found.value) == ("red", Decimal("66.66"))  # rounded down, not 66.67


def test_majority_tie_goes_to_the_worse_status() -> None:
    rollup = _rollup(RollupRule.MAJORITY)
    found = rate_rollup(rollup, _rated("green", "red", "green", "red"))
    assert found.status == "red"
    assert "tied with green: the worse is taken" in found.reason


def test_majority_and_score_count_weights() -> None:
    weights = (("a", Decimal(3)),)
    majority = _rollup(RollupRule.MAJORITY, weights=weights)
    assert rate_rollup(majority, _rated("green", "red", "red")).status == "green"
    score = _rollup(
        RollupRule.SCORE,
        weights=weights,
        points=(("green", Decimal(3)), ("amber", Decimal(2)), ("red", Decimal(1))),
        bands=(RollupBand(status="good", at_least=Decimal("2.2")), RollupBand(status="poor")),
        statuses=("good", "poor"),
    )
    # (3 x 3 + 1 + 1) / 5 = 2.2: exactly on the band.
    assert rate_rollup(score, _rated("green", "red", "red")).status == "good"


def test_rollups_per_area() -> None:
    ruleset = ragrules.load(RULES)
    rows = [
        {"area": area, "indicator": "temporary-accommodation", "period": "2024/25 Q2", "value": v}
        for area, v in (("E1", "190"), ("E2", "260"))
    ]
    report = ruleset.rate(rows)
    housing = {r.area: r.status for r in report.rollups if r.rollup.id == "housing"}
    assert housing == {"E1": "green", "E2": "red"}
    assert report.rollup("housing", area="E2").status == "red"
    with pytest.raises(LookupError, match="one per area"):
        report.rollup("housing")


TEXT = (
    '[ruleset]\nformat = 1\nid = "x"\n'
    '[[indicator]]\nid = "a"\ntarget = 1\ntolerance = { absolute = 1 }\n'
    '[[indicator]]\nid = "b"\ntarget = 1\nscale = "brag"\ntolerance = { absolute = 1 }\n'
    "stretch = { absolute = 1 }\n"
)


@pytest.mark.parametrize(
    ("rollup", "message"),
    [
        ('id = "r"\nmembers = ["a", "q"]\nrule = "worst"', "no indicator or earlier roll-up 'q'"),
        ('id = "r"\nmembers = ["a", "a"]\nrule = "worst"', "'a' is listed twice"),
        ('id = "a"\nmembers = ["b"]\nrule = "worst"', "'a' is already an indicator"),
        ('id = "r"\nmembers = ["a", "b"]\nrule = "worst"', "needs members rated in the same"),
        ('id = "r"\nmembers = ["a"]\nrule = "worts"', "'worts' is not a valid rule"),
        ('id = "r"\nmembers = ["a"]\nrule = "share"\nbands = []', "a share needs the statuses"),
        (
            'id = "r"\nmembers = ["a"]\nrule = "share"\ncounting = ["green"]\n'
            'bands = [{ status = "g", at-least = "50%" }, { status = "a", at-least = "60%" }, '
            '{ status = "r" }]',
            "can never be reached",
        ),
        (
            'id = "r"\nmembers = ["a"]\nrule = "score"\npoints = { green = 1 }\n'
            'bands = [{ status = "g", at-least = 1 }, { status = "r" }]',
            "no points for amber, red",
        ),
        (
            'id = "r"\nmembers = ["a"]\nrule = "majority"\nweights = { a = 0 }',
            "a weight must be above zero",
        ),
        (
            'id = "r"\nmembers = ["a"]\nrule = "share"\ncounting = ["green"]\n'
            'bands = [{ status = "g", at-least = 50 }, { status = "r" }]',
            "is not a percentage",
        ),
    ],
)
def test_loading_refuses_bad_rollups(rollup: str, message: str) -> None:
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(f"{TEXT}[[rollup]]\n{rollup}\n")
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line is not None and p.line >= 10 for p in caught.value.problems)


def test_a_rollup_member_must_come_first() -> None:
    text = (
        f'{TEXT}[[rollup]]\nid = "top"\nmembers = ["inner"]\nrule = "worst"\n'
        '[[rollup]]\nid = "inner"\nmembers = ["a"]\nrule = "worst"\n'
    )
    with pytest.raises(ragrules.RulesetError, match="a roll-up defined before this one"):
        ragrules.loads(text)


def test_canonical_form_and_compare_keep_rollups() -> None:
    ruleset = ragrules.load(RULES)
    assert ragrules.loads(canonical_toml(ruleset)).rollups == ruleset.rollups
    changed = RULES.read_text(encoding="utf-8").replace('at-least = "75%"', 'at-least = "80%"')
    found = [d.setting for d in rule_differences(ruleset, ragrules.loads(changed))]
    assert found == ["rollup"]


def test_the_html_report_reads_in_a_browser(tmp_path: Path, report: ragrules.Report) -> None:
    from tests.conftest import as_a_browser_reads

    page = tmp_path / "report.html"
    page.write_text(to_html(report), encoding="utf-8")
    dom = as_a_browser_reads(page)
    assert (
        '<th scope="row">priority-a-good-place-to-live: Priority: a good place to live</th>' in dom
    )
    assert "a score of 2.25 over 3 rated members, at least 1.75" in dom


def test_verify_tests_rollups_and_warns_of_a_rule_that_is_not_monotone(tmp_path: Path) -> None:
    from ragrules.tools.verify import verify_file

    assert verify_file(RULES, examples=20) == []
    text = RULES.read_text(encoding="utf-8").replace(
        "points = { green = 3, amber = 2, red = 1 }", "points = { green = 3, amber = 1, red = 2 }"
    )
    path = tmp_path / "rollups.toml"
    path.write_text(text, encoding="utf-8")
    found = verify_file(path, examples=20)
    assert [(p.severity.value, p.key) for p in found] == [("warning", "rollup[3]")]
    assert "a member getting worse can make the roll-up better" in found[0].message


def test_verify_finds_a_rollup_that_depends_on_the_members_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check is not vacuous: a roll-up that took the first rated member fails it."""
    from ragrules.tools.testing import _rollups
    from ragrules.tools.verify import verify_file

    def first(rollup: Rollup, members: list[tuple[str, str, bool]]) -> object:
        found = rate_rollup(rollup, members)
        rated = [s for _, s, ok in members if ok]
        return (
            found
            if not rated or rollup.rule is not RollupRule.WORST
            else attrs.evolve(found, status=rated[0])
        )

    monkeypatch.setattr(_rollups, "rate_rollup", first)
    found = verify_file(RULES, examples=30)
    assert any("housing: invariant rollup_invariants fails" in p.message for p in found)
