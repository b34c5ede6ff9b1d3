"""Text from a ruleset or data in an HTML page: escaped, and its control, escape and bidi
characters shown as `\\u202e` (as the Markdown report and the terminal show them), so an
override in a status word or an area's name cannot reorder the numbers written beside it;
the attributes `audit --published` reads back keep the text exactly."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given

import ragrules
from ragrules.cli import main
from ragrules.engine.canonical import canonical_toml
from ragrules.model._text import shown_in_text
from ragrules.reports.html import to_html
from ragrules.reports.matrix import matrix_html
from tests.adversarial.test_output_safety import CONTROLS, HOSTILE, _report
from tests.conftest import as_a_browser_reads

_OVERRIDE = "\u202e"


class _Page(HTMLParser):
    """The page's text (what a reader sees) and its data-* attributes, as a parser reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.attributes: list[str] = []
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style and data.strip("\n"):  # not the page's own line ends or CSS
            self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        self.attributes += [value or "" for name, value in attrs if name.startswith("data-")]

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False


def _read(page: str) -> _Page:
    reader = _Page()
    reader.feed(page)
    return reader


@given(text=HOSTILE)
def test_no_control_or_bidi_character_reaches_a_pages_text(text: str) -> None:
    report = _report(title=text, label=text, commentary=text, flag=text, cell=text)
    for page in (to_html(report), matrix_html(report)):
        assert CONTROLS.search("".join(_read(page).text)) is None
    if text.strip():
        assert shown_in_text(text.strip()) in "".join(_read(to_html(report)).text)


def test_an_override_in_an_area_is_shown_and_kept_exactly_where_audit_reads_it() -> None:
    ruleset = ragrules.loads(
        '[ruleset]\nformat = 1\nid = "bidi"\n[statuses.red]\nlabel = "red\\u202e"\n'
        '[[indicator]]\nid = "a"\ntarget = "50"\ntolerance = { relative = "10%" }\n'
    )
    area = f"{_OVERRIDE}E06000001"
    report = ruleset.rate([{"indicator": "a", "period": "2020/21 Q2", "value": "30", "area": area}])
    page = to_html(report)
    reader = _read(page)
    assert area in reader.attributes  # data-area, as given
    shown = "".join(reader.text)
    assert _OVERRIDE not in shown
    assert "a (\\u202eE06000001)" in shown and "amber needs 45, 15 more" in shown
    assert shown.count("red\\u202e") == 4  # the summary, the key, the badge, the trend


def test_a_browser_shows_the_escape_not_a_reordered_line(tmp_path: Path) -> None:
    report = _report(title=f"Reviews {_OVERRIDE}on time", commentary=f"{_OVERRIDE}12345")
    path = tmp_path / "report.html"
    path.write_text(to_html(report), encoding="utf-8")
    dom = as_a_browser_reads(path)
    body = re.sub(r"<[^>]+>", "", dom.split("<body", 1)[1])
    assert _OVERRIDE not in body
    assert "Reviews \\u202eon time" in body and "\\u202e12345" in body


@given(text=HOSTILE)
def test_the_canonical_form_escapes_what_a_terminal_or_toml_would_misread(text: str) -> None:
    """A title, status word or indicator id holding DEL (which TOML forbids raw), a C1
    control or a bidi override is written as `\\u007f`, `\\u009b`, `\\u202e`: `show --toml`
    prints nothing that rewrites a terminal, and the form loads back to the same ruleset."""
    report = _report(title=text, label=text, indicator="i" + text)
    canonical = canonical_toml(report.ruleset)
    assert CONTROLS.search(canonical.replace("\n", "")) is None
    assert ragrules.loads(canonical) == report.ruleset


@pytest.mark.parametrize("label", ["Achieved\u202e", "Miss\u0007ed", "Tab\there"])
def test_a_page_ragrules_wrote_audits_clean_whatever_its_labels_hold(
    tmp_path: Path, label: str
) -> None:
    """The badge shows a label's control characters as escapes; `audit --published` reads
    them back as the status they show."""
    ruleset = tmp_path / "r.toml"
    ruleset.write_text(
        '[ruleset]\nformat = 1\nid = "w"\n[statuses.green]\n'
        f"label = {json.dumps(label)}\n"
        '[[indicator]]\nid = "x"\nunit = "percent"\ntarget = "90%"\n'
        'tolerance = { relative = "10%" }\n',
        encoding="utf-8",
    )
    data = tmp_path / "d.csv"
    data.write_text("indicator,area,period,value\nx,A1,2024/25 Q1,95%\n", encoding="utf-8")
    page = tmp_path / "p.html"
    assert main(["rate", str(ruleset), str(data), "--format", "html", "-o", str(page)]) == 0
    assert main(["audit", str(ruleset), str(data), "--published", str(page)]) == 0


def test_line_breaks_and_tabs_in_commentary_are_spaces_on_a_page() -> None:
    report = _report(commentary="Staff short.\r\nAgency cover from October.\tTabbed.")
    shown = "".join(_read(to_html(report)).text)
    assert "Staff short.  Agency cover from October. Tabbed." in shown
    assert "\\x0a" not in shown and "\\x09" not in shown
