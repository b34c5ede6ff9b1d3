"""Rate large files in constant memory (public module): `write_stream` writes the results of
`Ruleset.iter_rate` as JSON lines or CSV; `rate_csv_stream` rates a CSV file with the compiled
row engine and writes the same bytes faster. They live in `ragrules.reports.stream` and
`ragrules.reports.compiled`."""

from ragrules.reports.compiled import rate_csv_stream
from ragrules.reports.stream import write_stream

__all__ = ["rate_csv_stream", "write_stream"]
