"""ragrules: declarative, exact rating of performance indicators (RAG, travel, exceptions).

Load a ruleset with `load`, rate observations with `Ruleset.rate`, and read the `Report`.
Importing ragrules does not import pint: units are converted when a ruleset is loaded.
The public names are imported on first use, so `import ragrules` itself costs little.
"""

from __future__ import annotations

import importlib
import sys
from importlib.machinery import ModuleSpec

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads either)
# For type checkers only: the public names that `__getattr__` below imports on first use.
# Imported here at run time, they would load every layer with `import ragrules` (and pint
# with it). They point down from the interface, and no module imports names back from
# `ragrules` but the command line's `__version__`, so no circle hides here (the layer test
# counts these imports too).
if TYPE_CHECKING:
    from typing import Any

    from ragrules.engine.explain import Explanation, Step
    from ragrules.engine.judgement import Forecast, Override
    from ragrules.engine.report import Report
    from ragrules.engine.result import Rejection, Result
    from ragrules.engine.rollups import RollupResult
    from ragrules.engine.ruleset import Ruleset
    from ragrules.engine.summary import Summary
    from ragrules.engine.travel import Movement
    from ragrules.formats.data import read_observations
    from ragrules.formats.loading import load, loads
    from ragrules.model.errors import DataError, Problem, RagrulesError, RulesetError, Severity
    from ragrules.model.numbers import RoundingMode
    from ragrules.model.observations import Observation
    from ragrules.model.periods import Calendar, Period, PeriodKind, parse_period
    from ragrules.model.rates import Minimum, RateRule
    from ragrules.model.rollups import Rollup, RollupBand, RollupRule
    from ragrules.model.rules import (
        Against,
        Arrows,
        Band,
        Basis,
        BenchmarkTarget,
        Boundary,
        Comparison,
        Direction,
        ForecastRule,
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
    "Forecast",
    "ForecastRule",
    "Indicator",
    "Judgement",
    "Margin",
    "Minimum",
    "Movement",
    "Observation",
    "Override",
    "Period",
    "PeriodKind",
    "Point",
    "PointKind",
    "Polarity",
    "Problem",
    "RagrulesError",
    "RateRule",
    "Rejection",
    "Report",
    "Result",
    "Rollup",
    "RollupBand",
    "RollupResult",
    "RollupRule",
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
    "Against": "ragrules.model.rules",
    "Arrows": "ragrules.model.rules",
    "Band": "ragrules.model.rules",
    "Basis": "ragrules.model.rules",
    "BenchmarkTarget": "ragrules.model.rules",
    "Boundary": "ragrules.model.rules",
    "Calendar": "ragrules.model.periods",
    "Comparison": "ragrules.model.rules",
    "DataError": "ragrules.model.errors",
    "Direction": "ragrules.model.rules",
    "Explanation": "ragrules.engine.explain",
    "Forecast": "ragrules.engine.judgement",
    "ForecastRule": "ragrules.model.rules",
    "Indicator": "ragrules.model.rules",
    "Judgement": "ragrules.model.rules",
    "Margin": "ragrules.model.rules",
    "Minimum": "ragrules.model.rates",
    "Movement": "ragrules.engine.travel",
    "Observation": "ragrules.model.observations",
    "Override": "ragrules.engine.judgement",
    "Period": "ragrules.model.periods",
    "PeriodKind": "ragrules.model.periods",
    "Point": "ragrules.model.rules",
    "PointKind": "ragrules.model.rules",
    "Polarity": "ragrules.model.rules",
    "Problem": "ragrules.model.errors",
    "RagrulesError": "ragrules.model.errors",
    "RateRule": "ragrules.model.rates",
    "Rejection": "ragrules.engine.result",
    "Report": "ragrules.engine.report",
    "Result": "ragrules.engine.result",
    "Rollup": "ragrules.model.rollups",
    "RollupBand": "ragrules.model.rollups",
    "RollupResult": "ragrules.engine.rollups",
    "RollupRule": "ragrules.model.rollups",
    "Rounding": "ragrules.model.rules",
    "RoundingMode": "ragrules.model.numbers",
    "Ruleset": "ragrules.engine.ruleset",
    "RulesetError": "ragrules.model.errors",
    "Scale": "ragrules.model.rules",
    "Schedule": "ragrules.model.rules",
    "Severity": "ragrules.model.errors",
    "Step": "ragrules.engine.explain",
    "Summary": "ragrules.engine.summary",
    "Target": "ragrules.model.rules",
    "Travel": "ragrules.model.rules",
    "TravelCondition": "ragrules.model.rules",
    "Unrated": "ragrules.model.rules",
    "load": "ragrules.formats.loading",
    "loads": "ragrules.formats.loading",
    "parse_period": "ragrules.model.periods",
    "read_observations": "ragrules.formats.data",
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


# Modules that moved into the layer packages in 0.2 (decision 36). The old paths keep working
# until 1.0, with a DeprecationWarning naming the new one. Private modules (`_text`, ...)
# moved without an alias.
MOVED = {
    "ragrules.audit": "ragrules.tools.audit",
    "ragrules.batch": "ragrules.engine.batch",
    "ragrules.canonical": "ragrules.engine.canonical",
    "ragrules.compare": "ragrules.tools.compare",
    "ragrules.errors": "ragrules.model.errors",
    "ragrules.explain": "ragrules.engine.explain",
    "ragrules.key": "ragrules.engine.key",
    "ragrules.loading": "ragrules.formats.loading",
    "ragrules.notices": "ragrules.engine.notices",
    "ragrules.numbers": "ragrules.model.numbers",
    "ragrules.observations": "ragrules.model.observations",
    "ragrules.periods": "ragrules.model.periods",
    "ragrules.rating": "ragrules.engine.rating",
    "ragrules.report": "ragrules.engine.report",
    "ragrules.report_html": "ragrules.reports.html",
    "ragrules.report_markdown": "ragrules.reports.markdown",
    "ragrules.ruleset": "ragrules.engine.ruleset",
    "ragrules.selection": "ragrules.engine.selection",
    "ragrules.summary": "ragrules.engine.summary",
    "ragrules.travel": "ragrules.engine.travel",
    "ragrules.units": "ragrules.model.units",
    "ragrules.verify": "ragrules.tools.verify",
}


class _MovedModules:
    """Import a moved module's old path as a stand-in that forwards every name to the new one."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        return ModuleSpec(name, _LOADER) if name in MOVED else None

    @staticmethod
    def create_module(spec: ModuleSpec) -> None:
        return None  # the default: an empty module, filled in by exec_module

    @staticmethod
    def exec_module(module: Any) -> None:
        import warnings

        new = MOVED[module.__name__]
        warnings.warn(
            f"{module.__name__} moved to {new} in ragrules 0.2 and the old path goes in 1.0; "
            f"import from {new} (or the public names in ragrules)",
            DeprecationWarning,
            stacklevel=2,
        )
        real = importlib.import_module(new)
        module.__getattr__ = lambda name: getattr(real, name)
        module.__all__ = getattr(real, "__all__", [n for n in vars(real) if n[:1] != "_"])


_LOADER: Any = _MovedModules  # a loader by its methods (importlib.abc would cost an import)
if not any(finder is _MovedModules for finder in sys.meta_path):
    sys.meta_path.append(_MovedModules)
