"""Refusing what a caller passes as rows that is not rows, by name, rather than rating nothing
from it or failing with Python's own words about an object nobody named."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping


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
        elif isinstance(observations, str):
            hint = "to rate a file, read it first: ragrules.data.read_observations(path)"
        else:
            hint = "pass a list of rows, e.g. [{'indicator': ..., 'period': ..., 'value': ...}]"
        raise TypeError(f"observations must be an iterable of rows, not a {kind}: {hint}")
    if isinstance(observations, io.IOBase):  # an open file: its lines are text, not rows
        hint = "to rate a file, read it first: ragrules.data.read_observations(path)"
        raise TypeError(f"observations must be an iterable of rows, not an open file: {hint}")
    if not isinstance(observations, Iterable):  # None, a number: Python's own words name no one
        hint = "pass a list of rows, e.g. [{'indicator': ..., 'period': ..., 'value': ...}]"
        raise TypeError(f"observations must be an iterable of rows, not {kind}: {hint}")
