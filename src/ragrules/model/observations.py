"""Observations as published: one row of indicator, period and value text, read exactly.

Published values are text (`28.15`, `48%`, `26 weeks`, blank, `N/A`, `<5`). `read_value`
turns that text into a Decimal in the indicator's unit, or into a reason not to rate it.
This is the edge where units are converted (with cached factors), before the pure core.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal

import attrs

from ragrules.model._text import column_key as column_key  # a model name, used here
from ragrules.model.numbers import NumberError, split_value, to_decimal
from ragrules.model.rules import Tokens, Unrated
from ragrules.model.units import UnitError, canonical_unit, convert, label

# Published tokens that mean "no value this period" and "value withheld".
NO_DATA_TOKENS = frozenset(
    {
        "",
        "n/a",
        "na",
        "-",
        "--",
        "\u2014",  # em dash
        "\u2013",  # en dash
        "tbc",
        "tba",
        "not available",
        "..",
        "null",
        "none",
    }
)
SUPPRESSED_TOKENS = frozenset({"c", "x", "z", ":", "*", "[c]", "[x]", "[z]", "supp", "suppressed"})

FIELDS = ("indicator", "area", "period", "value", "target", "commentary", "caveat", "flag")
# National exports' headers (Fingertips, LG Inform; by column key) for the fields.
_HEADER_ALIASES = {"area_code": "area", "time_period": "period", "indicator_id": "indicator"}

# Other columns (by column key) that speak of the row's own value, not of its series: an
# earlier value a wide row carries (`previous`) does not inherit them.
VALUE_COLUMNS = (
    "numerator",
    "denominator",
    "forecast",
    "override",
    "override_reason",
    "override_by",
    "provisional",
    "revised",
)
# A `flag` cell holding one of these, a number equal to zero (`0.0`, `-0`: a 0/1 column
# stored as floats) or a no-data token such as N/A does not flag the row; any other text does.
UNFLAGGED_TOKENS = frozenset({"n", "no", "no.", "false", "0", "not flagged", "unflagged"})
_ZERO = re.compile(r"[+-]?(?:0+(?:\.0*)?|\.0+)(?:e[+-]?[0-9]+)?")


# The types pandas and numpy use for a missing cell (`pd.NA`, `pd.NaT`, `np.datetime64("NaT")`),
# recognised by name so that neither is ever imported here.
_MISSING_TYPES = frozenset({"NAType", "NaTType"})


def is_missing(raw: object) -> bool:
    """True for a missing cell however a library writes it: None, NaN, `pd.NA`, `NaT`."""
    if raw is None:
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    if isinstance(raw, Decimal):
        return raw.is_nan()
    kind = type(raw).__name__
    if kind in _MISSING_TYPES:
        return True
    if kind in ("datetime64", "timedelta64"):
        return str(raw) == "NaT"
    # numpy's float16, float32 and longdouble NaN: a number unequal to itself.
    return kind.startswith(("float", "longdouble")) and _unequal_to_itself(raw)


def _unequal_to_itself(raw: object) -> bool:
    try:
        return bool(raw != raw)
    except (TypeError, ValueError):
        return False


def _as_text(raw: object) -> str:
    """Published text as given; numbers through their exact text; a missing cell as blank.

    A number's text never depends on the caller's decimal context: `str(Decimal)` writes the
    exponent as the context's `capitals` says (`1e-7` under `capitals=0`), so it is written
    with a capital E whatever the context (rows are read in the caller's context: `iter_rate`
    is a generator)."""
    if type(raw) is str:  # the common case, first
        return raw.strip()
    if is_missing(raw):
        return ""
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        try:
            return _number_text(to_decimal(raw))
        except NumberError:
            return _number_text(raw)  # nan, inf, too many digits: read later as invalid
    return str(raw).strip()


def _number_text(number: object) -> str:
    """`str(number)`, with a Decimal's exponent letter a capital whatever the context says
    (the only letter of a Decimal's text but for `Infinity`, `NaN`, which capitals leave)."""
    text = str(number)
    return text.replace("e", "E") if isinstance(number, Decimal) and "e" in text else text


@attrs.frozen(kw_only=True)
class Observation:
    """One published row. Every field is text exactly as published; `row` says where it was."""

    indicator: str = attrs.field(default="", converter=_as_text)
    # The area the row is for (a council's code, say); blank for a single council's data.
    area: str = attrs.field(default="", converter=_as_text)
    period: str = attrs.field(default="", converter=_as_text)
    value: str = attrs.field(default="", converter=_as_text)
    target: str = attrs.field(default="", converter=_as_text)
    commentary: str = attrs.field(default="", converter=_as_text)
    caveat: str = attrs.field(default="", converter=_as_text)
    flag: str = attrs.field(default="", converter=_as_text)
    row: int | None = None
    extra: tuple[tuple[str, str], ...] = ()  # other columns, e.g. benchmarks, by column_key

    @property
    def flagged(self) -> bool:
        """True when the service flagged the row by hand ("of particular note")."""
        token = _token(self.flag)
        return (
            token not in UNFLAGGED_TOKENS
            and token not in NO_DATA_TOKENS
            and not _ZERO.fullmatch(token)  # 0.0: a 0/1 column pandas stored as floats
        )

    def column(self, name: str) -> str:
        """The text of another column (a benchmark, say), or '' when the row has none."""
        key = column_key(name)
        for column, text in self.extra:  # a loop, not a generator: read per row per column
            if column == key:
                return text
        return ""

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, object], *, row: int | None = None) -> Observation:
        """Build from a mapping whose keys are matched case- and space-insensitively.

        Numbers become text through their shortest repr; None becomes blank.
        """
        items = tuple(mapping.items())
        fields: dict[str, object] = {}
        extra: dict[str, str] = {}
        names = _names_of(tuple(key for key, _ in items))
        for (name, is_field), (_, raw) in zip(names, items, strict=True):
            if is_field:
                fields[name] = raw
            elif name:
                extra[name] = _as_text(raw)
        observation = cls(row=row, extra=tuple(extra.items()), **fields)
        if not observation.indicator:
            raise ValueError("the row has no indicator id")
        return observation


