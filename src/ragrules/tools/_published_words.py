"""How an auditor reads a status a report published: among the statuses the indicator can get
(its polarity's), its exact name before a case-blind reading, and the words publishers print
for a row they did not rate (`N/A`, `-`, Fingertips' `Not compared`).

A significance scale names its statuses for a judged indicator (`Better`, `Similar`, `Worse`)
and for a neutral one (`higher`, `similar`, `lower`) apart: a published `Similar` is read among
the statuses of the indicator's polarity, and as `Similar` before `similar` wherever a scale
has both.
"""

from __future__ import annotations

import re

from ragrules.model.observations import SUPPRESSED_TOKENS, is_no_data
from ragrules.model.rules import Indicator, Tokens, Unrated
from ragrules.model.words import StatusWords, spelling, status_named

# What publishers print for a row they did not rate, besides the no-data and suppression
# tokens (`N/A`, `-`, `*`) and the names of ragrules' own unrated reasons (`No data`, ...).
UNRATED_WORDS = ("not compared", "not comparable", "not rated", "unrated", "not applicable")

_TRAILING = re.compile(r"[\s.!;:,]+$")  # as `status_named` reads `Similar.`
_REASONS = frozenset(reason.value for reason in Unrated)


def statuses_of(indicator: Indicator) -> tuple[str, ...]:
    """The statuses the indicator can get, best first: its polarity's, not every name the
    scale has (a significance scale's judged and neutral statuses merged)."""
    return indicator.scale.statuses_for(indicator.polarity)


def published_status(
    text: str, statuses: tuple[str, ...], words: tuple[StatusWords, ...] = ()
) -> str:
    """A published status read as one of `statuses`: its exact name (`Similar`, `Similar.`)
    first, then as `status_named` reads it, whatever its case, spacing or initial, or in the
    ruleset's words. Text that names none comes back as `status_named` gives it, for the
    caller to refuse."""
    written = _TRAILING.sub("", text.strip())
    if written in statuses:
        return written
    named = status_named(text, statuses, words)
    if len(written) != 1 or (named in statuses and _spelled(written, named, words)):
        return named
    # An initial: `S` is `Similar` of Better, Similar, Worse, higher, similar, lower (and
    # `s` is `similar`): one status of the same letter in the same case first, then in either.
    exact = [status for status in statuses if status[:1] == written]
    either = [status for status in statuses if status[:1].casefold() == written.casefold()]
    return next((found[0] for found in (exact, either) if len(found) == 1), named)


def _spelled(letter: str, status: str, words: tuple[StatusWords, ...]) -> bool:
    """True when a one-letter status is `status`'s own name or one of the ruleset's words
    for it, not its initial: a name or word is read before an initial."""
    names = (status, *(n for e in words if e.status == status for n in (e.label, *e.synonyms)))
    return spelling(letter) in {spelling(name) for name in names if name}


def says_unrated(
    text: str, words: tuple[StatusWords, ...] = (), tokens: Tokens | None = None
) -> bool:
    """True for a word publishers print for a row they did not rate: a no-data or suppression
    token (`N/A`, `-`, `*`, and the ruleset's own `tokens`), one of `UNRATED_WORDS` (`Not
    compared`), an unrated reason's name (`no-data`, `No target`) or the ruleset's own word
    for one (its label or a synonym: `Data only`)."""
    token = " ".join(text.lower().split())
    if (
        is_no_data(text, tokens)
        or token in SUPPRESSED_TOKENS
        or (tokens is not None and token in tokens.suppressed)
    ):
        return True
    written = _plain(text)
    if written in UNRATED_WORDS or written in {_plain(reason) for reason in _REASONS}:
        return True
    return any(
        entry.status in _REASONS
        and written in {_plain(name) for name in (entry.label, *entry.synonyms) if name}
        for entry in words
    )


def _plain(text: str) -> str:
    """Text compared case-, spacing-, hyphen- and trailing-punctuation-blind."""
    return " ".join(spelling(text).replace("-", " ").replace("_", " ").split())
