"""ragrules: declarative, exact rating of performance indicators (RAG, travel, exceptions).

Load a ruleset with `load`, rate observations with `Ruleset.rate`, and read the `Report`.
Importing ragrules does not import pint: units are converted when a ruleset is loaded.
"""

from ragrules.data import read_observations
from ragrules.errors import DataError, Problem, RagrulesError, RulesetError, Severity
from ragrules.explain import Explanation, Step
from ragrules.loading import load, loads
from ragrules.model import (
    Against,
    Arrows,
    Band,
    Basis,
    BenchmarkTarget,
    Boundary,
    Comparison,
    Direction,
    Indicator,
    Judgement,
    Margin,
    Point,
    PointKind,
    Polarity,
    Rounding,
    Ruleset,
    Scale,
    Schedule,
    Target,
    Travel,
    TravelCondition,
    Unrated,
)
from ragrules.numbers import RoundingMode
from ragrules.observations import Observation
from ragrules.periods import Calendar, Period, PeriodKind, parse_period
from ragrules.report import Rejection, Report, Result
from ragrules.summary import Summary
from ragrules.travel import Movement

__version__ = "0.1.0"

__all__ = [
    "Against",
    "Arrows",
    "Band",
    "Basis",
    "BenchmarkTarget",
    "Boundary",
    "Calendar",
    "Comparison",
    "DataError",
    "Direction",
    "Explanation",
    "Indicator",
    "Judgement",
    "Margin",
    "Movement",
    "Observation",
    "Period",
    "PeriodKind",
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
    "Travel",
    "TravelCondition",
    "Unrated",
    "__version__",
    "load",
    "loads",
    "parse_period",
    "read_observations",
]
