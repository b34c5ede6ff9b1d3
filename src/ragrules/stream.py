"""Write the results of `Ruleset.iter_rate` as JSON lines or CSV in constant memory (public
module; the writer lives in `ragrules.reports.stream`)."""

from ragrules.reports.stream import write_stream

__all__ = ["write_stream"]
