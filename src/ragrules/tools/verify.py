"""Static verification of a ruleset, then its invariants tested with generated values.

For auditors: findings that loading alone does not make errors (targets outside a unit's
meaningful range, neutral indicators whose targets may read as judgements, polarities that
contradict the catalogue entry they override), the load's own warnings, and the design's
invariants (monotonicity, exact boundaries) checked with Hypothesis on this ruleset's
indicators. Hypothesis comes with the `testing` extra; without it the invariants cannot be
tested, and that is an error, not a pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ragrules.engine.ruleset import Ruleset

if TYPE_CHECKING:  # Hypothesis is an optional extra: imported where the invariants are tested
    import hypothesis
from ragrules.formats.loading import Folders, load, resolve_file
from ragrules.formats.loading._origins import Origins
from ragrules.model.errors import Problem, RagrulesError, Severity
from ragrules.model.numbers import in_exact_context
from ragrules.model.observations import read_value
from ragrules.model.periods import Period
from ragrules.model.rollups import RollupRule
from ragrules.model.rules import (
    BenchmarkTarget,
    Indicator,
    Polarity,
    ProfiledTarget,
    Target,
    Unrated,
)

# A period to rate forecasts in; a forecast for it is rated for its year's end.
_SOME_QUARTER = "2024/25 Q2"

# The range a value in each unit can meaningfully take: (lowest, highest or None).
_RANGES: dict[str, tuple[Decimal, Decimal | None]] = {
    "percent": (Decimal(0), Decimal(100)),
    "count": (Decimal(0), None),
    "per_1000": (Decimal(0), None),
    "per_10000": (Decimal(0), None),
    "per_100000": (Decimal(0), None),
    "day": (Decimal(0), None),
    "week": (Decimal(0), None),
    "hour": (Decimal(0), None),
    "working_day": (Decimal(0), None),
}


@in_exact_context
def verify_file(
    path: str | os.PathLike[str],
    *,
    search_path: Folders = (),
    allowed: Folders = (),
    examples: int = 50,
) -> list[Problem]:
    """Every finding for a ruleset file: load errors, warnings, static checks, invariants.

    Each finding about an indicator or roll-up is located in the file that wrote it, by its
    key path there (`indicator[1]` of an extending file, not its place in the merged ruleset).
    Like rating, it runs in the library's own decimal context: the caller's precision,
    rounding and traps change nothing, and the caller's flags are left as they were.
    """
    _check_examples(examples)
    # Read twice (to load, then to locate findings): a generator of folders is read once here.
    if not isinstance(search_path, (str, os.PathLike)):
        search_path = tuple(search_path)
    if not isinstance(allowed, (str, os.PathLike)):
        allowed = tuple(allowed)
    try:
        ruleset = load(path, search_path=search_path, allowed=allowed)
    except RagrulesError as exc:
        return list(exc.problems)
    _, origins = resolve_file(path, search_path, allowed)
    findings = list(ruleset.warnings)
    for index, indicator in enumerate(ruleset.indicators):
        notes = _static(indicator)
        for setting, base_value, where in origins.overrides.get(indicator.id, []):
            if setting == "polarity" and base_value != indicator.polarity.value:
                notes.append(
                    (
                        f"polarity {indicator.polarity.value} contradicts {base_value} in the "
                        f"entry it overrides ({where})",
                        "make sure the local judgement is intended, and say so in a comment",
                    )
                )
        findings += [
            Problem(
                message=f"{indicator.id}: {message}",
                hint=hint,
                severity=Severity.WARNING,
                **_place(origins, f"indicator[{index}]"),
            )
            for message, hint in notes
        ]
    findings += check_invariants(ruleset, examples=examples, origins=origins)
    return findings


def _place(origins: Origins | None, path: str) -> dict[str, Any]:
    """Where a merged key path was written: its file, line and column, and its key path in
    that file, as `ragrules check` names it (only the merged path without `origins`)."""
    if origins is None:
        return {"key": path}
    file, line, column = origins.locate(path)
    return {"file": file, "line": line, "column": column, "key": origins.resolve(path)[1] or path}


def _static(indicator: Indicator) -> list[tuple[str, str]]:
    found = []
    low, high = _RANGES.get(indicator.unit, (None, None))
    values: list[tuple[str, Decimal]] = [(f"threshold {n}", v) for n, v in indicator.thresholds]
    values += [
        (f"threshold {n}", end)
        for n, span in indicator.threshold_ranges
        for end in dict.fromkeys((span.lower, span.upper))
    ]
    for target in indicator.target.values() if indicator.target else ():
        if isinstance(target, Target):
            values += [("target", end) for end in dict.fromkeys((target.lower, target.upper))]
    for what, value in values:
        if (low is not None and value < low) or (high is not None and value > high):
            limits = f"{low} to {high}" if high is not None else f"at least {low}"
            found.append(
                (
                    f"{what} {value} is outside the unit's meaningful range ({limits})",
                    "check the unit",
                )
            )
    if indicator.polarity is Polarity.NEUTRAL and indicator.target is not None:
        found.append(
            (
                "a neutral indicator has a target, which readers may take as a judgement",
                "say in its title or commentary that the target is context, as Dudley does",
            )
        )
    return found


@in_exact_context
def check_invariants(
    ruleset: Ruleset, *, examples: int = 50, origins: Origins | None = None
) -> list[Problem]:
    """Monotonicity and exact boundaries, with generated values, for each rated indicator.

    Each version of an indicator (its settings in force for a period) is tested when its
    bands are fixed by the ruleset alone; the others are listed in one warning with the
    reason. Every failure Hypothesis finds is an error, one per distinct failure. With
    `origins` (from `resolve_file`), findings are located in the file that wrote them. Runs
    in the library's own decimal context, as `verify_file` does.
    """
    _check_examples(examples)
    # Imported here, not at the top, because Hypothesis is an optional extra (`testing`) and
    # the command line imports this module: no circle is involved (testing imports no tool).
    try:
        from hypothesis import HealthCheck, settings

        from ragrules.tools import testing
    except ImportError:
        # An error, so that `ragrules verify` cannot pass without testing what it promises.
        return [
            Problem(
                message="the invariants could not be tested: Hypothesis is not installed",
                hint='install the testing extra: pip install "ragrules[testing]"',
                severity=Severity.ERROR,
            )
        ]
    found: list[Problem] = []
    options = settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    untested: list[str] = []
    compared = []
    for index, indicator in enumerate(ruleset.indicators):
        if indicator.scale.significance is not None or indicator.scale.quantiles is not None:
            # Rated against other areas, not against its own target: no single value has a
            # status of its own to test (their decisions have property tests in ragrules).
            compared.append(indicator.id)
            continue
        place = _place(origins, f"indicator[{index}]")
        failures, skipped = _tested(ruleset, indicator, options, testing)
        found += [
            Problem(
                message=f"{indicator.id}: invariant {failure}", severity=Severity.ERROR, **place
            )
            for failure in failures
        ]
        if skipped:
            untested.append(f"{indicator.id} ({skipped})")
    found += _rollup_invariants(ruleset, options, testing, origins)
    if compared:
        found.append(
            Problem(
                message=f"{len(compared)} of {len(ruleset.indicators)} indicators are rated "
                f"against other areas (significance or quantiles): {', '.join(compared)}",
                hint="their status depends on a benchmark or a group, not on the value alone; "
                "check them against published ratings with ragrules audit",
                severity=Severity.WARNING,
            )
        )
    if untested:
        found.append(
            Problem(
                message=f"invariants not tested for {len(untested)} of "
                f"{len(ruleset.indicators)} indicators: {'; '.join(untested)}",
                hint="test them with ragrules.testing and their rows",
                severity=Severity.WARNING,
            )
        )
    return found


def _tested(
    ruleset: Ruleset, indicator: Indicator, options: hypothesis.settings, testing: Any
) -> tuple[list[str], str]:
    """The invariants each version of an indicator breaks, and why versions were not tested
    ('' when every version was)."""
    # The kit refuses these indicators in the same words (a value alone is not a row they
    # rate); Hypothesis, and so the kit, is importable here (see `check_invariants`).
    from ragrules.tools.testing._common import why_not_alone

    alone = why_not_alone(indicator)
    if alone:
        return [], alone
    versions = _versions_in_force(indicator)
    judged = [
        (version, period)
        for version, period in versions
        if version.polarity is not Polarity.NEUTRAL  # shown, never judged: nothing to test
    ]
    if not judged:
        return [], "neutral" if versions else "no target in force"
    failures: list[str] = []
    skipped: list[tuple[Period | None, str]] = []
    judgement = True  # overrides and forecasts are not dated: checked with one version
    for version, period in judged:
        target = version.target.in_force(period) if version.target is not None else None
        if isinstance(target, ProfiledTarget):
            # The kit rates it for one period, but its target changes from one period of the
            # year to the next: one period per version would not test it.
            skipped.append((period, "a profiled target, which depends on the period"))
            continue
        try:
            failures += _indicator_invariants(
                ruleset, version, period, options, testing, judgement=judgement
            )
        except ValueError as exc:  # only from building its values: no fixed bands to test
            skipped.append((period, _untestable(version, period, exc)))
        else:
            judgement = False
    reasons = list(dict.fromkeys(reason for _, reason in skipped))
    if len(skipped) == len(judged) and len(reasons) == 1:
        return failures, reasons[0]
    return failures, ", ".join(f"in {period}: {reason}" for period, reason in skipped)


def _untestable(indicator: Indicator, period: Period | None, exc: ValueError) -> str:
    """Why a version has no fixed bands to test, in words."""
    target = indicator.target.in_force(period) if indicator.target is not None else None
    if isinstance(target, BenchmarkTarget):
        return f"target from the {target.benchmark!r} column of the data"
    if isinstance(target, ProfiledTarget):
        return "a profiled target, which depends on the period"
    if target is None and indicator.scale.needs_target:
        return "no target"
    text = str(exc).removeprefix(f"indicator {indicator.id!r} ")
    text = text.removesuffix("; pass target=").removesuffix("; pass period=")
    # `cannot be rated for period P: the scale needs a tolerance...`: the period is shown.
    return text.partition(": ")[2] if text.startswith("cannot be rated for") else text


def _versions_in_force(indicator: Indicator) -> list[tuple[Indicator, Period | None]]:
    """Each version of an indicator, with a period it is in force for (None: undated).

    A version is what the indicator says for a period: its dated polarity, scale and
    thresholds, and its dated target and margins, so that a dated target is tested with a
    period that has it (without one, no target is in force: nothing to test)."""
    margins = [s for s in (indicator.target, indicator.tolerance, indicator.stretch) if s]
    starts = {
        *indicator.changes,
        *(entry.start for s in margins for entry in s.entries if entry.start is not None),
    }
    if not starts:
        return [(indicator, None)]
    ordered = sorted(starts, key=lambda period: period.start)
    periods = [ordered[0].previous(), *ordered]  # before the first change, and from each
    found: dict[tuple[object, ...], tuple[Indicator, Period | None]] = {}
    for period in periods:
        version = indicator.at(period)
        if indicator.target is not None and indicator.target.in_force(period) is None:
            continue  # no target then: the rows of that period are `no-target`
        key = (version, *(s.in_force(period) for s in margins))
        found.setdefault(key, (version, period))  # equal versions tested once
    return list(found.values())


def _indicator_invariants(
    ruleset: Ruleset,
    indicator: Indicator,
    when: Period | None,
    options: hypothesis.settings,
    testing: Any,
    *,
    judgement: bool,
) -> list[str]:
    """The invariants one version of an indicator breaks, rated in `period`, as
    "NAME fails: why" (in PERIOD); ValueError when it has no fixed rule to test. With
    `judgement`, overrides and forecasts too (they are not dated: checked once)."""
    from hypothesis import given
    from hypothesis import strategies as st

    period = None if when is None else str(when)
    tokens = ruleset.tokens.at(when)
    unit = indicator.unit

    def rated(text: str) -> bool:
        # A number the ruleset's own `[data]` tokens make no-data or suppressed (`0`) is
        # not a value the indicator rates alone: not drawn (a value ragrules cannot read
        # at all still is, so that a failure to read one is found).
        return (
            read_value(text, unit).number is None
            or read_value(text, unit, tokens).number is not None
        )

    values = testing.values(indicator, period=when).filter(rated)
    boundaries = testing.boundary_values(indicator, period=when).filter(
        lambda boundary: rated(boundary.text)
    )
    identifier = indicator.id

    @options
    @given(values, values)
    def monotonic(low: str, high: str) -> None:
        testing.check_monotonic(ruleset, identifier, low, high, period=period)

    @options
    @given(boundaries)
    def boundary(value: testing.BoundaryValue) -> None:
        testing.check_boundary(ruleset, identifier, value, period=period)

    statuses = st.sampled_from(indicator.scale.statuses)

    @options
    @given(values, statuses)
    def override_kept_apart(value: str, status: str) -> None:
        testing.check_override(ruleset, identifier, value, status)

    @options
    @given(values)
    def forecast_as_year_end(value: str) -> None:
        testing.check_forecast(ruleset, identifier, value, _SOME_QUARTER)

    monotone = indicator.polarity in (Polarity.HIGHER, Polarity.LOWER)
    checks = [monotonic, boundary] if monotone else [boundary]
    checks += [override_kept_apart] * (indicator.overrides and judgement)
    checks += [forecast_as_year_end] * (indicator.forecast is not None and judgement)
    during = "" if period is None else f" (in {period})"
    return [
        f"{check.__name__} fails{during}: {failure}"
        for check in checks
        for failure in _failures(check)
    ]


def _failures(check: Callable[[], None]) -> list[str]:
    """What a Hypothesis test reports, one message per distinct failure: a check's
    AssertionError as its message, anything else (a check refusing a value, an error in the
    library) named by its type. Several failures come as an exception group; none is raised."""
    try:
        check()
    except Exception as exc:  # every failure becomes a finding, never a traceback
        return list(dict.fromkeys(_described(leaf) for leaf in _leaves(exc)))
    return []


def _leaves(exc: BaseException) -> list[BaseException]:
    """The exceptions in an exception group (Python 3.11's, or the `exceptiongroup` backport
    Hypothesis uses on 3.10), however nested; the exception itself otherwise."""
    inner = getattr(exc, "exceptions", None)
    if (
        isinstance(inner, tuple | list)
        and inner
        and all(isinstance(e, BaseException) for e in inner)
    ):
        return [leaf for nested in inner for leaf in _leaves(nested)]
    return [exc]


def _described(exc: BaseException) -> str:
    from hypothesis.errors import Unsatisfiable

    if isinstance(exc, AssertionError | Unsatisfiable):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _rollup_invariants(
    ruleset: Ruleset, options: hypothesis.settings, testing: Any, origins: Origins | None
) -> list[Problem]:
    """Each roll-up's invariants with generated member statuses, and a warning for a rule
    under which a worse member can make the roll-up better."""
    from hypothesis import given
    from hypothesis import strategies as st

    found: list[Problem] = []
    unrated = [reason.value for reason in Unrated]
    for index, rollup in enumerate(ruleset.rollups):
        place = _place(origins, f"rollup[{index}]")
        if rollup.rule in (RollupRule.SHARE, RollupRule.SCORE) and not testing.monotone(
            ruleset, rollup
        ):
            what = "counting" if rollup.rule is RollupRule.SHARE else "points"
            found.append(
                Problem(
                    message=f"{rollup.id}: a member getting worse can make the roll-up better "
                    f"({what} do not follow the members' statuses from best to worst)",
                    hint="count the best statuses, or give worse statuses fewer points",
                    severity=Severity.WARNING,
                    **place,
                )
            )
        # Rated statuses as often as reasons not to rate.
        choices = [
            st.sampled_from(statuses) | st.sampled_from(unrated)
            for statuses in testing.member_statuses(ruleset, rollup)
        ]
        identifier = rollup.id

        @options
        @given(st.tuples(*choices), st.integers(0, len(choices) - 1))
        def rollup_invariants(statuses: tuple[str, ...], worse: int) -> None:
            testing.check_rollup(ruleset, identifier, statuses, worse)  # noqa: B023

        found += [
            Problem(
                message=f"{rollup.id}: invariant rollup_invariants fails: {failure}",
                severity=Severity.ERROR,
                **place,
            )
            for failure in _failures(rollup_invariants)
        ]
    return found


def _check_examples(examples: object) -> None:
    if type(examples) is not int:
        raise TypeError(f"examples must be a whole number of at least 1, not {examples!r}")
    if examples < 1:
        raise ValueError(f"examples must be a whole number of at least 1, not {examples!r}")
