"""The colours of status tiles, shared by the HTML report, its charts and Excel workbooks."""

from __future__ import annotations

from ragrules.model.rules import RulesetData

# Background and text colours per status, each pair at least 4.5:1 contrast; comparisons
# with a benchmark as Fingertips colours them (green, yellow, red; blue and purple unjudged).
_COLOURS = {
    "red": ("#b10e1e", "#ffffff"),
    "amber": ("#ffbf47", "#0b0c0c"),
    "green": ("#00703c", "#ffffff"),
    "blue": ("#1d70b8", "#ffffff"),
    "dark-green": ("#005a30", "#ffffff"),
    "super-green": ("#005a30", "#ffffff"),
    "star": ("#005a30", "#ffffff"),
    "better": ("#00703c", "#ffffff"),
    "similar": ("#ffdd00", "#0b0c0c"),
    "worse": ("#b10e1e", "#ffffff"),
    "higher": ("#1d70b8", "#ffffff"),
    "lower": ("#4c2c92", "#ffffff"),
}
_UNRATED = ("#f3f2f1", "#0b0c0c")


def status_colours(status: str) -> tuple[str, str]:
    """(background, text) for a status, whatever its case; pale grey for any other."""
    return _COLOURS.get(status.lower(), _UNRATED)


def tile_colours(status: str, ruleset: RulesetData | None = None) -> tuple[str, str]:
    """(background, text) of a status's tile: the ruleset's colour where it gives one (with
    the text that contrasts most), else the built-in pair."""
    words = ruleset.words(status) if ruleset is not None else None
    if words is not None and words.colour:
        return words.colour, ink(words.colour)
    return status_colours(status)


def ink(background: str) -> str:
    """Near-black or white text, whichever contrasts more with `background` (#rrggbb), by
    the WCAG relative luminance."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    dark = 0.0033  # #0b0c0c
    return (
        "#0b0c0c" if (luminance + 0.05) / (dark + 0.05) >= 1.05 / (luminance + 0.05) else "#ffffff"
    )
