"""The engine: pure functions over the model that rate, compare and select.

Rating against a scale (`rating`), direction of travel (`travel`), exception selection
(`selection`), notices, summaries and keys, explanations, the canonical form and fingerprint,
results and reports (`report`), batches and streams of observations (`batch`) and `Ruleset`
with `rate` and `iter_rate` (`ruleset`). It imports only the model; it reads no file and
parses no TOML. A new way to rate goes here.
"""
