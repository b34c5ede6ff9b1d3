"""What rating produces: a `Result` per indicator and a `Report` that accounts for every row."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ragrules.engine import selection
from ragrules.engine.canonical import fingerprint
from ragrules.engine.explain import Explanation, Step, explain
from ragrules.engine.key import Key, build_key
from ragrules.engine.rating import Cut
from ragrules.engine.selection import Finding, Selection
from ragrules.engine.summary import Summary, summarise
from ragrules.engine.travel import Movement
from ragrules.model.errors import Problem, Severity
from ragrules.model.numbers import format_decimal
from ragrules.model.periods import Period
from ragrules.model.rules import Indicator, Margin, RulesetData, Target, Unrated


@attrs.frozen(kw_only=True)
class Result:
    """The rating of one indicator for the report's period, with everything that decided it."""

    indicator: Indicator
    period: Period | None
    status: str
    unrated: Unrated | None = None
    reason: str = ""
    value_text: str = ""
    unrounded: Decimal | None = None
    value: Decimal | None = None
    target: Target | None = None
    target_source: str = ""  # "ruleset", "data", or "benchmark NAME"
    tolerance: Margin | None = None
    stretch: Margin | None = None
    bounds: tuple[Cut, ...] = ()  # each band's bounds for this value, best first
    band: int | None = None  # the index in `bounds` of the band the value reached
    commentary: str = ""
    caveat: str = ""  # why the data cannot be reported this period, as the data says
    flag: str = ""  # the hand flag's text, when the row was flagged "of particular note"
    row: int | None = None
    travel: tuple[Movement, ...] = ()
    # The row's other columns as read (an authority code, a benchmark), by column key.
    columns: tuple[tuple[str, str], ...] = ()

    @property
    def rated(self) -> bool:
        """True when the status comes from the scale."""
        return self.unrated is None

    def explain(self) -> Explanation:
        """Deprecated (0.2), goes in 1.0: `Report.explain(indicator_id)` is the one explanation,
        with the exception selection and where each rule was written; this gives its first steps.
        """
        import warnings

        warnings.warn(
            "Result.explain() is deprecated: use report.explain(indicator_id), the one "
            "explanation (with the exception selection and where each rule was written)",
            DeprecationWarning,
            stacklevel=2,
        )
        return explain(self)

    @property
    def cuts(self) -> tuple[Cut, ...]:
        """Deprecated (0.2): the name of `bounds` in 0.1; goes in 1.0."""
        import warnings

        warnings.warn("Result.cuts is now Result.bounds", DeprecationWarning, stacklevel=2)
        return self.bounds

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data, under the attributes' names (docs/api.md, "One vocabulary").

        A value JSON cannot hold is written as its text (`str()`): a `Decimal`, a period, a
        target (`72.5`, or `10-20` for a range), a margin as written (`5%`); an enumeration as
        its value; the indicator as its id, with its title, unit and polarity beside it.
        """
        indicator = self.indicator
        return {
            "indicator": indicator.id,
            "title": indicator.title,
            "unit": indicator.unit,
            "polarity": indicator.polarity.value,
            "period": None if self.period is None else str(self.period),
            "row": self.row,
            "status": self.status,
            "rated": self.unrated is None,
            "unrated": None if self.unrated is None else self.unrated.value,
            "reason": self.reason,
            "value": _text(self.value),
            "value_text": self.value_text,
            "unrounded": _text(self.unrounded),
            "target": None if self.target is None else str(self.target),
            "target_source": self.target_source or None,
            "tolerance": None if self.tolerance is None else str(self.tolerance),
            "stretch": None if self.stretch is None else str(self.stretch),
            "bounds": [_bound_dict(cut) for cut in self.bounds],
            "band": self.band,
            "travel": [movement_dict(move) for move in self.travel],
            "commentary": self.commentary,
            "caveat": self.caveat,
            "flag": self.flag,
            "columns": dict(self.columns),
        }


@attrs.frozen(kw_only=True)
class Rejection:
    """An input row that could not be placed in the report, and why."""

    row: int | None
    indicator: str
    period: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


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

    def result(self, indicator_id: str) -> Result:
        """The result of one indicator; LookupError if the ruleset has no such indicator."""
        result = next((r for r in self.results if r.indicator.id == indicator_id), None)
        if result is None:
            raise LookupError(f"the report has no indicator {indicator_id!r}")
        return result

    def explain(self, indicator_id: str) -> Explanation:
        """The derivation of one indicator's result, with why it is or is not an exception."""
        result = self.result(indicator_id)
        base = explain(result)
        steps = [*base.steps, self._selection_step(result)]
        steps += [
            Step(text=f"Finding: {finding.message}.", data=(("finding", finding.message),))
            for finding in self.findings
            if finding.indicator == indicator_id
        ]
        if result.indicator.origins:
            where = "; ".join(f"{key} from {place}" for key, place in result.indicator.origins)
            steps.append(Step(text=f"Rules: {where}.", data=tuple(result.indicator.origins)))
        return attrs.evolve(base, steps=tuple(steps))

    def _selection_step(self, result: Result) -> Step:
        identifier = result.indicator.id
        for section, chosen in (
            ("the exception report", self.exceptions),
            ("of particular note", self.of_particular_note),
        ):
            for selection_ in chosen:
                if selection_.result.indicator.id == identifier:
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
            "exceptions": [chosen.to_dict() for chosen in self.exceptions],
            "of_particular_note": [chosen.to_dict() for chosen in self.of_particular_note],
            "caveats": [
                {"indicator": r.indicator.id, "caveat": r.caveat, "commentary": r.commentary}
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


def _text(number: Decimal | None) -> str | None:
    return None if number is None else format_decimal(number)


def _bound_dict(cut: Cut) -> dict[str, Any]:
    return {
        "status": cut.status,
        "lower": _text(cut.lower),
        "upper": _text(cut.upper),
        "inclusive": cut.inclusive,
        "multiplier": _text(cut.multiplier),
        "condition": cut.condition(),
    }


def movement_dict(move: Movement) -> dict[str, Any]:
    """A `Movement` as plain data, under its attributes' names (the comparison by its name)."""
    return {
        "comparison": move.comparison.name,
        "against": move.comparison.against.value,
        "period": None if move.period is None else str(move.period),
        "earlier": _text(move.earlier),
        "earlier_text": move.earlier_text,
        "direction": move.direction.value,
        "judgement": None if move.judgement is None else move.judgement.value,
        "arrow": move.arrow,
        "reason": move.reason,
        "earlier_judgements": [None if j is None else j.value for j in move.earlier_judgements],
    }
