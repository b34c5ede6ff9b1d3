"""ragrules: declarative, exact rating of performance indicators (RAG, travel, exceptions).

Load a ruleset with `load`, rate observations with `Ruleset.rate`, and read the `Report`.
Importing ragrules does not import pint: units are converted when a ruleset is loaded.
"""

from ragrules.errors import DataError, Problem, RagrulesError, RulesetError, Severity
from ragrules.explain import Explanation, Step
from ragrules.loading import load, loads
from ragrules.model import (
    Band,
    Basis,
    Boundary,
    Indicator,
    Margin,
    Point,
    PointKind,
    Polarity,
    Rounding,
    Ruleset,
    Scale,
    Schedule,
    Target,
    Unrated,
)
from ragrules.numbers import RoundingMode
from ragrules.observations import Observation
from ragrules.periods import Period
from ragrules.report import Rejection, Report, Result
from ragrules.summary import Summary

__version__ = "0.1.0"

__all__ = [
    "Band",
    "Basis",
    "Boundary",
    "DataError",
    "Explanation",
    "Indicator",
    "Margin",
    "Observation",
    "Period",
    "Point",
    "PointKind",
    "Polarity",
    "Problem",
    "RagrulesError",
    "Rejection",
    "Report",
    "Result",
    "Rounding",
    "RoundingMode",
    "Ruleset",
    "RulesetError",
    "Scale",
    "Schedule",
    "Severity",
    "Step",
    "Summary",
    "Target",
    "Unrated",
    "__version__",
    "load",
    "loads",
]
