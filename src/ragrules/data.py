"""Read observations from CSV, JSON and xlsx files or text (public module).

The readers live in `ragrules.formats.data`; this module is their stable public name.
"""

from ragrules.formats.data import (
    excel_rows,
    iter_csv,
    parse_columns,
    parse_csv,
    parse_json,
    read_observations,
    sniff_encoding,
)

__all__ = [
    "excel_rows",
    "iter_csv",
    "parse_columns",
    "parse_csv",
    "parse_json",
    "read_observations",
    "sniff_encoding",
]
