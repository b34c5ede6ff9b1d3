"""Property-test your own ruleset: Hypothesis strategies and the design's invariants as checks.

Install the `testing` extra (``pip install "ragrules[testing]"``, which brings Hypothesis).
`import ragrules` never imports this module.

Strategies build ragrules objects and published-looking data: `decimals_text`, `spellings`,
`margins`, `indicators`, `rulesets`, `observations`, `values` and `boundary_values`. The
checks (`check_totality`, `check_monotonic`, `check_batch_independence`, `check_boundary`,
for officer judgement `check_override` and `check_forecast`, for roll-ups `check_rollup`) are
plain functions that raise `AssertionError` with a message naming the indicator, the values
and what went wrong, so they work under pytest, unittest or a bare script.
`reference_status` is an independent statement of the rating rule (exact fractions, straight
from the design's formulas) to compare the library against.

A council property-tests its own ruleset in a few lines::

    from hypothesis import given

    import ragrules
    from ragrules import testing

    RULES = ragrules.load("rulesets/our-council-2024-25.toml")
    PI = RULES.indicator("ehc-assessments-20-weeks")

    @given(testing.observations(RULES, "2024/25 Q1", strays=True, duplicates=True))
    def test_no_row_is_lost(rows):
        testing.check_totality(RULES, rows)

    @given(testing.values(PI), testing.values(PI))
    def test_better_values_never_rate_worse(low, high):
        testing.check_monotonic(RULES, PI.id, low, high)

    @given(testing.boundary_values(PI))
    def test_boundaries_are_exact(boundary):
        testing.check_boundary(RULES, PI.id, boundary)
"""

# Every public name of the kit, under the name users import it by (the list is the kit's own).
from ragrules.tools.testing import *  # noqa: F403
from ragrules.tools.testing import __all__ as __all__
