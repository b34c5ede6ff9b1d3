"""Every key of a ruleset has its line, however it is quoted: a quoted key holding an escaped
quote or backslash (`[statuses."a \\"b\\""]`) once stopped the scan for positions there, so no
problem with a key after it said its line."""

from __future__ import annotations

import json

import tomli
from hypothesis import given
from hypothesis import strategies as st

from ragrules.formats.loading._positions import index_positions
from ragrules.model._text import quoted_escapes

NAMES = st.text(
    st.one_of(st.sampled_from("ab\"\\'. =#[]é\t"), st.characters(exclude_categories=["Cs"])),
    min_size=1,
    max_size=6,
)


def _quoted(name: str) -> str:
    return quoted_escapes(json.dumps(name, ensure_ascii=False))


@given(
    tables=st.lists(NAMES, min_size=1, max_size=4, unique=True),
    keys=st.lists(NAMES, min_size=1, max_size=3, unique=True),
)
def test_every_key_has_the_line_it_is_written_on(tables: list[str], keys: list[str]) -> None:
    lines, expected = [], {}
    for table in tables:
        lines.append(f"[statuses.{_quoted(table)}]")
        expected[f"statuses.{table}"] = len(lines)
        for key in keys:
            lines.append(f"{_quoted(key)} = 1")
            expected[f"statuses.{table}.{key}"] = len(lines)
    text = "\n".join(lines) + "\n"
    read = tomli.loads(text)["statuses"]
    assert set(read) == set(tables)  # the document says what was meant
    positions = index_positions(text)
    for path, line in expected.items():
        assert positions[path] == (line, 1), path
