"""A movement's graded word is the first whose direction and threshold fit, decided exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from ragrules.engine.travel import word_for
from ragrules.model.rules import Against, Comparison, Direction, TravelWord

DIRECTIONS = [Direction.UP, Direction.DOWN, Direction.UNCHANGED, None]
words = st.lists(
    st.builds(
        TravelWord,
        word=st.text("abc", min_size=1, max_size=3),
        direction=st.sampled_from(DIRECTIONS),
        at_least=st.none() | st.decimals(0, 1, places=3),
    ),
    min_size=1,
    max_size=5,
)
values = st.decimals(-1000, 1000, places=2)


@given(graded=words, current=values, earlier=values)
def test_the_first_word_that_fits(
    graded: list[TravelWord], current: Decimal, earlier: Decimal
) -> None:
    comparison = Comparison(name="c", against=Against.PREVIOUS_PERIOD, words=tuple(graded))
    moved = (
        Direction.UP
        if current > earlier
        else Direction.DOWN
        if current < earlier
        else Direction.UNCHANGED
    )
    change = abs(Fraction(current) - Fraction(earlier))
    expected = next(
        (
            w.word
            for w in graded
            if (w.direction is None or w.direction is moved)
            and (w.at_least is None or change >= Fraction(w.at_least) * abs(Fraction(earlier)))
        ),
        "",
    )
    assert word_for(comparison, moved, current, earlier) == expected
