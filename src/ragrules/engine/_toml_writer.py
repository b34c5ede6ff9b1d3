"""A small TOML writer for the documents ragrules writes: canonical rulesets and `show`.

Deterministic: keys keep the order they are given; numbers that must stay exact are written
as strings by the caller. Optional comments are written after the key they belong to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from ragrules.model._text import quoted_escapes, terminal_safe

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")

Comments = Mapping[str, str]


def dumps(document: Mapping[str, object], comments: Comments | None = None) -> str:
    """TOML text for `document`; `comments` maps key paths to a trailing `# comment`."""
    lines: list[str] = []
    _table(lines, document, [], comments or {})
    return "\n".join(lines).strip() + "\n"


def _table(
    lines: list[str], table: Mapping[str, object], path: list[str], comments: Comments
) -> None:
    inline = _inline(table, path, comments)
    for key, value in inline.items():
        note = comments.get(".".join([*path, key])) or _shared_comment(
            value, [*path, key], comments
        )
        lines.append(f"{_key(key)} = {_value(value)}" + _comment(note))
    for key, value in table.items():
        if key in inline:
            continue
        child = [*path, key]
        if isinstance(value, Mapping):
            # A table holding only sub-tables needs no header of its own.
            if _inline(value, child, comments) or not value:
                lines += ["", f"[{'.'.join(_key(part) for part in child)}]"]
            _table(lines, value, child, comments)
        else:
            assert isinstance(value, Sequence)
            for index, item in enumerate(value):
                assert isinstance(item, Mapping)
                header = f"[[{'.'.join(_key(part) for part in child)}]]"
                note = comments.get(f"{'.'.join(child)}[{index}]")
                lines += ["", header + _comment(note)]
                _table(lines, item, [*child[:-1], f"{key}[{index}]"], comments)


def _comment(note: str | None) -> str:
    """A trailing comment (a file name, for `show`): control and bidi characters shown as
    `\x7f`, `\u202e`, which a TOML comment cannot hold raw and a terminal would obey."""
    return f"  # {terminal_safe(note)}" if note else ""


def _inline(table: Mapping[str, object], path: list[str], comments: Comments) -> dict[str, object]:
    """The keys of `table` written inline. At the top level, tables and arrays of tables
    (`[[indicator]]`) never are; nor is a table whose keys' comments differ (`show`: the
    comparisons of `[travel]` merged from two files, each saying where it came from)."""
    return {
        key: value
        for key, value in table.items()
        if _is_inline(value)
        and not (not path and (_is_table_array(value) or isinstance(value, Mapping)))
        and not _commented_apart(value, [*path, key], comments)
    }


def _shared_comment(value: object, path: list[str], comments: Comments) -> str | None:
    """The one comment every key of a table has (written after the table inline)."""
    found = _key_comments(value, path, comments)
    return found.pop() if len(found) == 1 else None


def _commented_apart(value: object, path: list[str], comments: Comments) -> bool:
    """Whether a table's keys have comments that differ from one another."""
    return len(_key_comments(value, path, comments)) > 1


def _key_comments(value: object, path: list[str], comments: Comments) -> set[str | None]:
    """The comments of a table's keys (None for a key without one); none for a non-table."""
    if not isinstance(value, Mapping):
        return set()
    where = ".".join(path)
    return {comments.get(f"{where}.{key}") for key in value}


def _is_table_array(value: object) -> bool:
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _is_inline(value: object) -> bool:
    """Scalars, tables of scalars and lists of those are written inline."""
    if isinstance(value, Mapping):
        return all(_is_inline(item) for item in value.values()) and _nested_depth(value) <= 2
    if isinstance(value, (list, tuple)):
        return all(_is_inline(item) for item in value)
    return True


def _nested_depth(value: object) -> int:
    if isinstance(value, Mapping):
        return 1 + max((_nested_depth(v) for v in value.values()), default=0)
    if isinstance(value, (list, tuple)):
        return max((_nested_depth(v) for v in value), default=0)
    return 0


def _key(key: str) -> str:
    return key if _BARE.match(key) else quoted_escapes(json.dumps(key, ensure_ascii=False))


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return json.dumps(str(value))
    if isinstance(value, str):
        return quoted_escapes(json.dumps(value, ensure_ascii=False))
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return f"{{ {items} }}" if items else "{}"
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(item, Mapping) for item in value):
            inner = ",\n".join(f"  {_value(item)}" for item in value)
            return f"[\n{inner},\n]"
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