def field_named(name: str, present: Collection[str]) -> str:
    """A column's name (a column key) as the field it gives: a national export's `Area Code`
    is the area, `Time period` the period and `Indicator ID` the indicator, where `present`
    (the other names) has no column named after the field itself."""
    alias = _HEADER_ALIASES.get(name)
    return alias if alias and alias not in present else name


@functools.lru_cache(maxsize=256)
def _names_of(keys: tuple[object, ...]) -> tuple[tuple[str, bool], ...]:
    """Each key's column name and whether it is a field, found once per set of keys: rows
    given as dicts share their keys, so a million rows match them once."""
    clash = column_clash(keys)
    if clash is not None:
        # `value` and `Value` (or `value `) name one field: which one is meant?
        first, second, name = clash
        raise ValueError(f"keys {first!r} and {second!r} both give {name!r}")
    names = [column_key(key) for key in keys]
    present = set(names)
    # A national export's `Area Code` is the area, as in a CSV.
    return tuple((name, name in FIELDS) for name in (field_named(n, present) for n in names))


def column_clash(keys: Sequence[object]) -> tuple[object, object, str] | None:
    """The first two keys that give one column name as rows are read (`value` and `Value`,
    `value ` or `VALUE`; `indicator` and `Indicator ID`), and that name; None if none do."""
    given: dict[str, object] = {}  # the key each name came from
    names = [column_key(key) for key in keys]
    present = set(names)
    for key, own in zip(keys, names, strict=True):
        name = field_named(own, present)
        if name in given:
            return given[name], key, name
        given[name] = key
    return None


@attrs.frozen(kw_only=True)
class Reading:
    """What a published value means: a number in the indicator's unit, or why it is not one."""

    number: Decimal | None = None
    unrated: Unrated | None = None
    reason: str = ""
    written_unit: str = ""


def is_no_data(text: str, tokens: Tokens | None = None) -> bool:
    """True for blank text and the published tokens for 'no value' (`N/A`, `-`, `TBC`)."""
    token = _token(text)
    return token in NO_DATA_TOKENS or (tokens is not None and token in tokens.no_data)


def _token(text: str) -> str:
    return " ".join(text.strip().lower().split())


