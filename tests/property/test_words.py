"""A status's label or synonym, however a report spells it (case, spacing, trailing
punctuation), reads back as that status."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ragrules.model.words import StatusWords, status_named

WORDS = (
    StatusWords(status="green", label="Achieved", synonyms=("Target achieved", "Met")),
    StatusWords(status="amber", label="Within tolerance", synonyms=("Near target",)),
    StatusWords(status="red", label="Not achieved", synonyms=("Missed",)),
)
STATUSES = ("green", "amber", "red")


@st.composite
def spellings(draw: st.DrawFn) -> tuple[str, str]:
    words = draw(st.sampled_from(WORDS))
    name = draw(st.sampled_from([words.label, *words.synonyms]))
    cased = "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in name)
    spaced = draw(st.sampled_from([" ", "  "])).join(cased.split())
    tail = draw(st.sampled_from(["", ".", "!", " .", ";", ":"]))
    lead = draw(st.sampled_from(["", " ", "  "]))
    return f"{lead}{spaced}{tail}", words.status


@given(spellings())
def test_every_spelling_names_its_status(spelt: tuple[str, str]) -> None:
    text, status = spelt
    assert status_named(text, STATUSES, WORDS) == status
