"""What a ruleset says about direction of travel: comparisons, judgements and arrows.

Value objects only, like `rules` (which re-exports every name here).
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import attrs

from ragrules.model.periods import Period
from ragrules.model.schedules import Dated, Schedule


class Against(enum.Enum):
    """What a comparison compares the current value with."""

    PREVIOUS_PERIOD = "previous-period"
    SAME_PERIOD_LAST_YEAR = "same-period-last-year"
    BENCHMARK = "benchmark"
    # The series' last `points` values, tested for a significant trend (Fingertips' method).
    RECENT_TREND = "recent-trend"
    # The mean of the series' `points` periods before this one (Pentana's average).
    PREVIOUS_AVERAGE = "previous-average"
    # The series' whole year before the current period's year (Havering's previous outturn).
    PREVIOUS_OUTTURN = "previous-outturn"


class Direction(enum.Enum):
    """How the value moved, whatever the polarity."""

    UP = "up"
    DOWN = "down"
    UNCHANGED = "unchanged"
    NOT_COMPARABLE = "not-comparable"


class Judgement(enum.Enum):
    """Whether the movement is good, given the polarity; never for neutral indicators."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    UNCHANGED = "unchanged"


class Arrows(enum.Enum):
    """What a report's arrows draw: the raw movement, or whether performance improved."""

    DIRECTION = "direction"
    JUDGEMENT = "judgement"


@attrs.frozen(kw_only=True)
class TravelWord:
    """A word for a movement ("significant increase", "similar result"): for movements in
    `direction` (any when None) of at least `at_least` of the earlier value's size (any size
    when None). A comparison's words are tried in order; the first that fits is used."""

    word: str
    direction: Direction | None = None
    at_least: Decimal | None = None


@attrs.frozen(kw_only=True)
class Comparison:
    """A named direction-of-travel comparison, e.g. `short` against the previous period."""

    name: str
    against: Against
    benchmark: str | None = None
    label: str = ""
    # For a previous average: how many periods before this one. For a recent trend: how
    # many points, and the test: "chi-squared" on counts and
    # denominators (a proportion) or "regression" weighted by 1/SE^2 from the 95% limits.
    points: int = 5
    test: str = "regression"
    # Graded words for its movements, tried in order (see `TravelWord`); with effective dates
    # in `dated_words`, `words` holds the earliest entry's and `Travel.at` the period's.
    words: tuple[TravelWord, ...] = ()
    dated_words: Schedule[tuple[TravelWord, ...]] | None = None
    # Compared only with an earlier period that had the same target (a changed quarterly
    # target makes the short-term comparison meaningless): else not comparable.
    same_target: bool = False

    @property
    def has_words(self) -> bool:
        """Whether any period's movements get words (a result's JSON then has `word`)."""
        return bool(self.words) or self.dated_words is not None


@attrs.frozen(kw_only=True)
class TravelCondition:
    """A band condition on travel: the named comparison's judgement is one of these."""

    comparison: str
    judgements: frozenset[Judgement]


DEFAULT_GLYPHS: tuple[tuple[str, str], ...] = (
    ("up", "\u2191"),
    ("down", "\u2193"),
    ("unchanged", "\u2192"),
    ("improving", "\u2191"),
    ("worsening", "\u2193"),
    ("not-comparable", "-"),
)
_DEFAULT_GLYPH = dict(DEFAULT_GLYPHS)


@attrs.frozen(kw_only=True)
class Travel:
    """A ruleset's direction-of-travel settings: comparisons, and how arrows are drawn."""

    comparisons: tuple[Comparison, ...] = ()
    arrows: Arrows = Arrows.DIRECTION
    glyphs: tuple[tuple[str, str], ...] = DEFAULT_GLYPHS
    # Arrows and glyphs with effective dates (a report redrawn from a year on); `arrows` and
    # `glyphs` hold the earliest entry's, `at` the period's.
    dated_arrows: Schedule[Arrows] | None = None
    dated_glyphs: Schedule[tuple[tuple[str, str], ...]] | None = None
    _versions: dict[tuple[int | None, ...], Travel] = attrs.field(
        init=False, factory=dict, eq=False, repr=False
    )

    @property
    def is_dated(self) -> bool:
        """Whether arrows, glyphs or any comparison's words change with effective dates."""
        return (
            self.dated_arrows is not None
            or self.dated_glyphs is not None
            or any(c.dated_words is not None for c in self.comparisons)
        )

    def at(self, period: Period | None) -> Travel:
        """The settings in force for `period`: arrows, glyphs and words resolved (itself when
        nothing is dated). One object per combination of entries in force."""
        if not self.is_dated:
            return self
        schedules: tuple[Schedule[Any] | None, ...] = (
            self.dated_arrows,
            self.dated_glyphs,
            *(c.dated_words for c in self.comparisons),
        )
        key = tuple(None if s is None else s.started_index(period) for s in schedules)
        found = self._versions.get(key)
        if found is None:
            entries: list[Dated[Any] | None] = [
                None if index is None or schedule is None else schedule.entries[index]
                for schedule, index in zip(schedules, key, strict=True)
            ]
            arrows, glyphs, *words = entries
            comparisons = tuple(
                c if entry is None else attrs.evolve(c, words=entry.value)
                for c, entry in zip(self.comparisons, words, strict=True)
            )
            found = attrs.evolve(
                self,
                comparisons=comparisons,
                arrows=self.arrows if arrows is None else arrows.value,
                glyphs=self.glyphs if glyphs is None else glyphs.value,
            )
            self._versions[key] = found
        return found

    def glyph(self, key: str) -> str:
        """The glyph for a direction or judgement value (`up`, `improving`, ...)."""
        for name, glyph in reversed(self.glyphs):  # the last given wins, as in a dict
            if name == key:
                return glyph
        found = _DEFAULT_GLYPH.get(key)
        if found is None:
            raise ValueError(
                f"no glyph for {key!r}: a direction or judgement, one of "
                f"{', '.join(sorted(_DEFAULT_GLYPH))}"
            )
        return found
