"""Observations as published: one row of indicator, period and value text, read exactly.

Published values are text (`28.15`, `48%`, `26 weeks`, blank, `N/A`, `<5`). `read_value`
turns that text into a Decimal in the indicator's unit, or into a reason not to rate it.
This is the edge where units are converted (with cached factors), before the pure core.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from ragrules.model._keys import _EARLIER, _FIELD, _layout_of
from ragrules.model._keys import EARLIER_COLUMNS as EARLIER_COLUMNS  # model names, used here
from ragrules.model._keys import FIELDS as FIELDS
from ragrules.model._keys import column_clash as column_clash  # model names, used by readers
from ragrules.model._keys import field_named as field_named
from ragrules.model._keys import period_named as period_named
from ragrules.model._text import as_str, mended
from ragrules.model._text import column_key as column_key  # a model name, used here
from ragrules.model.numbers import NumberError, split_value, to_decimal
from ragrules.model.periods import PeriodError, parse_period, written_as
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
# A `flag` or `caveat` cell holding one of these, a number equal to zero (`0.0`, `-0`: a 0/1
# column stored as floats) or a no-data token such as N/A does not flag (or caveat) the row;
# any other text does.
UNFLAGGED_TOKENS = frozenset(
    {"n", "no", "no.", "false", "0", "not flagged", "unflagged", "not caveated", "no caveat"}
)
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
        text = raw.strip()
        return text if text.isascii() else mended(text)
    if is_missing(raw):
        return ""
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        try:
            return _number_text(to_decimal(raw))
        except NumberError:
            return _number_text(raw)  # nan, inf, too many digits: read later as invalid
        except ValueError:
            # An int over Python's 4,300-digit limit for str(): its digits through a
            # Decimal, which has no such limit; far over 1,000 characters, read as invalid.
            return _number_text(Decimal(raw))
    return mended(as_str(raw).strip())


def _number_text(number: object) -> str:
    """`str(number)`, with a Decimal's exponent letter a capital whatever the context says
    (the only letter of a Decimal's text but for `Infinity`, `NaN`, which capitals leave)."""
    text = str(number)
    return text.replace("e", "E") if isinstance(number, Decimal) and "e" in text else text


def _row_number(raw: object) -> int | None:
    """A row's number as given (a numpy integer as an int); anything else is refused, not
    written into every output as it came (`"5"`, `True`, `1.5`)."""
    if raw is None or type(raw) is int:
        return raw
    if not isinstance(raw, bool):
        try:
            return operator.index(raw)  # type: ignore[arg-type]
        except TypeError:
            pass
    raise TypeError(f"row must be a whole number (the row's line or record) or None, not {raw!r}")


def _caveat_text(raw: object) -> str:
    """A caveat cell's text, or blank when it marks nothing (`no`, `False`, `0`, `N/A`)."""
    text = _as_text(raw)
    return text if marked(text) else ""


def _extra_columns(raw: object) -> tuple[tuple[str, str], ...]:
    """Other columns as (column key, text) pairs. A tuple is taken as such pairs, as the
    readers make them (every row: not read again); a mapping, a list or any other iterable
    of pairs is read as `from_mapping` reads a row's other keys."""
    if type(raw) is tuple:
        return raw
    if isinstance(raw, Mapping):
        raw = raw.items()
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        raise TypeError(
            f"extra must be a mapping of column to text, or (column, text) pairs: {raw!r}"
        )
    pairs = []
    for pair in raw:
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise TypeError(f"extra must be (column, text) pairs, not {pair!r}")
        pairs.append((column_key(pair[0]), _as_text(pair[1])))
    return tuple(pairs)


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
    # Blank for a cell that says "no caveat" (`no`, `false`, `0`, `N/A`: `marked`).
    caveat: str = attrs.field(default="", converter=_caveat_text)
    flag: str = attrs.field(default="", converter=_as_text)
    row: int | None = attrs.field(default=None, converter=_row_number)
    # Other columns, e.g. benchmarks, by column_key.
    extra: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_extra_columns)

    @property
    def flagged(self) -> bool:
        """True when the service flagged the row by hand ("of particular note")."""
        return marked(self.flag)

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
        Of two keys that give one other column (`Note` and `note`), the first is kept, as
        in a CSV header; two that give one field (`value` and `Value `) are a ValueError.
        Every key that is not a field is kept as an extra column, `previous` and period keys
        too: `read_mapping` reads those as a CSV row's earlier values and periods.
        """
        items = tuple(mapping.items())
        fields: dict[str, object] = {}
        extra: dict[str, str] = {}
        layout = _layout_of(tuple(key for key, _ in items))
        for (name, kind), (_, raw) in zip(layout.names, items, strict=True):
            if kind == _FIELD:
                fields[name] = raw
            elif name and name not in extra:
                extra[name] = _as_text(raw)
        observation = cls(row=row, extra=tuple(extra.items()), **fields)
        if not observation.indicator:
            raise ValueError("the row has no indicator id")
        return observation


class NoPeriodForEarlier(ValueError):
    """A row with earlier values (`previous`, `last_year`) and no period to place them at."""


def read_mapping(
    mapping: Mapping[str, object],
    *,
    row: int | None = None,
    period: str | None = None,
    require_indicator: bool = True,
) -> list[Observation]:
    """The observations of a mapping read as a CSV row whose header is its keys.

    As the CSV reader reads a row: `previous` and `last_year` keys are earlier values,
    placed at the period before the row's and a year before it (`period`, the file's
    `--period`, is the period of a row that names none); a mapping with no `value` key but
    keys that are periods (`2019/20`, `2020/21 Q1`) is a wide row, one observation per
    period printed. Of two keys that give one other column the first is kept; two that give
    one field are a ValueError, and so is a mapping with no indicator unless
    `require_indicator` is false (its row is then rejected as a CSV row with no indicator
    is). Earlier values with no period to place them at are a `NoPeriodForEarlier`.
    """
    items = tuple(mapping.items())
    layout = _layout_of(tuple(key for key, _ in items))
    fields: dict[str, object] = {}
    earlier: dict[str, str] = {}
    extra: dict[str, str] = {}
    printed: list[tuple[str, str]] = []
    for index, ((name, kind), (_, raw)) in enumerate(zip(layout.names, items, strict=True)):
        if kind == _FIELD:
            fields[name] = raw
        elif kind == _EARLIER:
            earlier.setdefault(name, _as_text(raw))
        elif index in layout.wide:
            if text := _as_text(raw):
                printed.append((layout.wide[index], text))
        elif name and name not in extra:
            extra[name] = _as_text(raw)
    if layout.wide:
        # A row with every period blank is still a row: no value for the last period.
        rows = printed or [(layout.wide[max(layout.wide)], "")]
        observations = [
            Observation(row=row, extra=tuple(extra.items()), **{**fields, "period": p, "value": v})
            for p, v in rows
        ]
    else:
        own_period = bool(_as_text(fields.get("period")))
        if earlier and not own_period:
            fields["period"] = _default_period(period)
        observation = Observation(row=row, extra=tuple(extra.items()), **fields)
        observations = [observation, *earlier_rows(observation, earlier, own_period=own_period)]
    if require_indicator and not observations[0].indicator:
        raise ValueError("the row has no indicator id")
    return observations


@functools.lru_cache(maxsize=64)
def _default_period(period: str | None) -> str:
    """The period of a row with earlier values and none of its own: `period`, as printed,
    with the `FY` or `AY` it was given (`str` writes a financial year bare, which an
    academic ruleset reads as its own year)."""
    return written_as(parse_period(period), period) if period else ""


def earlier_rows(
    observation: Observation, earlier: Mapping[str, str], *, own_period: bool
) -> list[Observation]:
    """Rows for the earlier values a row carries (`previous`, `last_year`: their text), at
    the period before the row's and the same period a year before.

    A row whose own period is no period gets none (it is rejected for its own period);
    a row with earlier columns and no period at all is a `NoPeriodForEarlier`."""
    if not earlier:
        return []
    try:
        when = parse_period(observation.period)
    except PeriodError:
        if own_period:
            return []  # no period to place them at: the row is rejected for its own period
        raise NoPeriodForEarlier(
            f"row {observation.row}: previous and last-year columns need the row's period"
        ) from None
    # The breakdowns (the same series as the row's), not what speaks of the row's own value
    # (its counts, override, forecast, marks).
    extra = tuple((k, v) for k, v in observation.extra if k not in VALUE_COLUMNS)
    return [
        Observation(
            indicator=observation.indicator,
            area=observation.area,
            period=written_as(
                when.previous() if role == "previous" else when.same_period_last_year(),
                observation.period,
            ),
            value=text,
            row=observation.row,
            extra=extra,
        )
        for role, text in earlier.items()
        if text
    ]


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


def marked(text: str) -> bool:
    """Whether a flag or caveat cell marks its row: any text but blank, `no`, `false`, a
    number equal to zero (a 0/1 column pandas stored as floats) or a no-data token."""
    token = _token(text)
    return not (token in UNFLAGGED_TOKENS or token in NO_DATA_TOKENS or _ZERO.fullmatch(token))


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
        number = Decimal(text)  # `-0` is 0, as `split_value` reads it: never negative
        return Reading(number=number if number else number.copy_abs(), written_unit=unit)
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