MAX_VALUE_LENGTH = 1_000
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,20}(?:\.[0-9]{1,20})?")


def read_value(text: str, unit: str, tokens: Tokens | None = None) -> Reading:
    """Read published value text into the indicator's `unit` (canonical name).

    `tokens` adds a ruleset's own no-data and suppressed tokens to the built-in ones.
    """
    if _PLAIN_NUMBER.fullmatch(text) and (
        tokens is None or (text not in tokens.no_data and text not in tokens.suppressed)
    ):
        # Most published values are plain numbers: read them without the token and unit steps
        # (split_value reads them the same way; a property test holds the two together). A
        # ruleset may make a number a token (`no-data = ["-1"]`): those take the general path.
        return Reading(number=Decimal(text), written_unit=unit)
    if len(text) > _REMEMBERED_LENGTH:
        return _read_value(text, unit, tokens)
    # Values with units and tokens (`48%`, `N/A`) repeat across a file: remember the reading.
    return _remembered_value(text, unit, tokens)


_REMEMBERED_LENGTH = 40
# What follows a number read up to a comma that is no thousands separator: `21,9` or `21,9%`.
_DECIMAL_COMMA = re.compile(r",[0-9]+(?![0-9,])")


def _read_value(text: str, unit: str, tokens: Tokens | None) -> Reading:
    if len(text) > MAX_VALUE_LENGTH:
        return Reading(
            unrated=Unrated.INVALID,
            reason=f"value {text[:20]!r}... is over {MAX_VALUE_LENGTH:,} characters",
        )
    token = _token(text)
    if token in NO_DATA_TOKENS or (tokens is not None and token in tokens.no_data):
        shown = f"published as {text.strip()!r}" if token else "no value published"
        return Reading(unrated=Unrated.NO_DATA, reason=f"no data: {shown}")
    if token in SUPPRESSED_TOKENS or (tokens is not None and token in tokens.suppressed):
        return Reading(unrated=Unrated.SUPPRESSED, reason=f"suppressed: published as {text!r}")
    try:
        parts = split_value(text)
    except NumberError as exc:
        return Reading(unrated=Unrated.INVALID, reason=f"value {text!r} cannot be read: {exc}")
    if parts is None:
        return Reading(
            unrated=Unrated.INVALID,
            reason=f"value {text!r} is not a number or a known token such as N/A or <5",
        )
    number, written, sign = parts
    if sign:
        return Reading(
            unrated=Unrated.SUPPRESSED,
            reason=f"suppressed: published as {text.strip()!r}",
        )
    if not written:
        return Reading(number=number, written_unit=unit)
    if _DECIMAL_COMMA.match(written):
        shown = text.strip()
        return Reading(
            unrated=Unrated.INVALID,
            reason=f"value {shown!r} has a decimal comma: write {shown.replace(',', '.')!r} "
            "(a comma separates thousands only)",
        )
    try:
        written_unit = canonical_unit(written)
        return Reading(number=convert(number, written_unit, unit), written_unit=written_unit)
    except UnitError as exc:
        return Reading(
            unrated=Unrated.INVALID,
            reason=(
                f"value {text!r} is in {written!r}, which cannot be read as the "
                f"indicator's unit {label(unit) or unit!r}: {exc}"
            ),
        )


_remembered_value = functools.lru_cache(maxsize=65536)(_read_value)


def check_rows(observations: object) -> None:
    """Refuse what is not an iterable of rows, rather than rate nothing from it."""
    kind = type(observations).__name__
    if isinstance(observations, (str, bytes, Mapping)) or hasattr(observations, "to_dict"):
        if type(observations).__module__.startswith("polars"):
            hint = (
                "for a polars DataFrame use frame.to_dicts(), or "
                "ragrules.pandas.rate_frame(ruleset, frame.to_pandas())"
            )
        elif hasattr(observations, "to_dict"):
            hint = "for a DataFrame use ragrules.pandas.rate_frame, or frame.to_dict('records')"
        else:
            hint = "pass a list of rows, e.g. [{'indicator': ..., 'period': ..., 'value': ...}]"
        raise TypeError(f"observations must be an iterable of rows, not a {kind}: {hint}")
