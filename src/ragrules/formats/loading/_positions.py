"""Where each key of a TOML document is: key path -> (line, column), both 1-based.

tomli reports positions only for syntax errors. Ruleset errors are about keys and values, so
this scanner walks a document tomli has already accepted and records where every key, table
and array element starts, giving paths such as `indicator[3].tolerance.relative`.

The scan recurses once per level of inline tables and arrays, so it stops at MAX_NESTING
levels (deeper keys are located at their nearest enclosing key): tomli accepts 400 levels,
which would otherwise exhaust Python's recursion limit here.
"""

from __future__ import annotations

import bisect
import contextlib
import re

import tomli

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")
_SIMPLE_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=[ \t]*")
_BLANK = re.compile(r"[ \t\r]*")
_BLANK_LINES = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
MAX_NESTING = 64  # far beyond any ruleset; keeps the scan under ~130 Python frames


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.positions: dict[str, tuple[int, int]] = {}
        self.depth = 0
        self.too_deep: tuple[int, int] | None = None  # where nesting passed MAX_NESTING
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def mark(self, path: str, offset: int) -> None:
        self.positions.setdefault(path, self.where(offset))

    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces (and, with `newlines`, line ends and comments): by regex, as a
        document of 400,000 keys is scanned in a loop over them."""
        blank = _BLANK_LINES if newlines else _BLANK
        self.i = blank.match(self.text, self.i).end()  # type: ignore[union-attr]  # matches ""

    def keys(self) -> list[str]:
        parts = []
        while True:
            self.skip_blank(newlines=False)
            char = self.peek()
            if char == "'":  # a literal key: no escapes
                end = self.text.index(char, self.i + 1)
                parts.append(self.text[self.i + 1 : end])
                self.i = end + 1
            elif char == '"':  # a basic key: to its unescaped quote, its escapes read
                end = self._basic_end()
                parts.append(_basic_key(self.text[self.i : end + 1]))
                self.i = end + 1
            else:
                match = _BARE_KEY.match(self.text, self.i)
                if match is None:
                    raise ValueError("not a key")
                parts.append(match.group())
                self.i = match.end()
            self.skip_blank(newlines=False)
            if self.peek() != ".":
                return parts
            self.i += 1

    def _basic_end(self) -> int:
        """Where the basic string (or quoted key) starting here ends: its first quote that
        no backslash escapes."""
        end = self.i + 1
        while True:
            end = self.text.index('"', end)
            if not _escaped(self.text, end):
                return end
            end += 1

    def enter(self) -> None:
        """One level deeper into an inline table or array; the scan stops past MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.too_deep = self.where(self.i)
            raise ValueError("nested too deeply")
        self.i += 1

    def value(self, path: str) -> None:
        char = self.peek()
        if char == "{":
            self.enter()
            while True:
                self.skip_blank(newlines=True)
                if self.peek() == "}":
                    self.i += 1
                    self.depth -= 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                self.key_value(path)
        elif char == "[":
            self.enter()
            index = 0
            while True:
                self.skip_blank(newlines=True)
                if self.peek() == "]":
                    self.i += 1
                    self.depth -= 1
                    return
                if self.peek() == ",":
                    self.i += 1
                    continue
                element = f"{path}[{index}]"
                self.mark(element, self.i)
                self.value(element)
                index += 1
        elif self.peek(3) in ('"""', "'''"):
            quote = self.peek(3)
            end = self.i + 3
            while True:
                end = self.text.index(quote, end)
                if quote == "'''" or not _escaped(self.text, end):
                    break
                end += 1
            self.i = end + 3
            while self.peek() == quote[0]:  # up to two quotes may end the string's content
                self.i += 1
        elif char == '"':
            self.i = self._basic_end() + 1
        elif char == "'":
            self.i = self.text.index("'", self.i + 1) + 1
        else:
            match = _SCALAR_END.search(self.text, self.i)
            self.i = len(self.text) if match is None else match.start()

    def key_value(self, table: str) -> None:
        start = self.i
        simple = _SIMPLE_KEY.match(self.text, self.i)  # most keys: `name = `, in one step
        if simple is not None:
            path = _join(table, [simple.group(1)])
            self.i = simple.end()
        else:
            path = _join(table, self.keys())
            self.skip_blank(newlines=False)
            if self.peek() != "=":
                raise ValueError("expected =")
            self.i += 1
            self.skip_blank(newlines=False)
        self.mark(path, start)
        self.value(path)

    def document(self) -> None:
        table = ""
        array_index: dict[str, int] = {}
        while True:
            self.skip_blank(newlines=True)
            if self.i >= len(self.text):
                return
            start = self.i
            if self.peek(2) == "[[" or self.peek() == "[":
                is_array = self.peek(2) == "[["
                self.i += 2 if is_array else 1
                parts = self.keys()
                self.i += 2 if is_array else 1
                table = ""
                for n, part in enumerate(parts):
                    table = _join(table, [part])
                    last = n == len(parts) - 1
                    if is_array and last:
                        array_index[table] = array_index.get(table, -1) + 1
                        self.mark(table, start)
                        table = f"{table}[{array_index[table]}]"
                    elif table in array_index:
                        table = f"{table}[{array_index[table]}]"
                self.mark(table, start)
            else:
                self.key_value(table)


def _basic_key(quoted: str) -> str:
    """A quoted key's name, its escapes (`\\"`, `\\u00e9`) read as TOML reads them."""
    if "\\" not in quoted:
        return quoted[1:-1]
    return next(iter(tomli.loads(f"{quoted} = 0")))


def _escaped(text: str, quote_at: int) -> bool:
    backslashes = 0
    while text[quote_at - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _join(table: str, parts: list[str]) -> str:
    path = ".".join(parts)
    return f"{table}.{path}" if table else path


def index_positions(text: str) -> dict[str, tuple[int, int]]:
    """Key path -> (line, column) for a document that parses as TOML.

    The scan stops quietly at anything it does not follow; the positions found so far stand.
    """
    scanner = _Scanner(text)
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        scanner.document()
    return scanner.positions


def too_deep(text: str) -> tuple[int, int] | None:
    """Where inline tables and arrays first nest more than MAX_NESTING levels, if they do.

    tomli reports over-deep nesting without a position (as a RecursionError); this finds it.
    """
    scanner = _Scanner(text)
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        scanner.document()
    return scanner.too_deep


def locate(positions: dict[str, tuple[int, int]], path: str) -> tuple[int, int] | None:
    """Position of `path`, or of its nearest enclosing key that has one."""
    while path:
        if path in positions:
            return positions[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[: max(cut, 0)]
    return None
