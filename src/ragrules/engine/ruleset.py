"""The ruleset: what a loaded ruleset says, and the way in to rating with it.

`Ruleset` sits in the engine layer, above the model's value objects it is made of, so that
`ruleset.rate(...)` calls the engine directly: the model never reaches up into rating.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import attrs

from ragrules.engine import batch, canonical
from ragrules.engine.report import Rejection, Report, Result
from ragrules.model.periods import Period
from ragrules.model.rules import RulesetData


@attrs.frozen(kw_only=True)
class Ruleset(RulesetData):
    """A loaded ruleset: what it says (`RulesetData`), and rating with it."""

    def rate(self, observations: Iterable[object], period: str | Period | None = None) -> Report:
        """Rate observations (mappings or `Observation`s) for one period; see `batch.rate`."""
        return batch.rate(self, observations, period=period)

    def iter_rate(
        self, observations: Iterable[object], period: str | Period | None = None
    ) -> Iterator[Result | Rejection]:
        """Rate a stream of rows one input line at a time, in constant memory.

        For files too large to hold (a national dataset of every authority and year): each
        line is rated on its own, with the earlier values it carries; every line yields its
        results and rejections. `period` is the period of rows that name none. Rows are read
        as the generator runs, in the caller's code, yet the caller's decimal context (its
        precision, rounding, traps or `capitals`) changes no result.
        """
        return batch.iter_rate(self, observations, period=period)

    def rate_value(
        self,
        indicator_id: str,
        value: object,
        *,
        period: str | Period | None = None,
        target: object = None,
    ) -> Result:
        """Rate one value of one indicator without building observations: the result a report
        of that single row would give (travel is not comparable: there is no earlier value).
        A `target` replaces the ruleset's, as a target column in the data would."""
        self.indicator(indicator_id)  # LookupError for an unknown id, rather than a rejection
        row: dict[str, object] = {"indicator": indicator_id, "value": value}
        if period is not None:
            row["period"] = str(period)
        if target is not None:
            row["target"] = target
        report = self.rate([row], period=period)
        if report.rejected:
            raise ValueError(report.rejected[0].reason)
        return report.result(indicator_id)

    @property
    def canonical_toml(self) -> str:
        """The ruleset resolved into one TOML document (no `extends`, defaults spelled out)."""
        return canonical.canonical_toml(self)

    @property
    def fingerprint(self) -> str:
        """sha256 of the canonical TOML: equal for rulesets that rate every value alike."""
        return canonical.fingerprint(self)
