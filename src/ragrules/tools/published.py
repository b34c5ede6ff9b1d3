"""Checking a published committee paper (an HTML page or an Excel workbook that `ragrules
rate` wrote) against the ruleset and data it claims: the same ruleset fingerprint, the same
data digest, and every status as the rules give it, so a status edited by hand is found."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import attrs

from ragrules.engine.report import Report
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import read_fills, read_rows
from ragrules.model.errors import DataError, Problem
from ragrules.model.words import status_named
from ragrules.reports._colours import paper_fills

_BACKGROUND = re.compile(r"background:\s*(#[0-9a-fA-F]{6})")

# A series as a paper names it: indicator id, area code and breakdown (`sex=Male`).
Series = tuple[str, str, str]


@attrs.frozen(kw_only=True)
class Paper:
    """What a published paper says: its fingerprint, data digest and statuses (as written,
    the ruleset's labels) by series."""

    fingerprint: str = ""
    data_digest: str = ""
    statuses: tuple[tuple[Series, str], ...] = ()
    # The colour each status's tile shows (an HTML page's badges; a workbook's are not read).
    colours: tuple[tuple[Series, str], ...] = ()


@attrs.frozen(kw_only=True)
class Edited:
    """A status the paper shows that the rules do not give: edited by hand (or rated with
    other rules or data)."""

    series: Series
    published: str
    computed: str

    def __str__(self) -> str:
        return (
            f"{series_text(self.series)}: the paper shows {self.published!r}, "
            f"the rules give {self.computed!r}"
        )


def series_text(series: Series) -> str:
    """A series as a line of the check names it: `lac-supervision E09 sex=Male`."""
    return " ".join(part for part in series if part)


@attrs.frozen(kw_only=True)
class PaperCheck:
    """The paper against the report the ruleset and data make."""

    report: Report
    paper: Paper
    checked: int
    edited: tuple[Edited, ...]
    missing: tuple[Series, ...]  # results the paper does not show
    extra: tuple[Series, ...] = ()  # rows the paper shows that no result is

    @property
    def same_rules(self) -> bool:
        return self.paper.fingerprint == self.report.fingerprint

    @property
    def same_data(self) -> bool:
        return self.paper.data_digest == self.report.data_digest

    @property
    def verified(self) -> bool:
        return (
            self.same_rules
            and self.same_data
            and not self.edited
            and not self.missing
            and not self.extra
        )


def read_paper(path: Path) -> Paper:
    """The paper at `path`: `.html`/`.htm` or `.xlsx`, as `ragrules rate` writes them."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc.strerror or str(exc)) from None
    if suffix in (".html", ".htm"):
        return _html_paper(data.decode("utf-8", errors="replace"))
    if suffix == ".xlsx":
        return _xlsx_paper(data, str(path))
    raise _unreadable(path, "a published paper is an .html page or an .xlsx workbook")


def check_paper(
    ruleset: Ruleset, observations: Iterable[object], paper: Paper, period: str | None = None
) -> PaperCheck:
    """Rate the data with the ruleset and compare every status the paper shows."""
    report = ruleset.rate(observations, period=period)
    # Every row the paper shows: a series shown twice (a row copied and edited) is edited.
    shown: dict[Series, list[str]] = {}
    for series, text in paper.statuses:
        shown.setdefault(series, []).append(text)
    colours = dict(paper.colours)
    areas = {area for (_, area, _) in shown}  # a paper of one area (`--per-area`) shows one
    edited, missing = [], []
    checked = 0
    given = set()
    for result in report.results:
        breakdown = "; ".join(f"{name}={value}" for name, value in result.breakdown)
        series = (result.indicator.id, result.area, breakdown)
        given.add(series)
        texts = shown.get(series)
        if texts is None:
            if result.area in areas:
                missing.append(series)
            continue
        checked += 1
        if len(texts) > 1:
            shows = f"{len(texts)} rows: {', '.join(texts)}"
            edited.append(Edited(series=series, published=shows, computed=result.reported_status))
            continue
        (text,) = texts
        statuses = (*result.indicator.scale.statuses, result.reported_status)
        colour = colours.get(series, "")
        expected = paper_fills(result.reported_status, ruleset)
        if colour and colour.lower() not in expected:  # recoloured, its word left alone
            text = f"{text} (coloured {colour})"
            edited.append(Edited(series=series, published=text, computed=result.reported_status))
        elif status_named(text, statuses, ruleset.statuses) != result.reported_status:
            edited.append(Edited(series=series, published=text, computed=result.reported_status))
    return PaperCheck(
        report=report,
        paper=paper,
        checked=checked,
        edited=tuple(edited),
        missing=tuple(missing),
        extra=tuple(series for series in shown if series not in given),
    )


class _Page(HTMLParser):
    """The meta tags and the "All indicators" rows of a page `to_html` wrote, as a reader
    sees them: what the `hidden` attribute or an inline style (`display: none`,
    `visibility: hidden`) hides is not read, so a hidden badge is no status the paper
    shows. (A stylesheet's rules are not applied: a browser shows what they do.)"""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.statuses: list[tuple[Series, str]] = []
        self.colours: list[tuple[Series, str]] = []
        self.series: Series | None = None
        self.open: list[tuple[str, bool]] = []  # the elements open here, each hidden or not
        self.status_at = 0  # the depth of the badge being read; 0 when none is
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        found: dict[str, str] = {}
        for name, value in attributes:  # an attribute given twice: the first, as browsers
            found.setdefault(name, value or "")
        if tag not in _VOID:
            hides = "hidden" in found or _HIDING.search(found.get("style", "")) is not None
            self.open.append((tag, hides))
        if tag == "meta" and found.get("name", "").startswith("ragrules-"):
            self.meta[found["name"]] = found.get("content", "")
        elif tag == "tr" and "data-indicator" in found:
            self.series = (
                found["data-indicator"],
                found.get("data-area", ""),
                found.get("data-breakdown", ""),
            )
        elif (
            tag == "span"
            and self.series is not None
            and not self.status_at
            and not self.hidden
            and "status" in found.get("class", "").split()
        ):
            self.status_at, self.text = len(self.open), []
            background = _BACKGROUND.search(found.get("style", ""))
            if background is not None:
                self.colours.append((self.series, background.group(1)))

    @property
    def hidden(self) -> bool:
        """Whether an element open here hides what is in it."""
        return any(hides for _, hides in self.open)

    def handle_data(self, data: str) -> None:
        if self.status_at and not self.hidden:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _ in self.open):  # closes it, and what it left open
            while self.open.pop()[0] != tag:
                pass
        if self.status_at and len(self.open) < self.status_at and self.series is not None:
            self.statuses.append((self.series, "".join(self.text).strip()))
            self.status_at, self.series = 0, None  # the first badge: the reported status
        elif tag == "tr":
            self.series = None


# Elements with no end tag, and the inline styles that hide an element from its reader.
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_HIDING = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))", re.I)


