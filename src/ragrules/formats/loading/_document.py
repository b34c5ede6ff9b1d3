"""Reading a whole ruleset document: the `[ruleset]` header, `[defaults]`, then each section."""

from __future__ import annotations

from typing import Any

from ragrules.engine.ruleset import Ruleset
from ragrules.formats.loading._exceptions import BenchmarkReader
from ragrules.formats.loading._getters import _names
from ragrules.formats.loading._in_use import scales_in_use
from ragrules.formats.loading._indicators import IndicatorReader
from ragrules.formats.loading._keys import (
    _DEFAULT_KEYS,
    _RULESET_KEYS,
    _SUMMARY_KEYS,
    _TOP_KEYS,
    MAX_INDICATORS,
)
from ragrules.formats.loading._rollups import RollupReader
from ragrules.formats.loading._scales import ScaleReader
from ragrules.formats.loading._words import WordsReader
from ragrules.model.errors import Severity
from ragrules.model.periods import Calendar
from ragrules.model.rules import (
    BUILTIN_SCALES,
    FORMAT_VERSION,
    Indicator,
)


class Builder(IndicatorReader, ScaleReader, BenchmarkReader, RollupReader, WordsReader):
    """The whole document: the `[ruleset]` header, `[defaults]`, then every section in turn."""

    def ruleset(self, document: dict[str, Any]) -> Ruleset | None:
        top = self.table(document, "", _TOP_KEYS)
        head = self.table(top.get("ruleset", {}), "ruleset", _RULESET_KEYS)
        if "ruleset" not in top:
            self.problem(
                "ruleset",
                "the [ruleset] table is missing",
                "add [ruleset] with format and id",
            )
        version = head.get("format")
        if version is None:
            self.problem(
                "ruleset.format",
                "the format version is missing",
                f"add format = {FORMAT_VERSION}",
            )
        elif version != FORMAT_VERSION or type(version) is not int:
            self.problem(
                "ruleset.format",
                f"format {repr(version) if isinstance(version, str) else version} is not supported",
                f"this version of ragrules reads format = {FORMAT_VERSION}",
            )
        ruleset_id = self.string(head["id"], "ruleset.id") if "id" in head else None
        if ruleset_id == "":
            self.problem("ruleset.id", "the ruleset id is empty", 'e.g. id = "my-council-2024"')
            ruleset_id = None
        if "id" not in head:
            self.problem("ruleset.id", "the ruleset id is missing", 'add id = "my-council-2024"')
        self.catalogue = head.get("catalogue") is True
        if "catalogue" in head and not isinstance(head["catalogue"], bool):
            self.problem("ruleset.catalogue", "expected true or false")
        if "calendar" in head:
            self.calendar = self.choice(head["calendar"], "ruleset.calendar", Calendar) or (
                self.calendar
            )
        travel, unchanged_within = self.travel(top.get("travel", {}))

        scales = dict(BUILTIN_SCALES)
        for name, raw in self.table(
            top.get("scales", {}), "scales", tuple(_names(top.get("scales", {})))
        ).items():
            scale = self.scale(name, raw, f"scales.{name}", travel)
            if scale is not None:
                scales[name] = scale

        self.profiles = self.profile_table(top.get("profiles", {}))
        defaults = self.table(top.get("defaults", {}), "defaults", _DEFAULT_KEYS)
        default_scale = head.get("scale", "rag")
        raw_indicators = top.get("indicator", [])
        if not isinstance(raw_indicators, list):
            self.problem(
                "indicator",
                "expected [[indicator]] tables",
                "write each as [[indicator]]",
            )
            raw_indicators = []
        if len(raw_indicators) > MAX_INDICATORS:
            self.problem(
                "indicator", f"more than {MAX_INDICATORS:,} indicators", "split the ruleset"
            )
            raw_indicators = []
        indicators: list[Indicator] = []
        seen: dict[str, str] = {}
        for index, raw in enumerate(raw_indicators):
            path = f"indicator[{index}]"
            indicator = self.indicator(raw, path, defaults, scales, default_scale, unchanged_within)
            if indicator is None:
                continue
            if indicator.id in seen:
                file, first_line, _ = self.origins.locate(seen[indicator.id])
                here, _, _ = self.origins.locate(f"{path}.id")
                line = f" at line {first_line}" if first_line else ""
                if file != here:
                    line = f" at {file}:{first_line}"
                self.problem(
                    f"{path}.id",
                    f"duplicate indicator id {indicator.id!r}",
                    f"first defined{line}",
                )
                continue
            seen[indicator.id] = path
            indicators.append(indicator)
            self.invisible_in_id(indicator.id, f"{path}.id")
        if not raw_indicators and not self.origins.deferred:  # not when left out unmerged
            self.problem(
                "indicator",
                "the ruleset defines no indicators",
                "add [[indicator]] tables",
            )
        in_use = scales_in_use(indicators)
        self.contextual_apart(in_use)
        policy = self.exceptions(top.get("exceptions", {}), travel, in_use)
        tokens = self.tokens(top.get("data", {}))
        groups = self.groups(top.get("groups", {}))
        benchmarks = self.benchmarks(top.get("benchmarks", {}), groups)
        self.quantile_groups(scales, groups)
        self.interval_benchmarks(benchmarks, scales)
        placed = [(seen[indicator.id], indicator) for indicator in indicators]
        self.benchmark_names(benchmarks, travel, scales, placed)
        rollups = self.rollups(top.get("rollup"), indicators)
        words = self.status_words(top.get("statuses", {}), in_use, rollups)
        percentages = self.percentages(top.get("summary", {}))
        if ruleset_id is None:
            return None
        texts = {
            key: self.string(head[key], f"ruleset.{key}") or "" if key in head else ""
            for key in ("title", "version", "description")
        }
        return Ruleset(
            id=ruleset_id,
            title=texts["title"],
            version=texts["version"],
            calendar=self.calendar,
            catalogue=self.catalogue,
            indicators=tuple(indicators),
            travel=travel,
            exceptions=policy,
            tokens=tokens,
            benchmarks=benchmarks,
            groups=groups,
            rollups=rollups,
            statuses=words,
            percentages=percentages,
            source=self.source,
            warnings=tuple(
                sorted(
                    dict.fromkeys(p for p in self.problems if p.severity is Severity.WARNING),
                    key=lambda p: (p.line or 0, p.column or 0),
                )
            ),
        )

    def percentages(self, raw: object) -> tuple[str, ...]:
        """`[summary] percentages = ["rated", "all"]`: what the summary's shares are of."""
        body = self.table(raw, "summary", _SUMMARY_KEYS)
        if "percentages" not in body:
            return ("rated",)
        where, found = "summary.percentages", body["percentages"]
        hint = 'give "rated", "all" or both: percentages = ["rated", "all"]'
        if not isinstance(found, list) or not found:
            self.problem(where, "expected a list of what the percentages are of", hint)
            return ("rated",)
        kinds: list[str] = []
        for index, item in enumerate(found):
            text = self.string(item, f"{where}[{index}]")
            if text is None:
                continue
            if text not in _PERCENTAGES:
                self.problem(f"{where}[{index}]", f"{text!r} is not a kind of percentage", hint)
            elif text in kinds:
                self.problem(f"{where}[{index}]", f"{text!r} is listed twice", hint)
            else:
                kinds.append(text)
        return tuple(kinds) or ("rated",)


# What a summary's percentages can be of: the rated indicators, or every indicator reported.
_PERCENTAGES = ("rated", "all")
