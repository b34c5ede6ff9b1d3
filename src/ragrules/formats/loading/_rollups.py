"""Reading `[[rollup]]`: groups of indicators (services, directorates, themes) and their rules."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ragrules.formats.loading._amounts import Amounts
from ragrules.formats.loading._getters import _kind
from ragrules.model.errors import close_matches
from ragrules.model.numbers import EXACT
from ragrules.model.rollups import Rollup, RollupBand, RollupRule
from ragrules.model.rules import Indicator, Polarity
from ragrules.model.words import merged

_ROLLUP_KEYS = (
    "id",
    "title",
    "description",
    "members",
    "rule",
    "weights",
    "counting",
    "points",
    "bands",
)
_HINT = 'e.g. [[rollup]] id = "housing", members = ["pi-1", "pi-2"], rule = "worst"'
MAX_ROLLUPS = 2_000


@attrs.frozen
class Ranked:
    """What a roll-up member can be rated: `order`, its statuses from best to worst across
    every version of its scale (`rag` then `brag`: blue, green, amber, red); `possible`, every
    status its scales have (a share may count, a score must give points for, each); and `why`
    the statuses have no one order from best to worst ('' when they do)."""

    order: tuple[str, ...]
    possible: tuple[str, ...]
    why: str = ""


def ranked(indicator: Indicator) -> Ranked:
    """An indicator's statuses from best to worst, whichever version rates it: each version's
    scale ranks its own (`statuses_for` its polarity), and the merge keeps every ranking. The
    statuses have no one order when a version ranks two of them the other way round from
    another, when no version ranks two of them against each other (scales sharing no status),
    or when a version rates on a significance scale with no polarity: `higher`, `similar` and
    `lower` say which way the value differs, not which is better."""
    versions = indicator.versions
    rankings = list(dict.fromkeys(v.scale.statuses_for(v.polarity) for v in versions))
    order = tuple(merged(rankings))
    possible = tuple(dict.fromkeys((*order, *(s for v in versions for s in v.scale.statuses))))
    unjudged = next(
        (v.scale for v in versions if v.scale.significance and v.polarity is Polarity.NEUTRAL),
        None,
    )
    if unjudged is not None and unjudged.significance is not None:
        labels = ", ".join(unjudged.significance.unjudged)
        why = (
            f"a neutral indicator on significance scale {unjudged.name!r} is rated {labels}, "
            "which say which way it differs, not which is better"
        )
        return Ranked(order, possible, why)
    # Ranked by some version, best first: (better, worse) pairs, in the rankings' order.
    pairs = {(a, b): None for ranking in rankings for a, b in itertools.combinations(ranking, 2)}
    for better, worse in pairs:
        if (worse, better) in pairs:
            return Ranked(order, possible, _contradiction(better, worse, indicator))
    for better, worse in itertools.pairwise(order):
        if (better, worse) not in pairs:
            why = f"no scale of its ({_scales(indicator)}) ranks {better!r} against {worse!r}"
            return Ranked(order, possible, why)
    return Ranked(order, possible)


def _contradiction(better: str, worse: str, indicator: Indicator) -> str:
    return f"its scales ({_scales(indicator)}) rank {better!r} and {worse!r} both ways round"


def _scales(indicator: Indicator) -> str:
    return ", ".join(dict.fromkeys(v.scale.name for v in indicator.versions))


class RollupReader(Amounts):
    """`[[rollup]]` tables, each checked against the indicators and the roll-ups before it."""

    def rollups(self, raw: object, indicators: Sequence[Indicator]) -> tuple[Rollup, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem("rollup", "expected [[rollup]] tables", "write each as [[rollup]]")
            return ()
        if len(raw) > MAX_ROLLUPS:
            self.problem("rollup", f"more than {MAX_ROLLUPS:,} roll-ups", "split the ruleset")
            return ()
        # What each member can be rated: an indicator's statuses, or a roll-up's.
        known = {i.id: ranked(i) for i in indicators}
        found: list[Rollup] = []
        for index, item in enumerate(raw):
            rollup = self.rollup(item, f"rollup[{index}]", known)
            if rollup is not None:
                known[rollup.id] = Ranked(rollup.statuses, rollup.statuses)
                found.append(rollup)
        return tuple(found)

    def rollup(self, raw: object, path: str, known: dict[str, Ranked]) -> Rollup | None:
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}", _HINT)
            return None
        before = self.count
        body = self.table(raw, path, _ROLLUP_KEYS)
        for key in ("id", "members", "rule"):
            if key not in body:
                self.problem(path, f"a roll-up needs {key}", _HINT)
        if self.count > before:
            return None
        rollup_id = self.string(body["id"], f"{path}.id")
        if not rollup_id:
            if rollup_id == "":
                self.problem(f"{path}.id", "the roll-up id is empty")
            return None
        if rollup_id in known:
            self.problem(
                f"{path}.id",
                f"{rollup_id!r} is already an indicator or roll-up id",
                "give each roll-up an id of its own",
            )
            return None
        title = self.string(body["title"], f"{path}.title") or "" if "title" in body else ""
        members = self._members(body["members"], f"{path}.members", known)
        rule = self.choice(body["rule"], f"{path}.rule", RollupRule)
        if members is None or rule is None:
            return None
        ranks = [known[m] for m in members]
        statuses = [r.order for r in ranks]
        weights = self._numbers(body.get("weights"), f"{path}.weights", members, positive=True)
        if rule in (RollupRule.WORST, RollupRule.MAJORITY):
            unordered = next(((m, r) for m, r in zip(members, ranks, strict=True) if r.why), None)
            if unordered is not None:
                member, rank = unordered
                self.problem(
                    f"{path}.members",
                    f"{rule.value} needs members whose statuses go from best to worst; "
                    f"{member}'s do not: {rank.why}",
                    'rate it with rule = "share" or "score", which have bands',
                )
                return None
            if len(set(statuses)) > 1:
                self.problem(
                    f"{path}.members",
                    f"{rule.value} needs members rated in the same statuses, best first; these "
                    "have "
                    + "; ".join(
                        f"{m}: {', '.join(s)}" for m, s in zip(members, statuses, strict=True)
                    ),
                    'rate mixed scales with rule = "share" or "score", which have bands',
                )
                return None
            for key in ("counting", "points", "bands"):
                if key in body:
                    self.problem(
                        f"{path}.{key}",
                        f"rule {rule.value!r} takes no {key}",
                        f"{key} belongs to share or score roll-ups",
                    )
            if rule is RollupRule.WORST and "weights" in body:
                self.problem(f"{path}.weights", "rule 'worst' takes no weights")
            bands: tuple[RollupBand, ...] | None = ()
            own = statuses[0]  # the members' statuses
        else:
            bands = self._bands(body.get("bands"), f"{path}.bands", rule)
            own = tuple(dict.fromkeys(band.status for band in bands or ()))
        possible = tuple(dict.fromkeys(s for rank in ranks for s in rank.possible))
        counted: tuple[str, ...] = ()
        points: tuple[tuple[str, Decimal], ...] = ()
        if rule is RollupRule.SHARE:
            counted = self._counting(body.get("counting"), f"{path}.counting", possible)
            if "points" in body:
                self.problem(f"{path}.points", "rule 'share' takes no points", "use counting")
        elif rule is RollupRule.SCORE:
            points = self._numbers(body.get("points"), f"{path}.points", possible, every=True) or ()
            if "counting" in body:
                self.problem(f"{path}.counting", "rule 'score' takes no counting", "use points")
        if self.count > before or bands is None:
            return None
        return Rollup(
            id=rollup_id,
            title=title,
            members=members,
            rule=rule,
            statuses=own,
            weights=weights or (),
            counted=counted,
            points=points,
            bands=bands,
        )

    def _members(self, raw: object, path: str, known: dict[str, Ranked]) -> tuple[str, ...] | None:
        if not isinstance(raw, list) or not raw or not all(isinstance(m, str) for m in raw):
            self.problem(path, "expected a list of indicator or roll-up ids", _HINT)
            return None
        members: list[str] = []
        for index, member in enumerate(raw):
            if member in members:
                self.problem(f"{path}[{index}]", f"{member!r} is listed twice")
            elif member not in known:
                close = close_matches(member, list(known))
                self.problem(
                    f"{path}[{index}]",
                    f"no indicator or earlier roll-up {member!r}",
                    f"did you mean {close[0]!r}?"
                    if close
                    else "name an indicator, or a roll-up defined before this one",
                )
            else:
                members.append(member)
        return tuple(members) if len(members) == len(raw) else None

    def _numbers(
        self,
        raw: object,
        path: str,
        names: Sequence[str],
        *,
        positive: bool = False,
        every: bool = False,
    ) -> tuple[tuple[str, Decimal], ...] | None:
        """`{ NAME = number }` for names among `names` (all of them when `every`)."""
        if raw is None:
            if every:
                self.problem(
                    path,
                    "a score needs points for each status",
                    "e.g. { green = 3, amber = 2, red = 1 }",
                )
            return None
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}")
            return None
        found = []
        for name, value in self.table(raw, path, tuple(names)).items():
            number = self.quantity(value, f"{path}.{name}", "number")
            if number is None:
                continue
            if positive and number <= 0:
                self.problem(f"{path}.{name}", "a weight must be above zero")
                continue
            found.append((name, number))
        missing = [name for name in names if name not in raw]
        if every and missing:
            self.problem(path, f"no points for {', '.join(missing)}", "give each status points")
        return tuple(found)

    def _counting(self, raw: object, path: str, possible: tuple[str, ...]) -> tuple[str, ...]:
        if not isinstance(raw, list) or not raw or not all(isinstance(s, str) for s in raw):
            self.problem(path, "a share needs the statuses it counts", 'e.g. counting = ["green"]')
            return ()
        for index, status in enumerate(raw):
            if status not in possible:
                self.problem(
                    f"{path}[{index}]",
                    f"{status!r} is not a status of the members ({', '.join(possible)})",
                )
        return tuple(dict.fromkeys(raw))

    def _bands(self, raw: object, path: str, rule: RollupRule) -> tuple[RollupBand, ...] | None:
        example = '"75%"' if rule is RollupRule.SHARE else "2.5"
        hint = f'e.g. bands = [{{ status = "green", at-least = {example} }}, {{ status = "red" }}]'
        if not isinstance(raw, list) or len(raw) < 2:
            self.problem(
                path, f"a {rule.value} needs bands, best first, the last with no at-least", hint
            )
            return None
        bands: list[RollupBand] = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            body: dict[str, Any] = self.table(item, where, ("status", "at-least"))
            status = self.string(body["status"], f"{where}.status") if "status" in body else None
            if not status:
                self.problem(where, "a band needs a status", hint)
                continue
            last = index == len(raw) - 1
            if last != ("at-least" not in body):
                self.problem(
                    where,
                    "only the last band has no at-least"
                    if not last
                    else "the last band takes every other value: remove at-least",
                    hint,
                )
                continue
            at_least = None
            if not last:
                at_least = (
                    self.percentage(body["at-least"], f"{where}.at-least")
                    if rule is RollupRule.SHARE
                    else self.quantity(body["at-least"], f"{where}.at-least", "number")
                )
                if at_least is None:
                    continue
                if rule is RollupRule.SHARE:
                    at_least = at_least.scaleb(2, EXACT)  # a share is compared in percent
                    if not 0 <= at_least <= 100:
                        self.problem(f"{where}.at-least", "a share is from 0% to 100%", hint)
                        continue
                if bands and bands[-1].at_least is not None and at_least >= bands[-1].at_least:
                    self.problem(
                        f"{where}.at-least",
                        f"band {status!r} starts no lower than the band before it, so it can "
                        "never be reached",
                        "list bands best first, each starting lower",
                    )
                    continue
            bands.append(RollupBand(status=status, at_least=at_least))
        return tuple(bands) if len(bands) == len(raw) else None
