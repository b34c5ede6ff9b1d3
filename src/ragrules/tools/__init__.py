"""Tools for auditors and testers: audit a published report (`audit`), verify a ruleset's
invariants (`verify`), compare two rulesets' ratings (`compare`) and the property-testing kit
(`testing`, which needs the `testing` extra).

They may import every layer below them, but not the command line. A new auditor check goes here.
This package is public: its `__all__` is the auditor's API (the testing kit is `ragrules.testing`).
"""

from ragrules.tools.audit import Audit, Mismatch, audit
from ragrules.tools.compare import (
    RatingDifference,
    RollupDifference,
    RuleDifference,
    rating_differences,
    rollup_differences,
    rule_differences,
)
from ragrules.tools.verify import check_invariants, verify_file

__all__ = [
    "Audit",
    "Mismatch",
    "RatingDifference",
    "RollupDifference",
    "RuleDifference",
    "audit",
    "check_invariants",
    "rating_differences",
    "rollup_differences",
    "rule_differences",
    "verify_file",
]
