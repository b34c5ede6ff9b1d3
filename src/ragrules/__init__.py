"""ragrules: declarative, exact rating of performance indicators (RAG, travel, exceptions).

Load a ruleset with `load`, rate observations with `Ruleset.rate`, and read the `Report`.
Importing ragrules does not import pint: units are converted when a ruleset is loaded.
The public names are imported on first use, so `import ragrules` itself costs little.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads either)
if TYPE_CHECKING:
    from typing import Any

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
    from ragrules.ruleset import Ruleset
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


# Names are imported on first use (PEP 562): `import ragrules` stays cheap for a command line
# or a web worker that may never rate, and pint is imported only when a unit is converted.
_LAZY = {
    "Against": "ragrules.model",
    "Arrows": "ragrules.model",
    "Band": "ragrules.model",
    "Basis": "ragrules.model",
    "BenchmarkTarget": "ragrules.model",
    "Boundary": "ragrules.model",
    "Calendar": "ragrules.periods",
    "Comparison": "ragrules.model",
    "DataError": "ragrules.errors",
    "Direction": "ragrules.model",
    "Explanation": "ragrules.explain",
    "Indicator": "ragrules.model",
    "Judgement": "ragrules.model",
    "Margin": "ragrules.model",
    "Movement": "ragrules.travel",
    "Observation": "ragrules.observations",
    "Period": "ragrules.periods",
    "PeriodKind": "ragrules.periods",
    "Point": "ragrules.model",
    "PointKind": "ragrules.model",
    "Polarity": "ragrules.model",
    "Problem": "ragrules.errors",
    "RagrulesError": "ragrules.errors",
    "Rejection": "ragrules.report",
    "Report": "ragrules.report",
    "Result": "ragrules.report",
    "Rounding": "ragrules.model",
    "RoundingMode": "ragrules.numbers",
    "Ruleset": "ragrules.ruleset",
    "RulesetError": "ragrules.errors",
    "Scale": "ragrules.model",
    "Schedule": "ragrules.model",
    "Severity": "ragrules.errors",
    "Step": "ragrules.explain",
    "Summary": "ragrules.summary",
    "Target": "ragrules.model",
    "Travel": "ragrules.model",
    "TravelCondition": "ragrules.model",
    "Unrated": "ragrules.model",
    "load": "ragrules.loading",
    "loads": "ragrules.loading",
    "parse_period": "ragrules.periods",
    "read_observations": "ragrules.data",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        # Submodules as attributes (`ragrules.data.parse_csv`), as an eager import gave them.
        try:
            return importlib.import_module(f"ragrules.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"ragrules.{name}":
                raise  # the module exists but needs an extra (pandas, hypothesis)
    raise AttributeError(f"module 'ragrules' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
