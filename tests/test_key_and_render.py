"""The generated key, and the Markdown and HTML committee reports."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import ragrules
from ragrules.output import render
from tests.conftest import EXAMPLES


def _report(name: str) -> ragrules.Report:
    ruleset = ragrules.load(EXAMPLES / f"{name}.toml")
    return ruleset.rate(ragrules.read_observations(EXAMPLES / f"{name}.csv"))


def test_havering_key() -> None:
    """The key states each band and what each arrow compares against (Wokingham's request)."""
    key = _report("havering-2020-21-q2").key
    assert [str(entry) for entry in key.statuses] == [
        "Green: At or above the target.",
        "Amber: Below the target by no more than the indicator's tolerance "
        "(5% or 10% of the target).",
        "Red: Any other value.",
    ]
    short, long = key.arrows
    assert short.label == "Short term arrow"
    assert short.text.startswith("Compared with the previous quarter; shows whether the value")
    assert long.text.startswith("Compared with the same quarter last year;")
    assert not key.unrated


def test_dudley_key_judgement_arrows_and_neutral() -> None:
    """Judgement arrows say so, and the neutral status is explained."""
    key = _report("dudley-2021-22-q3").key
    (arrow,) = key.arrows
    assert "whether performance improved (\u2191) or worsened (\u2193)" in arrow.text
    assert [entry.label for entry in key.unrated] == ["Neutral"]


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        (
            'scale = "brag"\nstretch = { relative = "10%" }',
            ["Above the target by at least 10% of the target.", "At or above the target."],
        ),
        (
            'scale = "s"\nthresholds = { floor = 60 }',
            ["At or above the target.", "At or above the floor threshold."],
        ),
    ],
)
def test_key_for_other_scales(scale: str, expected: list[str]) -> None:
    """Stretch bands and threshold bands are described from their data."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "k"\n'
        '[scales.s]\nbands = [{ status = "green", from = "target" }, '
        '{ status = "amber", from = { threshold = "floor" } }, { status = "red" }]\n'
        f'[[indicator]]\nid = "a"\ntarget = 70\ntolerance = {{ absolute = 5 }}\n{scale}\n'
    )
    key = ruleset.rate([]).key
    assert [entry.text for entry in key.statuses][: len(expected)] == expected


class _Structure(HTMLParser):
    """Collects the tags, attributes and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    return parser


def test_html_is_self_contained_and_accessible() -> None:
    """One file: no scripts, no links out, a language, captions, header cells, status words."""
    report = _report("merton-2020-21-nov")
    html = render(report, "html")
    page = _parse(html)
    tags = [tag for tag, _ in page.tags]
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    assert "http" not in html
    assert ("html", {"lang": "en"}) in page.tags
    assert tags.count("table") == tags.count("caption") == 3
    assert all(
        attributes.get("scope") in {"col", "row"} for tag, attributes in page.tags if tag == "th"
    )
    text = " ".join(page.text)
    for section in (
        "Summary",
        "Key",
        "All indicators",
        "Exception report",
        "Of particular note",
        "Data caveats",
    ):
        assert section in text
    badges = [
        attributes
        for tag, attributes in page.tags
        if tag == "span" and attributes.get("class") == "status"
    ]
    assert len(badges) >= len(report.results)
    assert "@media print" in html


def test_html_statuses_are_words_and_arrows_have_text() -> None:
    """Colour is never the only signal: statuses are words, arrows carry hidden text."""
    html = render(_report("havering-2020-21-q2"), "html")
    assert ">red</span>" in html
    assert '<span class="visually-hidden">down, worsening</span>' in html
    assert "not comparable: no comparable value for 2019/20 Q2" in html


def test_html_escapes_data() -> None:
    """Commentary from the data cannot inject markup."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "x"\n[exceptions]\nstatuses = ["red"]\n'
        '[[indicator]]\nid = "a"\ntarget = 10\ntolerance = { absolute = 1 }\n'
    )
    report = ruleset.rate([{"indicator": "a", "value": "1", "commentary": "<script>x</script>"}])
    html = render(report, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_markdown_report() -> None:
    """Markdown holds the summary, key, table, exceptions with commentary, and caveats."""
    text = render(_report("merton-2020-21-nov"), "markdown")
    assert text.startswith("# Merton Children and Young People")
    assert "| red | 3 | 75% |" in text
    assert "### 16: Average number of weeks taken to complete Care proceedings" in text
    assert "Selected: status red or amber." in text
    assert (
        "- **8: % of quorate attendance at child protection conferences**: Data reporting" in text
    )
    assert "## Of particular note\n\n### 40: Average total caseload" in text


def test_markdown_reports_missing_commentary() -> None:
    """A red without its commentary is shown as missing and listed for the authors."""
    ruleset = ragrules.load(EXAMPLES / "havering-2020-21-q2.toml")
    report = ruleset.rate(
        [{"indicator": "early-help-conversion", "period": "2020/21 Q2", "value": "20"}]
    )
    text = render(report, "markdown")
    assert "_No commentary was given._" in text
    assert "## For the report's authors" in text
    assert "a red rating needs commentary, and none was given (row 1)" in text


def test_key_for_benchmarks_and_relative_margins() -> None:
    """Benchmark arrows say above or below; a relative margin is a share of the value compared."""
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "k"\n[travel]\nunchanged-within = { relative = "3%" }\n'
        '[travel.comparisons]\nengland = { against = "benchmark", benchmark = "england" }\n'
        '[[indicator]]\nid = "a"\ntarget = 70\ntolerance = { absolute = 5 }\n'
    )
    (arrow,) = ruleset.rate([]).key.arrows
    assert arrow.text == (
        "Compared with the england benchmark; shows whether the value is above (\u2191) or "
        "below (\u2193) it, whatever the polarity; \u2192 means a difference of no more than "
        "3% of the value compared with; - means no comparable value."
    )


def test_tolerances_that_differ_are_listed() -> None:
    """Havering's tolerances are 5% and 10% of the target: the key cannot give one, so the
    reports list each indicator's; Merton's are all 10%, and the key says so alone."""
    havering = _report("havering-2020-21-q2")
    markdown = render(havering, "markdown")
    assert "| Indicator | Value | Target | Tolerance | Status |" in markdown
    assert "| 28.15 | 30% | 5% of the target | red |" in markdown
    assert '<th scope="col">Tolerance</th>' in render(havering, "html")
    merton = _report("merton-2020-21-nov")
    assert "Tolerance" not in render(merton, "markdown")
    many = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "m"\n'
        + "".join(
            f'[[indicator]]\nid = "i{n}"\ntarget = 10\ntolerance = {{ absolute = {n} }}\n'
            for n in range(1, 7)
        )
    )
    report = many.rate([{"indicator": f"i{n}", "value": "9"} for n in range(1, 7)])
    assert "the indicator's tolerance (as listed)" in str(report.key)
    listed = render(report, "markdown")
    assert all(f"| 9 | 10 | {n} | " in listed for n in range(1, 7))
