"""The property-testing kit; its public name is `ragrules.testing` (see there)."""

from __future__ import annotations

from ragrules.tools.testing._boundaries import BoundaryValue, boundary_values, values
from ragrules.tools.testing._checks import (
    check_batch_independence,
    check_boundary,
    check_monotonic,
    check_totality,
)
from ragrules.tools.testing._common import ScaleName
from ragrules.tools.testing._judgement import check_forecast, check_override
from ragrules.tools.testing._numbers import decimals_text, spellings
from ragrules.tools.testing._observations import observations
from ragrules.tools.testing._reference import reference_status
from ragrules.tools.testing._rollups import check_rollup, member_statuses, monotone
from ragrules.tools.testing._rulesets import (
    absolute_margin,
    indicator_ids,
    indicators,
    margins,
    relative_margin,
    rulesets,
)

__all__ = [
    "BoundaryValue",
    "ScaleName",
    "absolute_margin",
    "boundary_values",
    "check_batch_independence",
    "check_boundary",
    "check_forecast",
    "check_monotonic",
    "check_override",
    "check_rollup",
    "check_totality",
    "decimals_text",
    "indicator_ids",
    "indicators",
    "margins",
    "member_statuses",
    "monotone",
    "observations",
    "reference_status",
    "relative_margin",
    "rulesets",
    "spellings",
    "values",
]
