"""Graded direction-of-travel words: "significant increase", "slight decrease", "similar result"."""

from __future__ import annotations

import io
import json

import pytest

import ragrules
from ragrules.data import iter_csv
from ragrules.engine.canonical import canonical_toml
from ragrules.reports.compiled import rate_csv_stream
from ragrules.reports.output import to_json, to_table
from ragrules.stream import write_stream

RULES = """
[ruleset]
format = 1
id = "graded"

[travel]
unchanged-within = { relative = "2%" }

[travel.comparisons.short]
against = "previous-period"
words = [
  { word = "similar result", direction = "unchanged" },
  { word = "significant increase", direction = "up", at-least = "10%" },
  { word = "slight increase", direction = "up" },
  { word = "significant decrease", direction = "down", at-least = "10%" },
  { word = "slight decrease", direction = "down" },
]

[[indicator]]
id = "a"
target = 50
tolerance = { absolute = 5 }
"""


def _word(earlier: str, now: str) -> str:
    rows = [
        {"indicator": "a", "period": "2024/25 Q1", "value": earlier},
        {"indicator": "a", "period": "2024/25 Q2", "value": now},
    ]
    return ragrules.loads(RULES).rate(rows).result("a").travel[0].word


@pytest.mark.parametrize(
    ("earlier", "now", "word"),
    [
        ("50", "55", "significant increase"),  # exactly 10% of 50
        ("50", "54.99", "slight increase"),
        ("50", "51", "similar result"),  # within 2%
        ("50", "51.01", "slight increase"),
        ("50", "45", "significant decrease"),
        ("50", "45.01", "slight decrease"),
        ("-50", "-45", "significant increase"),  # a share of the earlier value's size
    ],
)
def test_the_first_word_that_fits(earlier: str, now: str, word: str) -> None:
    assert _word(earlier, now) == word


def test_words_are_in_the_outputs_only_where_a_comparison_has_them(tmp_path: object) -> None:
    rows = [
        {"indicator": "a", "period": "2024/25 Q1", "value": "50"},
        {"indicator": "a", "period": "2024/25 Q2", "value": "55"},
    ]
    report = ragrules.loads(RULES).rate(rows)
    move = json.loads(to_json(report))["results"][0]["travel"][0]
    assert move["word"] == "significant increase"
    assert "↑ significant increase" in to_table(report)
    plain = ragrules.loads(
        RULES.split("words = [")[0]
        + '\n[[indicator]]\nid = "a"\ntarget = 50\ntolerance = { absolute = 5 }\n'
    )
    assert "word" not in json.loads(to_json(plain.rate(rows)))["results"][0]["travel"][0]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_the_stream_writes_the_words(fmt: str, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "data.csv"
    path.write_text("indicator,period,value\na,2024/25 Q1,50\na,2024/25 Q2,55\n", encoding="utf-8")
    ruleset = ragrules.loads(RULES)
    fast, slow = io.StringIO(), io.StringIO()
    rate_csv_stream(ruleset, path, fast, fmt)
    write_stream(ruleset.iter_rate(iter_csv(path)), ruleset, slow, fmt)
    assert fast.getvalue() == slow.getvalue()


def test_canonical_toml_keeps_the_words() -> None:
    ruleset = ragrules.loads(RULES)
    assert ragrules.loads(canonical_toml(ruleset)).travel == ruleset.travel


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ('[{ direction = "up" }]', "each entry needs a word"),
        ('[{ word = "x", direction = "sideways" }]', "'sideways' is not a valid direction"),
        ('[{ word = "x", at-least = 10 }]', "is not a percentage"),
        ('"rising"', "expected a list of words"),
    ],
)
def test_bad_words_are_refused(words: str, message: str) -> None:
    text = (
        '[ruleset]\nformat = 1\nid = "x"\n[travel.comparisons.short]\n'
        f'against = "previous-period"\nwords = {words}\n[[indicator]]\nid = "a"\ntarget = 1\n'
        "tolerance = { absolute = 1 }\n"
    )
    with pytest.raises(ragrules.RulesetError) as caught:
        ragrules.loads(text)
    assert any(message in p.message for p in caught.value.problems), caught.value.problems
    assert all(p.line == 6 for p in caught.value.problems)
