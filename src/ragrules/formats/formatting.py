"""`ragrules fmt`: a ruleset's text in one layout, with its comments, order and spelling kept.

A formatter, like ruff's or black's: it changes where the whitespace is and nothing a reader
or the loader could care about. Every comment, every key in its place, `extends`, units and
numbers as written stay; what changes:

- a key and its value are separated by ` = `, with no indentation before either, and dotted
  keys and table names have no spaces around their dots (`a.b = 1`, `[a.b]`);
- a table header (`[travel]`, `[[indicator]]`) has exactly one blank line before it, or
  before the comments directly above it (they belong to it); nowhere are there two blank
  lines in a row, nor blank lines at the start or end of the file;
- no line ends in spaces or tabs, lines end in LF, and the file ends in one newline.

The text inside values (strings, arrays, inline tables) is left as written, but for spaces
at the end of a line (kept inside a multi-line string, whose text they are). The result is
checked before it is returned: parsed, it must be the same document as the input, so a
formatting bug can never change a ruleset; and its outline (table headers, keys and comments,
in order, read from the text without tomlkit) must be the input's, so no comment ends up
above another table. Otherwise the text is refused, not formatted. tomlkit (the `fmt` extra)
keeps the comments and layout that a TOML parser throws away (decision 37); it is given one
table at a time, because in a whole document it moves an `[[indicator]]` written after a
`[scales.x]` up to the other indicators, away from its comments.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any, NamedTuple

from ragrules.formats._reading import TooLarge, read_capped
from ragrules.formats.loading._keys import MAX_RULESET_CHARACTERS
from ragrules.formats.loading._parsing import Unparsable, parse
from ragrules.model.errors import Problem, RulesetError

INSTALL_HINT = 'ragrules fmt needs the fmt extra: pip install "ragrules[fmt]"'


def format_ruleset_text(text: str, source: str = "<string>") -> str:
    """The ruleset text in ragrules' layout; `RulesetError` for text that is not TOML, or
    that fmt cannot format without moving a table or a comment (the text is then not changed)."""
    try:
        import tomlkit
        from tomlkit.exceptions import ParseError
    except ImportError as exc:  # an optional extra: the rest of ragrules works without it
        raise ModuleNotFoundError(INSTALL_HINT) from exc
    before = _parsed(text, source)
    text = text.replace("\r\n", "\n")
    outline = _outline(text)
    # tomlkit moves a table to the others of its name (an `[[indicator]]` after a `[scales.x]`
    # goes up to the other indicators, and the comments above tables stay where they were),
    # so each table is read on its own: its header, its keys and the comments below them.
    starts = [0, *outline.headers, len(text)]
    documents = []
    for start, end in itertools.pairwise(starts):
        try:
            documents.append(tomlkit.parse(text[start:end]))
        except ParseError as exc:  # tomli accepted it: a difference between the two parsers
            line = text.count("\n", 0, start) + exc.line
            raise _error(source, f"cannot format this TOML: {exc}", line) from exc
    _layout([entry for document in documents for entry in _entries(document)])
    formatted = _strip_trailing("".join(document.as_string() for document in documents))
    if not _same(_parsed(formatted, source), before):
        raise _error(source, "formatting would change the ruleset (a bug in ragrules fmt)")
    _same_outline(outline, _outline(formatted), source)
    return formatted


def _strip_trailing(text: str) -> str:
    """No spaces or tabs at the end of a line, but in a multi-line string (they are its text)."""
    kept = _outline(text).kept
    return _TRAILING.sub(lambda m: m.group() if m.end() - 1 in kept else "\n", text)


def _same_outline(before: _Outline, after: _Outline, source: str) -> None:
    """Refuse a formatting that moves a table header, a key or a comment (tomlkit may)."""
    if before.marks == after.marks:
        return
    index = next(
        (
            i
            for i, pair in enumerate(zip(before.marks, after.marks, strict=False))
            if pair[0] != pair[1]
        ),
        min(len(before.marks), len(after.marks)),
    )
    line = before.lines[index] if index < len(before.lines) else None
    what = _describe(before.marks[index]) if index < len(before.marks) else "the end of the file"
    message = (
        f"cannot format this file without moving {what} away from where it is written "
        "(tables, keys and comments must stay in order)"
    )
    hint = "the file is left as it is; format it by hand, or please report it"
    raise RulesetError(problems=(Problem(message=message, file=source, line=line, hint=hint),))


def _describe(mark: tuple[str, str]) -> str:
    kind, text = mark
    if kind == "comment":
        return f"the comment {text!r}"
    return f"the table {text}" if kind == "header" else f"the key {text}"


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


# The document as a flat list of what a reader sees, in order: ("header", table, key),
# ("kv", item, key), ("dotted", table, key) for the first parts of a dotted key,
# ("comment", item), ("blank", whitespace).
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
                yield ("header", table, key)
                yield from _entries(table.value)
        elif isinstance(item, items.Table):
            if key.is_dotted():  # `a.b = 1` is the key `a` of a table holding `b = 1`
                yield ("dotted", item, key)
            elif not item.is_super_table():
                yield ("header", item, key)
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
    if kind in ("dotted", "header"):  # `a . b = 1` is written `a.b = 1`, `[ a . b ]` `[a.b]`
        entry[2]._original = entry[2].as_string().strip()
        if kind == "header" and item.display_name is not None:
            item.display_name = _key_text(item.display_name)
    if kind == "dotted":
        return
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


class _Outline(NamedTuple):
    """What fmt must not move, read from the text without tomlkit: the table headers, keys and
    comments in order (`marks`, with the `lines` they are on), where each table header's line
    starts (`headers`), and which line ends are inside a multi-line string (`kept`)."""

    marks: list[tuple[str, str]]
    lines: list[int]
    headers: list[int]
    kept: set[int]


# A TOML value's pieces that are neither strings nor brackets: numbers, booleans and dates
# (a date and a time may be separated by a space), and the bare keys of inline tables.
_SCALAR = re.compile(r"\d{4}-\d\d-\d\d[ Tt]\d\d:[^\s,\]}#]*|[^\s,\[\]{}#=\"']+")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = re.compile(r"[ \t]*")


def _key_text(name: str) -> str:
    """A key or table name as written, but without spaces around it and its dots."""
    return _Scanner(name).key()


def _outline(text: str) -> _Outline:
    """The outline of TOML text that tomli has read (so it is valid: nothing is checked)."""
    return _Scanner(text).outline()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.found = _Outline([], [], [], set())

    def outline(self) -> _Outline:
        text = self.text
        while self.at < len(text):
            self._space()
            char = text[self.at : self.at + 1]
            if char == "\n":
                self.at += 1
            elif char == "#":
                self._comment()
            elif char == "[":
                self._header()
            elif char:
                self._mark("key", self.key())
                self.at += 1  # the `=`
                self._value()
        return self.found

    def _mark(self, kind: str, what: str) -> None:
        self.found.marks.append((kind, what))
        self.found.lines.append(self.text.count("\n", 0, self.at) + 1)

    def _space(self, lines: bool = False) -> None:
        """Skip spaces and tabs; inside brackets, line ends and comments too."""
        while True:
            match = _SPACE.match(self.text, self.at)
            self.at = match.end() if match else self.at
            char = self.text[self.at : self.at + 1]
            if not lines or char not in ("\n", "#"):
                return
            if char == "#":
                self._comment()
            else:
                self.at += 1

    def _comment(self) -> None:
        end = self.text.find("\n", self.at)
        end = len(self.text) if end < 0 else end
        self._mark("comment", self.text[self.at : end].rstrip(" \t"))
        self.at = end

    def _header(self) -> None:
        text = self.text
        self.found.headers.append(text.rfind("\n", 0, self.at) + 1)
        brackets = "[[" if text.startswith("[[", self.at) else "["
        self.at += len(brackets)
        name = self.key()
        self.at += len(brackets)  # the closing `]` or `]]`
        self._mark("header", f"{brackets}{name}{brackets.replace('[', ']')}")

    def key(self) -> str:
        """A key as written, without the spaces around its dots (`a . "b"` is `a."b"`)."""
        parts = []
        while True:
            self._space()
            start = self.at
            if self.text[self.at] in "\"'":
                self._string()
            else:
                match = _BARE_KEY.match(self.text, self.at)
                self.at = match.end() if match else self.at
            parts.append(self.text[start : self.at])
            self._space()
            if self.text[self.at : self.at + 1] != ".":
                return ".".join(parts)
            self.at += 1

    def _value(self) -> None:
        """Skip one value; arrays and inline tables are followed by depth, not by recursion."""
        depth = 0
        while True:
            self._space(lines=depth > 0)
            char = self.text[self.at : self.at + 1]
            if char in ("[", "{"):
                depth += 1
                self.at += 1
                continue
            if char in ("]", "}"):
                depth -= 1
                self.at += 1
            elif char in (",", "="):
                self.at += 1
                continue
            elif char in ('"', "'"):
                self._string()
            else:
                match = _SCALAR.match(self.text, self.at)
                if match is None:  # the end of the line or of the text
                    return
                self.at = match.end()
            if depth <= 0:
                return

    def _string(self) -> None:
        text, start = self.text, self.at
        quote = text[start]
        if text.startswith(quote * 3, start):
            end = start + 3
            while not text.startswith(quote * 3, end):
                end += 2 if quote == '"' and text[end] == "\\" else 1
            while text.startswith(quote, end + 3):
                end += 1  # up to two quotes just before the closing ones are text
            end += 3
            newline = text.find("\n", start, end)
            while newline >= 0:
                self.found.kept.add(newline)
                newline = text.find("\n", newline + 1, end)
        else:
            end = start + 1
            while text[end] != quote:
                end += 2 if quote == '"' and text[end] == "\\" else 1
            end += 1
        self.at = end
