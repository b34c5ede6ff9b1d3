"""Reports: a rated `Report` or stream of results written as a table, JSON, CSV, Markdown or
HTML (`output`, `stream`, `markdown`, `html`), with cells made safe for their readers.

It imports the model and the engine, never the formats or the tools. A new report goes here.
"""
