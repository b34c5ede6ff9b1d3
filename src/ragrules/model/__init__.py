"""The model: the vocabulary of rating as frozen value objects, and nothing that acts on it.

Exact numbers (`numbers`), periods (`periods`), units (`units`, pint only when a unit is
converted), what a ruleset says (`rules`: indicators, targets, scales, travel), observations
(`observations`), errors (`errors`) and text helpers. It imports nothing else from ragrules:
every other layer builds on it. A new band model or polarity starts here, as data.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


def __getattr__(name: str) -> Any:
    """The names `ragrules.model` held before 0.2 (now in `ragrules.model.rules`), deprecated."""
    if not name.startswith("_"):
        rules = importlib.import_module("ragrules.model.rules")
        value = getattr(rules, name, None)
        if value is not None and not isinstance(value, ModuleType):
            import warnings

            warnings.warn(
                f"ragrules.model.{name} moved to ragrules.model.rules.{name} in ragrules 0.2 "
                "and the old path goes in 1.0; import it from ragrules or ragrules.model.rules",
                DeprecationWarning,
                stacklevel=2,
            )
            return value
    raise AttributeError(f"module 'ragrules.model' has no attribute {name!r}")
