"""TOML text -> document, where every way of failing has a position and none is a traceback.

tomli locates syntax errors, but two inputs fail otherwise: an integer of thousands of digits
(Python's limit on int-string conversion raises ValueError inside tomli, and a hexadecimal one
parses but cannot be printed in an error message), and inline tables nested hundreds deep
(RecursionError). Both are found in the text here and reported at their line.
"""

from __future__ import annotations

import re
from typing import Any

import tomli

from ragrules.formats.loading._positions import too_deep
from ragrules.model.numbers import MAX_EXPONENT, OutOfRange, toml_number

# Python refuses int <-> decimal text beyond sys.get_int_max_str_digits() digits, which a
# program may lower to 640 (about 2,126 bits). Integers that large are far out of ragrules'
# range, so only they are checked, and only when the text has a run of digits that long.
_PRINTABLE_BITS = 2_000
_LONG_RUN = 500
# Each byte of the text as b"x" (a digit of any base, or _) or b" ": a run of digits is then
# found by a substring search, some twenty times faster than a regular expression's scan.
_DIGITS = bytes(0x78 if chr(byte) in "0123456789abcdefABCDEF_" else 0x20 for byte in range(256))
_LONG_DECIMAL = re.compile(r"(?:^|[=\[,{])[ \t]*[+-]?([0-9][0-9_]{639,})", re.MULTILINE)


class Unparsable(ValueError):
    """The text is not a TOML document. The reason quotes nothing from the text."""

    def __init__(self, reason: str, where: tuple[int, int] | None, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line: int | None = where[0] if where else None
        self.column: int | None = where[1] if where else None
        self.hint = hint


def parse(text: str) -> dict[str, Any]:
    """The TOML document in `text`, floats read exactly; raises Unparsable."""
    try:
        document = tomli.loads(text, parse_float=toml_number)
    except tomli.TOMLDecodeError as exc:
        raise Unparsable(exc.msg, (exc.lineno, exc.colno), _syntax_hint(text, exc)) from None
    except RecursionError:
        raise Unparsable(
            "inline tables and arrays are nested more than TOML reading allows",
            too_deep(text),
            "flatten them",
        ) from None
    except ValueError:  # the int-string conversion limit (TOMLDecodeError is handled above)
        raise Unparsable(
            "a whole number has too many digits",
            _long_decimal(text),
            f"ragrules reads numbers up to 10^{MAX_EXPONENT}",
        ) from None
    if _has_long_run(text):
        _unprintable_ints_as_text(document)
    return document


# `target = 84%`, `{ relative = 10% }`: a number with a unit or a percent sign, unquoted.
_UNQUOTED_AMOUNT = re.compile(
    r"(?:^|[{,])\s*[A-Za-z0-9_.\"'-]+\s*=\s*[+-]?[0-9][0-9_.,]*\s*[%A-Za-z]"
)


def _syntax_hint(text: str, error: tomli.TOMLDecodeError) -> str:
    """What to do about a syntax error, for the two a spreadsheet's user makes first."""
    lines = text.splitlines()
    line = lines[error.lineno - 1] if 0 < error.lineno <= len(lines) else ""
    if "overwrite" not in error.msg and _UNQUOTED_AMOUNT.search(line):
        return 'a value with a unit or a % is text: write it in quotes, e.g. target = "84%"'
    if "Illegal character '\\n'" in error.msg and line.count('"') % 2:
        return 'a text is not closed: end it with " on the same line'
    return "see https://toml.io for the syntax"


def _has_long_run(text: str) -> bool:
    """Whether the text has a run of _LONG_RUN digits (hexadecimal ones included)."""
    if len(text) < _LONG_RUN:
        return False
    digits = text.encode("utf-8", "surrogatepass").translate(_DIGITS)
    return b"x" * _LONG_RUN in digits


def _long_decimal(text: str) -> tuple[int, int] | None:
    """Where the first value of 640 digits or more starts (the conversion limit's minimum)."""
    match = _LONG_DECIMAL.search(text)
    if match is None:
        return None
    start = match.start(1)
    return text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)


def _unprintable_ints_as_text(document: dict[str, Any]) -> None:
    """Replace integers that str() refuses by OutOfRange text, which the loader reports.

    The walk keeps its own stack: documents may nest 400 levels deep.
    """
    stack: list[dict[str, Any] | list[Any]] = [document]
    while stack:
        node = stack.pop()
        keys: list[Any] = list(node) if isinstance(node, dict) else list(range(len(node)))
        for key in keys:
            value = node[key]
            if isinstance(value, (dict, list)):
                stack.append(value)
            elif type(value) is int and value.bit_length() > _PRINTABLE_BITS:
                try:
                    str(value)
                except ValueError:
                    node[key] = OutOfRange(hex(value))