def _html_paper(text: str) -> Paper:
    page = _Page()
    page.feed(text)
    return Paper(
        fingerprint=page.meta.get("ragrules-fingerprint", ""),
        data_digest=page.meta.get("ragrules-data-digest", ""),
        statuses=tuple(page.statuses),
        colours=tuple(page.colours),
    )


def _xlsx_paper(data: bytes, source: str) -> Paper:
    about = {row[0]: row[1] for _, row in read_rows(data, source, "Summary") if len(row) > 1}
    rows = list(read_rows(data, source, "Indicators"))
    if not rows:
        raise DataError(
            problems=(Problem(file=source, message="the workbook has no Indicators sheet"),)
        )
    header = rows[0][1]
    at = {name: header.index(name) for name in ("Indicator", "Area", "Breakdown", "Status")}
    fills = read_fills(data, source, "Indicators", at["Status"] + 1)  # behind each word
    statuses, colours = [], []
    for number, cells in rows[1:]:
        cells = cells + [""] * (len(header) - len(cells))
        series = (cells[at["Indicator"]], cells[at["Area"]], cells[at["Breakdown"]])
        statuses.append((series, cells[at["Status"]]))
        colour = fills.get(number)
        if colour:
            colours.append((series, colour))
    return Paper(
        fingerprint=about.get("Fingerprint", ""),
        data_digest=about.get("Data", ""),
        statuses=tuple(statuses),
        colours=tuple(colours),
    )


def _unreadable(path: Path, why: str) -> DataError:
    return DataError(problems=(Problem(file=str(path), message=f"cannot read the paper: {why}"),))
