"""Write a report as a table, JSON, CSV, Markdown or HTML (public module).

The writers live in `ragrules.reports`; this module is their stable public name.
"""

from ragrules.reports.output import csv_safe, csv_unsafe, render, to_csv, to_json

__all__ = ["csv_safe", "csv_unsafe", "render", "to_csv", "to_json"]
