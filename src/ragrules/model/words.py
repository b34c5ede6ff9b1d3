"""A ruleset's own words for its statuses: a label, the synonyms published reports use, and
a colour; and how a status written in a report is read back as one of them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

from ragrules.model._text import column_key


@attrs.frozen(kw_only=True)
class StatusWords:
    """How a status is written: `label` in reports, `synonyms` also read from the data and
    published reports, `colour` (`#rrggbb`) for its tile, and `order`: where reports list it
    among the statuses of every scale (lowest first), where several scales meet."""

    status: str
    label: str = ""
    synonyms: tuple[str, ...] = ()
    colour: str = ""
    order: int | None = None


def merged(rankings: Iterable[Sequence[str]]) -> list[str]:
    """Statuses of several scales, each best first, as one list that keeps every scale's
    order where it can (`rag` and `brag` give blue, green, amber, red, not blue last)."""
    found: list[str] = []
    for ranking in rankings:
        for index, status in enumerate(ranking):
            if status in found:
                continue
            later = next((s for s in ranking[index + 1 :] if s in found), None)
            found.insert(found.index(later) if later is not None else len(found), status)
    return found


def in_order(statuses: Iterable[str], words: tuple[StatusWords, ...]) -> tuple[str, ...]:
    """Statuses as reports list them: those the ruleset orders by their `order`, then the
    rest as they came (each scale's best first)."""
    orders = {entry.status: entry.order for entry in words if entry.order is not None}
    found = tuple(dict.fromkeys(statuses))
    return tuple(sorted(found, key=lambda status: (status not in orders, orders.get(status, 0))))


_TRAILING = re.compile(r"[\s.!;:,]+$")


def spelling(text: str) -> str:
    """Text as statuses are compared: trimmed of trailing punctuation, case and spacing."""
    return " ".join(_TRAILING.sub("", text).casefold().split())


def status_named(text: str, statuses: tuple[str, ...], words: tuple[StatusWords, ...] = ()) -> str:
    """A status as a report writes it, in the scale's words: `R`, `Red` and ` red ` are `red`;
    with the ruleset's words, `Achieved` and `Target achieved.` are the status they name.

    Text that names no status comes back as a key (`purple`), for the caller to refuse.
    """
    word = column_key(_TRAILING.sub("", text)).replace("_", "-")  # `No target.` too
    if word in statuses:  # a status's own name first: no word of the ruleset's shadows it
        return word
    written = spelling(text)
    named = next((s for s in statuses if spelling(s) == written), None)
    if named is not None:  # a status named in words, `above England`, however cased
        return named
    for entry in words:
        if entry.status in statuses and written in {
            spelling(name) for name in (entry.label, *entry.synonyms) if name
        }:
            return entry.status
    initials = [status for status in statuses if status[0] == word[:1]]
    return initials[0] if len(word) == 1 and len(initials) == 1 else word
