"""What rating produces: a `Report` of one period, with a `Result` per indicator and an account
of every input row, and what a reader derives from it (summary, exceptions, key, explanations)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ragrules.engine import selection
from ragrules.engine.canonical import fingerprint
from ragrules.engine.digest import data_digest
from ragrules.engine.explain import Explanation, Step, explain
from ragrules.engine.key import Key, build_key
from ragrules.engine.result import Rejection, Result
from ragrules.engine.rollups import RollupResult, roll_up, rule_words
from ragrules.engine.selection import Finding, Selection
from ragrules.engine.summary import Summary, summarise
from ragrules.model.errors import Problem, Severity, close_matches
from ragrules.model.observations import Observation
from ragrules.model.periods import Period
from ragrules.model.rules import RulesetData, Unrated

__all__ = ["Rejection", "Report", "Result"]  # Result and Rejection are at home in `result`


@attrs.frozen(kw_only=True)
class Report:
    """The ratings of one period: a result per indicator, and an account of every input row."""

    ruleset: RulesetData
    period: Period | None
    results: tuple[Result, ...]
    history: tuple[int, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    # What the data says that a reader must be told: an empty file, a stray period, ...
    notices: tuple[Problem, ...] = ()
    # The rows of earlier periods, kept for trends (`ragrules.engine.trends`); not part of
    # what is reported.
    earlier_rows: tuple[Observation, ...] = attrs.field(default=(), eq=False, repr=False)
    # The rows the report was rated from (with `rejected`, what `data_digest` digests),
    # and the digest: None until first asked for, then kept. Only a published paper
    # carries it, and it costs a fifth of rating a national file.
    digested: tuple[Observation, ...] = attrs.field(default=(), eq=False, repr=False)
    _data_digest: str | None = attrs.field(default="", eq=False, alias="data_digest")

    @property
    def data_digest(self) -> str:
        """`sha256:...` of the rows the report was rated from and its rejected rows
        (`engine.digest`): a published paper carries it, so that it can be checked against
        the data. Empty for a report not rated from data."""
        if self._data_digest is None:  # digested once, on first use (equal from any thread)
            object.__setattr__(self, "_data_digest", data_digest(self.digested, self.rejected))
        assert self._data_digest is not None
        return self._data_digest

    def result(
        self,
        indicator_id: str,
        area: str | None = None,
        breakdown: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    ) -> Result:
        """The result of one series: an indicator, and (where the data has areas or
        breakdowns) its area and the breakdown values that tell it apart (`{"sex": "Male"}`);
        LookupError when none or several match. The breakdown may be given as a result
        gives it, as (name, value) pairs."""
        wanted = _breakdown(breakdown)
        found = [
            r
            for r in self.results
            if r.indicator.id == indicator_id
            and (area is None or r.area == area)
            and (wanted is None or dict(r.breakdown).items() >= wanted.items())
        ]
        if len(found) == 1:
            return found[0]
        where = "" if area is None else f" in area {area!r}"
        if wanted:
            where += " for " + ", ".join(f"{k}={v!r}" for k, v in wanted.items())
        if not found:
            ids = list(dict.fromkeys(r.indicator.id for r in self.results))
            close = [i for i in ids if i.casefold() == indicator_id.casefold()]
            close = close or close_matches(indicator_id, ids)
            hint = f"did you mean {close[0]!r}?" if close and indicator_id not in ids else ""
            raise NotInReport(f"the report has no indicator {indicator_id!r}{where}", hint)
        raise LookupError(
            f"indicator {indicator_id!r}{where} has {len(found)} results (one per area and "
            "breakdown): give the area and the breakdown"
        )

    @property
    def areas(self) -> tuple[str, ...]:
        """The areas rated, in report order; `("",)` for a single council's data."""
        return tuple(dict.fromkeys(result.area for result in self.results))

    def for_area(self, area: str) -> Report:
        """The report of one area: its results, with their summary, exceptions and key.
        Rejected rows and notices stay with the whole report, which accounts for every row."""
        if area not in self.areas:
            raise LookupError(f"the report has no area {area!r}")
        chosen = tuple(result for result in self.results if result.area == area)
        return Report(
            ruleset=self.ruleset,
            period=self.period,
            results=chosen,
            # All of them: an earlier period's benchmarks and groups are other areas' rows.
            earlier_rows=self.earlier_rows,
            data_digest=self.data_digest,  # rated from the whole data
        )

    def explain(
        self,
        indicator_id: str,
        area: str | None = None,
        breakdown: Mapping[str, str] | None = None,
    ) -> Explanation:
        """The derivation of one series' result, with why it is or is not an exception; for
        a roll-up's id, how its members' statuses give its status."""
        if self.ruleset.rollup(indicator_id) is not None:
            return self._explain_rollup(indicator_id, area, breakdown)
        result = self.result(indicator_id, area, breakdown)
        base = explain(result)
        steps = [*base.steps, self._selection_step(result)]
        steps += [
            Step(text=f"Finding: {finding.message}.", data=(("finding", finding.message),))
            for finding in self.findings
            if finding.indicator == indicator_id and finding.row == result.row
        ]
        if result.indicator.origins:
            where = "; ".join(f"{key} from {place}" for key, place in result.indicator.origins)
            steps.append(Step(text=f"Rules: {where}.", data=tuple(result.indicator.origins)))
        return attrs.evolve(base, steps=tuple(steps))

    def rollup(
        self,
        rollup_id: str,
        area: str | None = None,
        breakdown: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    ) -> RollupResult:
        """A roll-up's result, for one area and breakdown where the data has them;
        LookupError when none or several match."""
        wanted = _breakdown(breakdown)
        found = [
            r
            for r in self.rollups
            if r.rollup.id == rollup_id
            and (area is None or r.area == area)
            and (wanted is None or dict(r.breakdown).items() >= wanted.items())
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            raise LookupError(f"the report has no roll-up {rollup_id!r}")
        raise LookupError(
            f"roll-up {rollup_id!r} has {len(found)} results (one per area and breakdown): "
            "give the area and the breakdown"
        )

    def _explain_rollup(
        self, rollup_id: str, area: str | None, breakdown: Mapping[str, str] | None
    ) -> Explanation:
        found = self.rollup(rollup_id, area, breakdown)
        rollup = found.rollup
        steps = [
            Step(
                text=f"{rollup.id}{f': {rollup.title}' if rollup.title else ''}, rated by "
                f"{rule_words(rollup)}.",
                data=(("rule", rollup.rule.value),),
            )
        ]
        steps += [
            Step(text=f"{member}: {status}.", data=(("member", member), ("status", status)))
            for member, status in found.members
        ]
        steps.append(Step(text=f"So {found.reason}.", data=(("status", found.status),)))
        return Explanation(indicator=rollup.id, status=found.status, steps=tuple(steps))

    def _selection_step(self, result: Result) -> Step:
        for section, chosen in (
            ("the exception report", self.exceptions),
            ("of particular note", self.of_particular_note),
        ):
            for selection_ in chosen:
                if selection_.result is result:
                    reasons = "; ".join(selection_.reasons)
                    return Step(text=f"In {section}: {reasons}.", data=(("section", section),))
        if result.unrated is Unrated.CAVEAT:
            return Step(text="Listed with the data caveats.", data=(("section", "caveats"),))
        rules = self.ruleset.exceptions.rules
        why = (
            "the ruleset selects no exceptions"
            if not rules
            else "it meets none of the rules ("
            + "; ".join(selection.describe_rule(rule) for rule in rules)
            + ")"
        )
        return Step(text=f"Not an exception: {why}.", data=(("section", ""),))

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the rules that produced this report (sha256 of canonical TOML)."""
        return fingerprint(self.ruleset)

    @property
    def summary(self) -> Summary:
        return summarise(self.results, self.ruleset)

    @property
    def rollups(self) -> tuple[RollupResult, ...]:
        """Each roll-up's result, per area and breakdown, in the ruleset's order."""
        return roll_up(self.results, self.ruleset)

    @property
    def exceptions(self) -> tuple[Selection, ...]:
        """Results the ruleset's exception rules select, in indicator order, with reasons."""
        return selection.exceptions(self.results, self.ruleset.exceptions)

    @property
    def of_particular_note(self) -> tuple[Selection, ...]:
        """Results flagged by hand that are not already exceptions."""
        return selection.of_particular_note(self.results, self.ruleset.exceptions, self.exceptions)

    @property
    def caveats(self) -> tuple[Result, ...]:
        """Results that cannot be reported this period, with their commentary."""
        return selection.caveats(self.results)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """What the authors must fix, e.g. a red without the commentary the ruleset requires."""
        return selection.findings(self.results, self.ruleset.exceptions)

    @property
    def key(self) -> Key:
        """The plain-English legend for this report's statuses and arrows."""
        return build_key(self.ruleset, self.period, (r.unrated for r in self.results if r.unrated))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Rejected rows, unreadable values, findings and notices, as located warnings."""
        found = [
            Problem(message=r.reason, row=r.row, severity=Severity.WARNING) for r in self.rejected
        ]
        found += [
            Problem(
                message=f"indicator {f.indicator!r}: {f.message}",
                row=f.row,
                severity=Severity.WARNING,
            )
            for f in self.findings
        ]
        found += [
            Problem(
                message=f"indicator {r.indicator.id!r}: {r.reason}",
                row=r.row,
                severity=Severity.WARNING,
            )
            for r in self.results
            if r.unrated is Unrated.INVALID
        ]
        return (*found, *self.notices)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in a fixed order: the same ruleset and data give identical JSON."""
        return {
            "ruleset": {
                "id": self.ruleset.id,
                "title": self.ruleset.title,
                "version": self.ruleset.version,
                "fingerprint": self.fingerprint,
            },
            "period": None if self.period is None else str(self.period),
            "results": [result.to_dict() for result in self.results],
            "summary": self.summary.to_dict(),
            **({"rollups": [r.to_dict() for r in self.rollups]} if self.ruleset.rollups else {}),
            "exceptions": [chosen.to_dict() for chosen in self.exceptions],
            "of_particular_note": [chosen.to_dict() for chosen in self.of_particular_note],
            "caveats": [
                {
                    "indicator": r.indicator.id,
                    "area": r.area or None,
                    "breakdown": dict(r.breakdown),
                    "caveat": r.caveat,
                    "commentary": r.commentary,
                }
                for r in self.caveats
            ],
            "findings": [finding.to_dict() for finding in self.findings],
            **({"notices": [_notice_dict(p) for p in self.notices]} if self.notices else {}),
            "key": self.key.to_dict(),
            "rows": {
                "rated_or_unrated": [r.row for r in self.results if r.row is not None],
                "history": list(self.history),
                "rejected": [rejection.to_dict() for rejection in self.rejected],
            },
        }


def _notice_dict(problem: Problem) -> dict[str, Any]:
    return {"row": problem.row, "message": problem.message, "hint": problem.hint}


class NotInReport(LookupError):
    """A series the report does not hold: the message, and apart from it the nearest id
    (`hint`), so that a caller with its own suggestion (the command line) leaves it out."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(f"{message} ({hint})" if hint else message)
        self.message, self.hint = message, hint


def _breakdown(breakdown: object) -> dict[str, str] | None:
    """A breakdown to look a series up by: a mapping (`{"sex": "Male"}`) or (name, value)
    pairs, as `Result.breakdown` gives it; a TypeError saying so for anything else."""
    if breakdown is None or isinstance(breakdown, Mapping):
        return None if breakdown is None else dict(breakdown)
    if not isinstance(breakdown, (str, bytes)) and isinstance(breakdown, Iterable):
        try:
            return dict(breakdown)
        except (TypeError, ValueError):
            pass
    raise TypeError(
        f"breakdown is a mapping of breakdown to value ({{'sex': 'Male'}}) or (name, value) "
        f"pairs, not {breakdown!r}"
    )
