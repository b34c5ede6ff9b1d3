"""`ragrules fmt`: a ruleset's text in one layout, with its comments, order and spelling kept.

A formatter, like ruff's or black's: it changes where the whitespace is and nothing a reader
or the loader could care about. Every comment, every key in its place, `extends`, units and
numbers as written stay; what changes:

- a key and its value are separated by ` = `, with no indentation before either;
- a table header (`[travel]`, `[[indicator]]`) has exactly one blank line before it, or
  before the comments directly above it (they belong to it); nowhere are there two blank
  lines in a row, nor blank lines at the start or end of the file;
- no line ends in spaces or tabs, lines end in LF, and the file ends in one newline.

The text inside values (strings, arrays, inline tables) is left as written, but for spaces
at the end of a line (kept inside a multi-line string, whose text they are). The
result is checked before it is returned: parsed, it must be the same document as the input,
so a formatting bug can never change a ruleset. tomlkit (the `fmt` extra) keeps the comments
and layout that a TOML parser throws away (decision 37).
"""

from __future__ import annotations

import os
import re
from typing import Any

from ragrules.formats._reading import TooLarge, read_capped
from ragrules.formats.loading._keys import MAX_RULESET_CHARACTERS
from ragrules.formats.loading._parsing import Unparsable, parse
from ragrules.model.errors import Problem, RulesetError

INSTALL_HINT = 'ragrules fmt needs the fmt extra: pip install "ragrules[fmt]"'


def format_ruleset_text(text: str, source: str = "<string>") -> str:
    """The ruleset text in ragrules' layout; `RulesetError` for text that is not TOML."""
    try:
        import tomlkit
        from tomlkit.exceptions import ParseError
    except ImportError as exc:  # an optional extra: the rest of ragrules works without it
        raise ModuleNotFoundError(INSTALL_HINT) from exc
    before = _parsed(text, source)
    try:
        document = tomlkit.parse(text.replace("\r\n", "\n"))
    except ParseError as exc:  # tomli accepted it: a difference between the two parsers
        raise _error(source, f"cannot format this TOML: {exc}", exc.line) from exc
    _layout(list(_entries(document)))
    formatted = document.as_string()
    # Trailing spaces inside values too (`bands = [ `), unless they are part of a multi-line
    # string, where the check below sees the difference and they stay.
    stripped = _TRAILING.sub("\n", formatted)
    if stripped != formatted and _same(_parsed(stripped, source), before):
        return stripped
    if not _same(_parsed(formatted, source), before):
        raise _error(source, "formatting would change the ruleset (a bug in ragrules fmt)")
    return formatted


_TRAILING = re.compile(r"[ \t]+\n")


def format_file(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """The file's bytes as they are, and its text formatted (UTF-8, no byte order mark)."""
    source = str(path)
    try:
        data = read_capped(path, MAX_RULESET_CHARACTERS * 4)
        text = data.decode("utf-8-sig")
    except TooLarge:
        raise _refused(source, f"over {MAX_RULESET_CHARACTERS:,} characters", "split it") from None
    except UnicodeDecodeError as exc:
        raise _refused(source, "not UTF-8 text", f"save it as UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise _refused(source, f"cannot read it: {exc.strerror or exc}", "check the path") from None
    return data, format_ruleset_text(text, source)


def _refused(source: str, message: str, hint: str) -> RulesetError:
    return RulesetError(problems=(Problem(message=message, file=source, hint=hint),))


def _same(one: object, other: object) -> bool:
    """Whether two parsed documents hold the same values (`nan` is the same as `nan`)."""
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(_same(one[k], other[k]) for k in one)
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(_same, one, other))
    if one != one and other != other:  # NaN, which is not equal to itself
        return type(one) is type(other)
    return type(one) is type(other) and one == other


def _parsed(text: str, source: str) -> dict[str, Any]:
    """The document as the loader reads it (numbers exact), to compare before and after."""
    try:
        return parse(text)
    except Unparsable as exc:
        problem = Problem(
            message=f"not valid TOML: {exc.reason}",
            file=source,
            line=exc.line,
            column=exc.column,
            hint=exc.hint,
        )
        raise RulesetError(problems=(problem,)) from None


def _error(source: str, message: str, line: int | None = None) -> RulesetError:
    hint = "please report it; the file is left as it is"
    return RulesetError(problems=(Problem(message=message, file=source, line=line, hint=hint),))


# The document as a flat list of what a reader sees, in order: ("header", table),
# ("kv", item, key), ("comment", item), ("blank", whitespace).
_Entry = tuple[Any, ...]


def _entries(container: Any) -> Any:
    from tomlkit import items

    for key, item in container.body:
        if isinstance(item, items.Whitespace):
            yield ("blank", item)
        elif isinstance(item, items.Comment):
            yield ("comment", item)
        elif isinstance(item, items.AoT):
            for table in item.body:
                yield ("header", table)
                yield from _entries(table.value)
        elif isinstance(item, items.Table):
            if not item.is_super_table() and not key.is_dotted():
                yield ("header", item)
            yield from _entries(item.value)
        else:
            yield ("kv", item, key)


def _layout(entries: list[_Entry]) -> None:
    for entry in entries:
        _tidy(entry)
    started = False  # whether anything but blank lines came before
    for index, entry in enumerate(entries):
        if entry[0] == "blank":
            if not started or all(later[0] == "blank" for later in entries[index + 1 :]):
                entry[1]._s = ""  # no blank lines at the start or the end of the file
            continue
        if entry[0] == "header" and started:
            _blank_line_before(entries, index)
        started = True
    last = next((entry for entry in reversed(entries) if entry[0] != "blank"), None)
    if last is not None and not last[1].trivia.trail.endswith("\n"):
        last[1].trivia.trail += "\n"


def _tidy(entry: _Entry) -> None:
    """One entry in place: no indentation, ` = `, no trailing spaces, one blank line at most."""
    kind, item = entry[0], entry[1]
    if kind == "blank":
        item._s = "\n" if "\n" in item.s else ""
        return
    trivia = item.trivia
    trivia.indent = ""
    if not trivia.comment:
        trivia.comment_ws = ""
    elif not trivia.comment_ws and kind != "comment":
        trivia.comment_ws = " "
    trivia.comment = trivia.comment.rstrip()
    trivia.trail = "\n" if "\n" in trivia.trail else trivia.trail.strip(" \t")
    if kind == "kv":
        key = entry[2]
        key._original = key.as_string().strip()
        key.sep = " = "


def _blank_line_before(entries: list[_Entry], header: int) -> None:
    """One blank line before the header, or before the comments directly above it."""
    first = header
    while first > 0 and entries[first - 1][0] == "comment":
        first -= 1
    if all(entry[0] == "blank" for entry in entries[:first]):
        return  # nothing above but the start of the file
    if entries[first - 1][0] == "blank":
        return  # the blank line is there (runs of them are one line by now)
    entries[first][1].trivia.indent = "\n"
