"""Names one section of a ruleset gives another's entries, checked once every section is
read: a group that a benchmark or a quantile scale names is a `[groups]` entry, and a
benchmark name that is no `[benchmarks]` entry (so a column of the data) but is close to
one is said, since a typo there leaves every row without its benchmark."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

from ragrules.formats.loading._getters import Getters
from ragrules.model.comparisons import Benchmark, Group
from ragrules.model.errors import close_matches
from ragrules.model.observations import column_key
from ragrules.model.rules import BenchmarkTarget, Indicator, Scale, Travel


class ReferenceChecks(Getters):
    """Checks of the names one section gives another's entries."""

    def group_named(self, group: str, path: str, groups: Iterable[Group]) -> None:
        """`group` (at `path`) names one of `groups`: else an error (not in a catalogue,
        whose councils give the groups)."""
        names = [found.name for found in groups]
        if column_key(group) in names:
            return
        close = close_matches(column_key(group), names)
        self.needs(
            path,
            f"no group {group!r} in [groups]",
            f"did you mean {close[0]!r}?" if close else f"define it: [groups.{group}]",
        )

    def quantile_groups(self, scales: Mapping[str, Scale], groups: Iterable[Group]) -> None:
        """Each quantile scale's group is a `[groups]` entry."""
        for name, scale in scales.items():
            if scale.quantiles is not None and scale.quantiles.group:
                self.group_named(scale.quantiles.group, f"scales.{name}.quantiles.group", groups)

    def invisible_in_id(self, name: str, path: str) -> None:
        """A warning for an id holding a character no report shows (a zero-width space, a
        control or bidi character): the data must hold it too to match, and every report
        shows the id as another id written without it."""
        if name.isprintable():  # no control or format character: most ids, found in C
            return
        hidden = [c for c in dict.fromkeys(name) if unicodedata.category(c) in ("Cc", "Cf")]
        if hidden:
            self.problem(
                path,
                f"the id {name!r} holds a character no report shows: "
                + ", ".join(f"U+{ord(c):04X}" for c in hidden),
                "remove it, or the data must hold it too and reports read it as another id",
                warning=True,
            )

    def interval_benchmarks(
        self, benchmarks: Iterable[Benchmark], scales: Mapping[str, Scale]
    ) -> None:
        """A scale comparing intervals reads the benchmark row's own interval: its benchmark
        is a `[benchmarks]` entry naming an area's row, not a column of the data or a group's
        statistic, which have none (every row would be `not-compared`)."""
        entries = {benchmark.name: benchmark for benchmark in benchmarks}
        for name, scale in scales.items():
            test = scale.significance
            if test is None or not test.intervals:
                continue
            found = entries.get(test.benchmark)
            if found is not None and found.statistic is None:
                continue
            what = (
                f"{test.benchmark!r} is no [benchmarks] entry, so it is a column of the data"
                if found is None or found.statistic is None
                else f"{test.benchmark!r} is a {found.statistic.value} of a group"
            )
            self.needs(
                f"scales.{name}.significance.compare",
                f"comparing intervals needs the benchmark's own row and interval: {what}",
                'name an area\'s row in [benchmarks] (area = "E92000001"), or compare = "value"',
            )

    def benchmark_names(
        self,
        benchmarks: Iterable[Benchmark],
        travel: Travel,
        scales: Mapping[str, Scale],
        indicators: Iterable[tuple[str, Indicator]],
    ) -> None:
        """A warning for each benchmark name, in a comparison, a significance scale or a
        target, that is no `[benchmarks]` entry but is close to one."""
        known = [benchmark.name for benchmark in benchmarks]
        if not known:
            return
        named: list[tuple[str, str]] = [
            (c.benchmark, f"travel.comparisons.{c.name}.benchmark")
            for c in travel.comparisons
            if c.benchmark
        ]
        named += [
            (scale.significance.benchmark, f"scales.{name}.significance.benchmark")
            for name, scale in scales.items()
            if scale.significance is not None
        ]
        for path, indicator in indicators:
            for target in indicator.target.values() if indicator.target else ():
                if isinstance(target, BenchmarkTarget):
                    named.append((target.benchmark, f"{path}.target"))
        for name, path in dict.fromkeys(named):
            key = column_key(name)
            close = [] if key in known else close_matches(key, known)
            if close:
                self.problem(
                    path,
                    f"{name!r} is no [benchmarks] entry, so it is read from a column of the "
                    "data of that name",
                    f"did you mean {close[0]!r}?",
                    warning=True,
                )
