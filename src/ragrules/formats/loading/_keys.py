"""The ruleset format's keys by table, and the limits that keep a shared ruleset small."""

from __future__ import annotations

from ragrules.model import _given, rules

SCHEMA_FILE = "ragrules.schema.json"
# Limits that keep a shared ruleset from exhausting a machine; far above any real report.
MAX_RULESET_CHARACTERS = 5_000_000
MAX_INDICATORS = 20_000
MAX_UNKNOWN_KEYS = 20  # reported per table (with a count of the rest), each with did-you-mean
MAX_PROBLEMS = 100  # raised per load, with a count of the rest
_KEPT_PROBLEMS = 10 * MAX_PROBLEMS  # located and kept to choose from (by line); rest counted
MAX_LOOKBACK = rules.MAX_LOOKBACK
MAX_ROUNDING_PLACES = _given.MAX_ROUNDING_PLACES

_RULESET_KEYS = (
    "format",
    "id",
    "title",
    "version",
    "scale",
    "calendar",
    "description",
    "extends",
    "catalogue",
)
_DEFAULT_KEYS = (
    "polarity",
    "unit",
    "tolerance",
    "stretch",
    "rounding",
    "scale",
    "overrides",
    "forecast",
    "target-carries",
    "rate",
    "minimum",
)
_INDICATOR_KEYS = (
    "id",
    "title",
    "target",
    "thresholds",
    "description",
    "source",
    "unchanged-within",
    "series-breaks",
    *_DEFAULT_KEYS,
)
_TOP_KEYS = (
    "ruleset",
    "defaults",
    "scales",
    "travel",
    "exceptions",
    "data",
    "benchmarks",
    "groups",
    "indicator",
    "rollup",
    "profiles",
    "statuses",
    "summary",
)
_SCALE_KEYS = ("bands", "boundary", "description", "significance", "quantiles", "contextual")
_SUMMARY_KEYS = ("percentages",)
_DATA_KEYS = ("no-data", "suppressed", "breakdowns")
_EXCEPTION_KEYS = ("statuses", "rules", "flagged", "commentary-required")
_RULE_KEYS = ("name", "statuses", "periods", "until", "travel")
_TRAVEL_KEYS = ("comparisons", "arrows", "unchanged-within", "glyphs")
_COMPARISON_KEYS = ("against", "benchmark", "label", "points", "test", "words", "same-target")
_FORECAST_KEYS = ("scale",)
_MARGIN_KEYS = ("relative", "absolute")  # `from` only in dated arrays, taken off by `dated`
