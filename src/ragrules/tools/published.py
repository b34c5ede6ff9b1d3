"""Checking a published committee paper (an HTML page or an Excel workbook that `ragrules
rate` wrote) against the ruleset and data it claims: the same ruleset fingerprint, the same
data digest, and every status as the rules give it, so a status edited by hand is found."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import attrs

from ragrules.engine.report import Report
from ragrules.engine.ruleset import Ruleset
from ragrules.formats.data import read_fills, read_rows
from ragrules.model._text import shown_in_text
from ragrules.model.errors import DataError, Problem
from ragrules.model.words import StatusWords
from ragrules.reports._colours import paper_fills
from ragrules.tools._paper_page import PageReader, Series
from ragrules.tools._published_words import published_status, statuses_of


@attrs.frozen(kw_only=True)
class Paper:
    """What a published paper says: its fingerprint, data digest and statuses (as written,
    the ruleset's labels) by series."""

    fingerprint: str = ""
    data_digest: str = ""
    statuses: tuple[tuple[Series, str], ...] = ()
    # The colour each status's tile shows (an HTML page's badge, a workbook's fill).
    colours: tuple[tuple[Series, str], ...] = ()
    # The areas the paper says it reports (one, for `--per-area`); None when it does not
    # say, and then every result is expected in it.
    areas: tuple[str, ...] | None = None
    # Why the paper cannot be read as one paper (it names two fingerprints): not verified.
    doubts: tuple[str, ...] = ()


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
        """The same rules and data, every status as they give it, none missing or extra,
        at least one checked, and nothing in the paper said two ways."""
        return (
            self.same_rules
            and self.same_data
            and self.checked > 0
            and not self.edited
            and not self.missing
            and not self.extra
            and not self.paper.doubts
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
    areas = None if paper.areas is None else set(paper.areas)  # `--per-area`: one area
    edited, missing = [], []
    checked = 0
    given = set()
    for result in report.results:
        breakdown = "; ".join(f"{name}={value}" for name, value in result.breakdown)
        series = (result.indicator.id, result.area, breakdown)
        given.add(series)
        texts = shown.get(series)
        if texts is None:
            if areas is None or result.area in areas:
                missing.append(series)
            continue
        checked += 1
        if len(texts) > 1:
            shows = f"{len(texts)} rows: {', '.join(texts)}"
            edited.append(Edited(series=series, published=shows, computed=result.reported_status))
            continue
        (text,) = texts
        # The statuses of the indicator's polarity (a significance scale's `Similar`, not its
        # neutral `similar`), each read by its exact name first.
        statuses = (*statuses_of(result.indicator), result.reported_status)
        colour = colours.get(series, "")
        expected = paper_fills(result.reported_status, ruleset)
        if colour and colour.lower() not in expected:  # recoloured, its word left alone
            text = f"{text} (coloured {colour})"
            edited.append(Edited(series=series, published=text, computed=result.reported_status))
        elif published_status(text, statuses, _as_shown(statuses, ruleset.statuses)) != (
            result.reported_status
        ):
            edited.append(Edited(series=series, published=text, computed=result.reported_status))
    return PaperCheck(
        report=report,
        paper=paper,
        checked=checked,
        edited=tuple(edited),
        missing=tuple(missing),
        extra=tuple(series for series in shown if series not in given),
    )


def _as_shown(statuses: tuple[str, ...], words: tuple[StatusWords, ...]) -> tuple[StatusWords, ...]:
    r"""The ruleset's words for the statuses, and each as an HTML page shows it: a name, label
    or synonym holding a control or bidi character is written there with it as `\u202e`, and
    the page ragrules wrote must read back as the status it shows."""
    shown = [
        attrs.evolve(
            entry,
            synonyms=(*entry.synonyms, *(shown_in_text(n) for n in (entry.label, *entry.synonyms))),
        )
        for entry in words
    ]
    shown += [
        StatusWords(status=status, synonyms=(shown_in_text(status),))
        for status in statuses
        if shown_in_text(status) != status
    ]
    return tuple(shown)


def _html_paper(text: str) -> Paper:
    page = PageReader()
    page.feed(text)
    page.close()
    meta = {name: values[0] for name, values in page.meta.items()}
    return Paper(
        fingerprint=meta.get("ragrules-fingerprint", ""),
        data_digest=meta.get("ragrules-data-digest", ""),
        statuses=tuple(page.statuses),
        colours=tuple((series, colour) for series, colour in page.colours if colour),
        areas=page.areas(),
        doubts=_given_twice(page.meta.items(), "meta tags"),
    )


def _given_twice(named: Iterable[tuple[str, list[str]]], where: str) -> tuple[str, ...]:
    """Why a paper cannot be read as one: it names two fingerprints, digests or lists of
    areas (`where` says where: its meta tags, its Summary sheet)."""
    return tuple(
        f"its {where} give {name} {len(set(values))} ways: {', '.join(map(repr, values))}"
        for name, values in named
        if len(set(values)) > 1
    )


def _xlsx_paper(data: bytes, source: str) -> Paper:
    given: dict[str, list[str]] = {}
    for _, row in read_rows(data, source, "Summary"):
        if len(row) > 1 and row[0] in _SUMMARY_LABELS:
            given.setdefault(row[0], []).append(row[1])
    about = {label: values[0] for label, values in given.items()}
    rows = list(read_rows(data, source, "Indicators"))
    if not rows:
        raise _unreadable(Path(source), "its Indicators sheet has no rows (not even a header)")
    header = rows[0][1]
    at = {}
    for name in ("Indicator", "Area", "Breakdown", "Status"):
        count = header.count(name)
        if count != 1:
            has = f"{count} {name!r} columns" if count else f"no {name!r} column"
            raise _unreadable(
                Path(source),
                f"its Indicators sheet has {has} (its header: {', '.join(map(repr, header))}); "
                "a paper ragrules wrote has one",
            )
        at[name] = header.index(name)
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
        areas=_areas(about.get("Areas")),
        doubts=_given_twice(given.items(), "Summary rows"),
    )


_SUMMARY_LABELS = ("Fingerprint", "Data", "Areas")


def _areas(text: str | None) -> tuple[str, ...] | None:
    """The areas a workbook's Summary says it reports (a JSON list of codes), or None."""
    try:
        areas = json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
    if not isinstance(areas, list) or not all(isinstance(area, str) for area in areas):
        return None
    return tuple(areas)


def _unreadable(path: Path, why: str) -> DataError:
    return DataError(problems=(Problem(file=str(path), message=f"cannot read the paper: {why}"),))
