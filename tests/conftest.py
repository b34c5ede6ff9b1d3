"""Shared test set-up: Hypothesis profiles and paths to the shipped rulesets."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "rulesets" / "examples"
CASES = ROOT.parent / "shared" / "cases"

# `ci`: a fixed budget, derandomised, so CI runs are repeatable and bounded in time.
settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=100, deadline=None)
# `fuzz`: a long offline run of the fuzz tests (see docs/reliability.md).
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("RAGRULES_FUZZ_EXAMPLES", "200000")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
