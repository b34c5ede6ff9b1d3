"""Reading `[statuses]`: a ruleset's own words for its statuses (labels, synonyms, colours)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from ragrules.formats.loading._getters import Getters
from ragrules.formats.loading._in_use import ScalesInUse
from ragrules.model.errors import close_matches
from ragrules.model.rollups import Rollup
from ragrules.model.rules import Scale, Unrated
from ragrules.model.words import StatusWords, spelling

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_HINT = '[statuses.green] label = "Achieved", synonyms = ["Met"], colour = "#00703c"'


class WordsReader(Getters):
    """`[statuses.NAME]` tables, each for a status of the ruleset's scales or a reason not to
    rate (`no-target` written "Data only")."""

    def status_words(
        self, raw: object, in_use: ScalesInUse, rollups: Sequence[Rollup] = ()
    ) -> tuple[StatusWords, ...]:
        # Every status a report can show: each period's scale, forecasts', roll-ups', and
        # the reasons not to rate.
        scales = [*(scale for scale, _ in in_use.rated), *in_use.forecasts]
        known = list(
            dict.fromkeys(
                [status for scale in scales for status in scale.statuses]
                + [status for rollup in rollups for status in rollup.statuses]
                + [reason.value for reason in Unrated]
            )
        )
        names = tuple(raw) if isinstance(raw, dict) else ()
        found: list[StatusWords] = []
        spelled: dict[str, str] = {}
        for status, body in self.table(raw, "statuses", names).items():
            path = f"statuses.{status}"
            if status not in known:
                close = close_matches(status, known)
                self.problem(
                    path,
                    f"{status!r} is not a status of the ruleset's scales or a reason not to rate",
                    f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(known)}",
                )
                continue
            table = self.table(body, path, ("label", "synonyms", "colour", "order"))
            label = self.string(table["label"], f"{path}.label") or "" if "label" in table else ""
            synonyms = table.get("synonyms", [])
            if not isinstance(synonyms, list) or not all(
                isinstance(s, str) and s.strip() for s in synonyms
            ):
                self.problem(f"{path}.synonyms", "expected a list of words", _HINT)
                synonyms = []
            colour = table.get("colour", "")
            if "colour" in table and (not isinstance(colour, str) or not _COLOUR.fullmatch(colour)):
                self.problem(f"{path}.colour", "a colour is written #rrggbb", 'e.g. "#00703c"')
                colour = ""
            for name in (label, *synonyms):
                key = spelling(name)
                other = next((k for k in known if k != status and spelling(k) == key), None)
                if other is not None:
                    self.problem(
                        path,
                        f"{name!r} is the name of the status {other!r}",
                        "a status's words cannot be another status's name",
                    )
                elif key and spelled.setdefault(key, status) != status:
                    self.problem(
                        path,
                        f"{name!r} already names {spelled[key]!r}",
                        "a word may name one status only",
                    )
            order = table.get("order")
            if order is not None and (type(order) is not int or order < 0):
                self.problem(f"{path}.order", "an order is a whole number", "e.g. order = 1")
                order = None
            found.append(
                StatusWords(
                    status=status,
                    label=label,
                    synonyms=tuple(synonyms),
                    colour=colour,
                    order=order,
                )
            )
        self._check_order(found, scales, rollups)
        return tuple(found)

    def _check_order(
        self, found: Sequence[StatusWords], scales: Sequence[Scale], rollups: Sequence[Rollup]
    ) -> None:
        """An order lists statuses from several scales together: it may not put two statuses
        at one place, nor contradict a scale's own order (best first)."""
        orders: dict[str, int] = {}
        for entry in found:
            if entry.order is None:
                continue
            other = next((s for s, n in orders.items() if n == entry.order), None)
            if other is not None:
                self.problem(
                    f"statuses.{entry.status}.order",
                    f"order {entry.order} is also {other!r}'s",
                    "give each status its own place",
                )
            orders.setdefault(entry.status, entry.order)
        # A significance scale ranks its judged statuses; the unjudged (higher, lower) have
        # no rank, so any order lists them.
        rankings = [
            scale.significance.judged if scale.significance is not None else scale.statuses
            for scale in scales
        ]
        rankings += [rollup.statuses for rollup in rollups]
        for ranking in dict.fromkeys(rankings):
            placed = [status for status in ranking if status in orders]
            for better, worse in itertools.pairwise(placed):
                if orders[better] > orders[worse]:
                    self.problem(
                        f"statuses.{worse}.order",
                        f"order {orders[worse]} lists {worse!r} before {better!r} "
                        f"(order {orders[better]}), but a scale ranks {better!r} above it",
                        "an order lists statuses best first, as every scale does",
                    )
                    return
