"""How a row's keys name its fields: `Value`, `value ` and `VALUE` are the value, a national
export's `Area Code` the area, `2020/21 Q1` a wide row's period; two keys that name one
field are a clash. Found once per set of keys: rows given as dicts share their keys."""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence

import attrs

from ragrules.model._text import as_str, column_key
from ragrules.model.periods import PeriodError, parse_period, written_as

FIELDS = ("indicator", "area", "period", "value", "target", "commentary", "caveat", "flag")
# Columns (by column key) that hold an earlier period's value on the same row, as council
# tables print them: the previous period's, and the same period last year's.
EARLIER_COLUMNS = ("previous", "last_year")
# National exports' headers (Fingertips, LG Inform; by column key) for the fields.
_HEADER_ALIASES = {"area_code": "area", "time_period": "period", "indicator_id": "indicator"}


def period_named(name: str) -> str | None:
    """A column's name read as a period (`2020/21 Q1`), as printed, keeping the `FY` or `AY`
    it names (`FY 2020/21` is a financial year under any ruleset); None if it is none."""
    if not name.strip():
        return None
    try:
        return written_as(parse_period(name), name)
    except PeriodError:
        return None


def field_named(name: str, present: Collection[str]) -> str:
    """A column's name (a column key) as the field it gives: a national export's `Area Code`
    is the area, `Time period` the period and `Indicator ID` the indicator, where `present`
    (the other names) has no column named after the field itself."""
    alias = _HEADER_ALIASES.get(name)
    return alias if alias and alias not in present else name


_FIELD, _EARLIER, _OTHER = "field", "earlier", "other"


@attrs.frozen
class _Layout:
    """What a mapping's keys hold: each key's column name and kind (a field, an earlier
    value, another column), and the keys that are periods of a wide row (key index ->
    period as printed; none when a key gives the value)."""

    names: tuple[tuple[str, str], ...]
    wide: Mapping[int, str]


def _layout_of(keys: tuple[object, ...]) -> _Layout:
    """The layout of a mapping's keys, found once per keys and their types: keys that are
    equal but of other types (`1` and `True`, `1` and `1.0`) are named differently."""
    return _layout(keys, tuple(map(type, keys)))


@functools.lru_cache(maxsize=256)
def _layout(keys: tuple[object, ...], _types: tuple[type, ...]) -> _Layout:
    """The layout of a set of keys, found once: rows given as dicts share their keys, so a
    million rows match them once."""
    clash = column_clash(keys, fields_only=True)
    if clash is not None:
        # `value` and `Value` (or `value `) name one field: which one is meant?
        first, second, name = clash
        raise ValueError(f"keys {first!r} and {second!r} both give {name!r}")
    own = [column_key(key) for key in keys]
    present = set(own)
    # A national export's `Area Code` is the area, as in a CSV.
    names = [field_named(name, present) for name in own]
    kinds = tuple(
        (name, _FIELD if name in FIELDS else _EARLIER if name in EARLIER_COLUMNS else _OTHER)
        for name in names
    )
    wide: dict[int, str] = {}
    if "value" not in names:
        for index, (key, (_, kind)) in enumerate(zip(keys, kinds, strict=True)):
            when = period_named(as_str(key)) if kind == _OTHER else None
            if when is not None and when not in wide.values():
                wide[index] = when
    return _Layout(names=kinds, wide=wide)


def column_clash(
    keys: Sequence[object], *, fields_only: bool = False
) -> tuple[object, object, str] | None:
    """The first two keys that give one column name as rows are read (`value` and `Value`,
    `value ` or `VALUE`; `indicator` and `Indicator ID`), and that name; None if none do.
    With `fields_only`, only two keys that give one field (or earlier value) count."""
    given: dict[str, object] = {}  # the key each name came from
    names = [column_key(key) for key in keys]
    present = set(names)
    for key, own in zip(keys, names, strict=True):
        name = field_named(own, present)
        if fields_only and name not in FIELDS and name not in EARLIER_COLUMNS:
            continue
        if name in given:
            return given[name], key, name
        given[name] = key
    return None
