"""The colours of status tiles, shared by the HTML report, its charts and Excel workbooks."""

from __future__ import annotations

from ragrules.engine._kept import Kept
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
    # Two tiers of significance (ragrules' own names): the strict tier darker.
    "better (strict)": ("#005a30", "#ffffff"),
    "worse (strict)": ("#6e0a14", "#ffffff"),
    "higher (strict)": ("#003078", "#ffffff"),
    "lower (strict)": ("#2e1a5c", "#ffffff"),
}
_STRICT_TIERS = frozenset(name for name in _COLOURS if name.endswith(" (strict)"))
_UNRATED = ("#f3f2f1", "#0b0c0c")
_DARK_INK = "#0b0c0c"
# The statuses of a ruleset's scales that have no colour (neither the ruleset's nor a known
# name's) are shades of grey, darkest for the best of each scale: told apart by lightness
# alone, with no hue that claims a meaning the ruleset did not give or that a built-in
# colour has. The palest is well darker than an unrated tile. Kept per ruleset, by identity.
_DARKEST, _LIGHTEST = (0x1F, 0x23, 0x26), (0xB1, 0xB4, 0xB6)
_SHADES: Kept[dict[str, tuple[str, str]]] = Kept(16)


def status_colours(status: str) -> tuple[str, str]:
    """(background, text) for a status, whatever its case; pale grey for any other."""
    return _COLOURS.get(status.lower(), _UNRATED)


def tile_colours(status: str, ruleset: RulesetData | None = None) -> tuple[str, str]:
    """(background, text) of a status's tile: the ruleset's colour where it gives one (with
    the text that contrasts most), else the built-in pair."""
    if ruleset is None:
        return status_colours(status)
    words = ruleset.words(status)
    if words is not None and words.colour:
        return words.colour, ink(words.colour)
    return _shade_of(status, ruleset) or status_colours(status)


def paper_fills(status: str, ruleset: RulesetData) -> set[str]:
    """The fills (lower case) a page or workbook may show for a status: its tile's, and for
    a status without a colour before (shaded here, or a strict tier), the pale grey that
    papers written before showed."""
    background = tile_colours(status, ruleset)[0].lower()
    strict = status.lower() in _STRICT_TIERS and background == _COLOURS[status.lower()][0]
    was_grey = strict or _shade_of(status, ruleset) is not None
    return {background, _UNRATED[0]} if was_grey else {background}


def _shade_of(status: str, ruleset: RulesetData) -> tuple[str, str] | None:
    """The shade of a status with no colour (see `_shades`), or None."""
    return _SHADES.get(ruleset, None, lambda: _shades(ruleset)).get(status)


def _shades(ruleset: RulesetData) -> dict[str, tuple[str, str]]:
    """A shade for each status with no colour, spread over its scale's (or roll-up's)
    uncoloured statuses from darkest (the best) to palest; a status in several scales keeps
    the shade of the first."""
    rankings = [
        version.scale.statuses_for(version.polarity)
        for indicator in ruleset.indicators
        for version in indicator.versions
    ]
    rankings += [
        indicator.forecast.scale.statuses_for(indicator.polarity)
        for indicator in ruleset.indicators
        if indicator.forecast is not None
    ]
    rankings += [rollup.statuses for rollup in ruleset.rollups]
    found: dict[str, tuple[str, str]] = {}
    for ranking in dict.fromkeys(rankings):
        plain = [status for status in ranking if not _coloured(status, ruleset)]
        for index, status in enumerate(plain):
            if status not in found:
                background = _shade(index / (len(plain) - 1) if len(plain) > 1 else 0.5)
                found[status] = (background, ink(background))
    return found


def _coloured(status: str, ruleset: RulesetData) -> bool:
    words = ruleset.words(status)
    return status.lower() in _COLOURS or (words is not None and bool(words.colour))


def _shade(share: float) -> str:
    """The grey `share` of the way from the darkest to the palest, skipping the mid-greys on
    which neither near-black nor white text reaches 4.5:1."""
    place = share * (_LAST_WITH_WHITE + 1 - _FIRST_WITH_DARK)
    if place > _LAST_WITH_WHITE:
        place += _FIRST_WITH_DARK - _LAST_WITH_WHITE
    return _grey(place)


def _grey(place: float) -> str:
    channels = [
        round(dark + (light - dark) * place)
        for dark, light in zip(_DARKEST, _LIGHTEST, strict=True)
    ]
    return "#" + "".join(f"{c:02x}" for c in channels)


def ink(background: str) -> str:
    """Near-black or white text, whichever contrasts more with `background` (#rrggbb), by
    the WCAG relative luminance."""
    luminance = _luminance(background)
    dark = 0.0033  # #0b0c0c
    return (
        _DARK_INK if (luminance + 0.05) / (dark + 0.05) >= 1.05 / (luminance + 0.05) else "#ffffff"
    )


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours (#rrggbb), from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _readable_span() -> tuple[float, float]:
    """Where on the ramp white text stops reaching 4.5:1, and where near-black starts."""
    places = [n / 1000 for n in range(1001)]
    with_white = [p for p in places if contrast(_grey(p), "#ffffff") >= 4.5]
    with_dark = [p for p in places if contrast(_grey(p), _DARK_INK) >= 4.5]
    return max(with_white), min(with_dark)


_LAST_WITH_WHITE, _FIRST_WITH_DARK = _readable_span()
