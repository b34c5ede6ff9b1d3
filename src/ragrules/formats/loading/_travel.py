"""Reading `[travel]`: comparisons, arrows and travel conditions."""

from __future__ import annotations

from ragrules.formats.loading._amounts import Amounts
from ragrules.formats.loading._keys import (
    _COMPARISON_KEYS,
    _TRAVEL_KEYS,
)
from ragrules.model.errors import close_matches
from ragrules.model.rules import (
    DEFAULT_GLYPHS,
    Against,
    Arrows,
    Comparison,
    Direction,
    Judgement,
    Travel,
    TravelCondition,
    TravelWord,
)

_WORDS_HINT = (
    'e.g. words = [{ word = "significant increase", direction = "up", at-least = "10%" }, '
    '{ word = "increase", direction = "up" }]'
)


class TravelReader(Amounts):
    """`[travel]`: comparisons, arrows, and the travel conditions bands and rules use."""

    def travel(self, raw: object) -> tuple[Travel, tuple[object, str] | None]:
        """The [travel] table, and its raw `unchanged-within` (resolved per indicator unit)."""
        body = self.table(raw, "travel", _TRAVEL_KEYS)
        raw_comparisons = body.get("comparisons", {})
        names = tuple(raw_comparisons) if isinstance(raw_comparisons, dict) else ()
        comparisons = []
        for name, value in self.table(raw_comparisons, "travel.comparisons", names).items():
            comparison = self.comparison(name, value, f"travel.comparisons.{name}")
            if comparison is not None:
                comparisons.append(comparison)
        arrows = glyphs = None
        if "arrows" in body:
            arrows = self.dated_setting(
                body["arrows"],
                "travel.arrows",
                lambda raw, path: self.choice(raw, path, Arrows),
            )
        if "glyphs" in body:
            glyphs = self.dated_setting(body["glyphs"], "travel.glyphs", self.glyphs)
        travel = Travel(
            comparisons=tuple(comparisons),
            arrows=Arrows.DIRECTION if arrows is None else arrows.entries[0].value,
            glyphs=DEFAULT_GLYPHS if glyphs is None else glyphs.entries[0].value,
            dated_arrows=arrows if arrows is not None and arrows.is_dated else None,
            dated_glyphs=glyphs if glyphs is not None and glyphs.is_dated else None,
        )
        if "unchanged-within" not in body:
            return travel, None
        return travel, (body["unchanged-within"], "travel.unchanged-within")

    def glyphs(self, raw: object, path: str) -> tuple[tuple[str, str], ...] | None:
        """`glyphs = { up = "▲", down = "▼" }`: the defaults, with these replaced."""
        glyphs = dict(DEFAULT_GLYPHS)
        for key, glyph in self.table(raw, path, tuple(glyphs)).items():
            text = self.string(glyph, f"{path}.{key}")
            if text is not None:
                glyphs[key] = text
        return tuple(glyphs.items())

    def comparison(self, name: str, raw: object, path: str) -> Comparison | None:
        body = self.table(raw, path, _COMPARISON_KEYS)
        if "against" not in body:
            if isinstance(raw, dict):
                self.problem(
                    path, "a comparison needs 'against'", 'e.g. against = "previous-period"'
                )
            return None
        against = self.choice(body["against"], f"{path}.against", Against)
        benchmark = (
            self.string(body["benchmark"], f"{path}.benchmark") if "benchmark" in body else None
        )
        label = self.string(body["label"], f"{path}.label") or "" if "label" in body else ""
        if against is Against.BENCHMARK and not benchmark:
            self.problem(
                path,
                "a benchmark comparison names its benchmark",
                'add benchmark = "england": a [benchmarks] entry, or a column of the data',
            )
            return None
        if against is not Against.BENCHMARK and benchmark is not None:
            self.problem(
                f"{path}.benchmark",
                "only a benchmark comparison names a benchmark",
                'set against = "benchmark"',
            )
            return None
        if against is None:
            return None
        points, test = 5, "regression"
        if against is Against.RECENT_TREND:
            points = body.get("points", 5)
            test = body.get("test", "regression")
            if type(points) is not int or not 3 <= points <= 50:
                self.problem(f"{path}.points", "expected a whole number of points from 3 to 50")
                return None
            if test not in ("regression", "chi-squared"):
                self.problem(
                    f"{path}.test",
                    f"{test!r} is not a trend test",
                    'use "regression" (weighted by the 95% limits) or "chi-squared" (on counts '
                    "and denominators)",
                )
                return None
        elif against is Against.PREVIOUS_AVERAGE:
            periods = body.get("points")
            if "test" in body:
                self.problem(f"{path}.test", "only a recent-trend comparison has a test")
                return None
            if type(periods) is int and 2 <= periods <= 24:
                points = periods
            else:
                self.problem(
                    f"{path}.points" if "points" in body else path,
                    "a previous average needs a whole number of periods from 2 to 24",
                    "e.g. points = 4: the four periods before, a year of quarters",
                )
                return None
        elif "points" in body or "test" in body:
            self.problem(
                path,
                "only a recent-trend or previous-average comparison has points"
                if "test" not in body
                else "only a recent-trend comparison has points and a test",
            )
            return None
        same_target = body.get("same-target", False)
        if not isinstance(same_target, bool):
            self.problem(f"{path}.same-target", "expected true or false", "same-target = true")
            return None
        if same_target and against not in (Against.PREVIOUS_PERIOD, Against.SAME_PERIOD_LAST_YEAR):
            self.problem(
                f"{path}.same-target",
                "only a previous-period or same-period-last-year comparison has same-target",
                "compare with one earlier period, or leave same-target out",
            )
            return None
        words: tuple[TravelWord, ...] = ()
        dated_words = None
        if "words" in body:
            raw_words = body["words"]
            if isinstance(raw_words, list) and any(
                isinstance(item, dict) and ("value" in item or "from" in item) for item in raw_words
            ):
                # An entry may have no words: words brought in (or dropped) from a period.
                dated_words = self.dated_setting(
                    raw_words,
                    f"{path}.words",
                    lambda raw, where: () if raw == [] else self.travel_words(raw, where),
                )
                if dated_words is None:
                    return None
                words = dated_words.entries[0].value
            else:
                found = self.travel_words(raw_words, f"{path}.words")
                if found is None:
                    return None
                words = found
        return Comparison(
            name=name,
            against=against,
            benchmark=benchmark,
            label=label,
            points=points,
            test=test,
            words=words,
            dated_words=dated_words if dated_words is not None and dated_words.is_dated else None,
            same_target=same_target,
        )

    def travel_words(self, raw: object, path: str) -> tuple[TravelWord, ...] | None:
        """`words = [{ word = "significant increase", direction = "up", at-least = "10%" }]`."""
        if not isinstance(raw, list) or not raw:
            self.problem(path, "expected a list of words", _WORDS_HINT)
            return None
        found = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            body = self.table(item, where, ("word", "direction", "at-least"))
            word = self.string(body["word"], f"{where}.word") if "word" in body else None
            if not word:
                self.problem(where, "each entry needs a word", _WORDS_HINT)
                return None
            moved = None
            if "direction" in body:
                moved = self.choice(body["direction"], f"{where}.direction", Direction)
                if moved is None or moved is Direction.NOT_COMPARABLE:
                    if moved is not None:
                        self.problem(f"{where}.direction", "use up, down or unchanged")
                    return None
            at_least = None
            if "at-least" in body:
                at_least = self.percentage(body["at-least"], f"{where}.at-least")
                if at_least is None:
                    return None
            found.append(TravelWord(word=word, direction=moved, at_least=at_least))
        return tuple(found)

    def travel_condition(
        self, raw: object, path: str, travel: Travel, extra: tuple[str, ...] = ()
    ) -> TravelCondition | None:
        """`{ comparison = "long", judgement = ["improving", "unchanged"] }` on a band."""
        body = self.table(raw, path, ("comparison", "judgement", *extra))
        if "comparison" not in body or "judgement" not in body:
            if isinstance(raw, dict):
                self.problem(path, "a travel condition needs 'comparison' and 'judgement'")
            return None
        name = self.string(body["comparison"], f"{path}.comparison")
        known = [comparison.name for comparison in travel.comparisons]
        if name is not None and name not in known:
            close = close_matches(name, known)
            hint = f"did you mean {close[0]!r}?" if close else "declare it in [travel.comparisons]"
            self.problem(f"{path}.comparison", f"unknown comparison {name!r}", hint)
            name = None
        raw_judgements = body["judgement"]
        if isinstance(raw_judgements, str):
            raw_judgements = [raw_judgements]
        if not isinstance(raw_judgements, list) or not raw_judgements:
            self.problem(
                f"{path}.judgement",
                "expected a judgement or a list of them",
                'e.g. ["improving", "unchanged"]',
            )
            return None
        judgements = [
            self.choice(item, f"{path}.judgement[{index}]", Judgement)
            for index, item in enumerate(raw_judgements)
        ]
        if name is None or None in judgements:
            return None
        return TravelCondition(
            comparison=name, judgements=frozenset(j for j in judgements if j is not None)
        )
