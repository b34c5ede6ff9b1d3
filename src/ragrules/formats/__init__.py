"""Formats: reading rulesets (`loading`: TOML, `extends`, units) and data files (`data`: CSV,
JSON, xlsx) into the model, with every problem located by file, line and key path.

It imports the model and the engine (a loaded ruleset is an engine `Ruleset`). This is the
edge where files, TOML and pint are touched, at load time only. A new input format goes here.
"""
