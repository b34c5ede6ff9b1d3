"""Reading a committee paper's HTML page as its reader sees it: the meta tags `to_html`
writes, and the status badge of each row of the "All indicators" table, with its colour.

What a browser does not show is not read: an element under the `hidden` attribute, an inline
style or a class of the page's own stylesheet that hides it (`display: none`, `visibility:
hidden`, `content-visibility: hidden`, `opacity: 0`, a visually-hidden clip), the content of
`template`, `noscript`, `title`, a closed `details` or `dialog`. A slash closing a start tag
(`<span hidden/>`) closes nothing, as in a browser, outside SVG. A stylesheet's rules other
than a bare class selector are not applied. What is unsure is read as not shown: a badge
not read leaves its row without a status, which the check reports, never verifies.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

# A series as a paper names it: indicator id, area code and breakdown (`sex=Male`).
Series = tuple[str, str, str]


class PageReader(HTMLParser):
    """The meta tags and each row's first shown badge (its word and background colour)."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}  # every value given, in order
        self.statuses: list[tuple[Series, str]] = []
        self.colours: list[tuple[Series, str]] = []
        self.series: Series | None = None
        self.open: list[tuple[str, bool]] = []  # the elements open here, each hidden or not
        self.status_at = 0  # the depth of the badge being read; 0 when none is
        self.text: list[str] = []
        self.hiding_classes: set[str] = set()  # from the page's own `<style>` elements

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        """`<span/>`: outside SVG and MathML a browser ignores the slash, so the element
        stays open (and hides what follows it, if it hides)."""
        self.handle_starttag(tag, attributes)
        if any(name in _FOREIGN for name, _ in self.open) and tag not in _VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        found: dict[str, str] = {}
        for name, value in attributes:  # an attribute given twice: the first, as browsers
            found.setdefault(name, value or "")
        classes = found.get("class", "").split()
        if tag not in _VOID:
            self.open.append((tag, self._hides(tag, found, classes)))
        if tag == "meta" and found.get("name", "").startswith("ragrules-"):
            self.meta.setdefault(found["name"], []).append(found.get("content", ""))
        elif tag == "tr":  # a row starts: the badge read is this row's, or none (no `</tr>`)
            self.series, self.status_at = None, 0
            if "data-indicator" in found:
                self.series = (
                    found["data-indicator"],
                    found.get("data-area", ""),
                    found.get("data-breakdown", ""),
                )
        elif tag == "table":
            self.series, self.status_at = None, 0
        elif (
            tag == "span"
            and self.series is not None
            and not self.status_at
            and not self.hidden
            and "status" in classes
        ):
            self.status_at, self.text = len(self.open), []
            self.colours.append((self.series, background(found.get("style", ""))))

    def _hides(self, tag: str, found: dict[str, str], classes: list[str]) -> bool:
        if tag in _HIDDEN_CONTENT or (tag in ("details", "dialog") and "open" not in found):
            return True
        return (
            "hidden" in found
            or hides(found.get("style", ""))
            or any(name in self.hiding_classes for name in classes)
        )

    @property
    def hidden(self) -> bool:
        """Whether an element open here hides what is in it."""
        return any(hides for _, hides in self.open)

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][0] == "style":
            self.hiding_classes |= hiding_classes(data)
        elif self.status_at and not self.hidden:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _ in self.open):  # closes it, and what it left open
            while self.open.pop()[0] != tag:
                pass
        if self.status_at and len(self.open) < self.status_at and self.series is not None:
            self.statuses.append((self.series, "".join(self.text).strip()))
            self.status_at, self.series = 0, None  # the first badge: the reported status
        elif tag in ("tr", "table", "tbody"):
            self.series, self.status_at = None, 0

    def areas(self) -> tuple[str, ...] | None:
        """The areas the page says it reports (`ragrules-areas`), or None when it does not
        say; a value that is not a list of codes is no areas (so every row is expected)."""
        given = self.meta.get("ragrules-areas")
        if not given:
            return None
        try:
            areas = json.loads(given[0])
        except json.JSONDecodeError:
            return None
        if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
            return None
        return tuple(areas)


def background(style: str) -> str:
    """The background colour an inline style gives, as `#rrggbb` where it is written in
    hex: the last `background` or `background-color` declaration (an `!important` one
    first), as CSS takes it. Any other value (a name, `rgb()`, a gradient) is returned as
    written, which no expected fill equals; "" when none is given."""
    found, important = "", ""
    for declaration in _without_comments(style).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip().lower() not in ("background", "background-color"):
            continue
        value = value.strip()
        if value.lower().endswith("!important"):
            important = value[: -len("!important")].strip()
        found = value
    colour = (important or found).strip().lower()
    short = re.fullmatch(r"#([0-9a-f])([0-9a-f])([0-9a-f])", colour)
    return "#" + "".join(c * 2 for c in short.groups()) if short else colour


def hides(style: str) -> bool:
    """Whether an inline style hides its element (comments removed first)."""
    return _HIDING.search(_without_comments(style)) is not None


def hiding_classes(sheet: str) -> set[str]:
    """The classes a stylesheet hides with a rule of bare class selectors (`.a, .b {...}`):
    a hiding declaration, or the visually-hidden clip (`clip: rect(0 0 0 0)`)."""
    found = set()
    for selectors, body in _RULE.findall(_without_comments(sheet)):
        if hides(body) or _CLIP.search(body):
            found |= {match[1] for match in map(_CLASS.fullmatch, selectors.split(",")) if match}
    return found


def _without_comments(css: str) -> str:
    return _COMMENT.sub(" ", css)


# Elements with no end tag; foreign content, where `/>` closes an element.
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_FOREIGN = frozenset(["svg", "math"])
# Elements whose content a browser does not show as the page's text.
_HIDDEN_CONTENT = frozenset(["template", "noscript", "title", "script", "style"])
_HIDING = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|content-visibility\s*:\s*hidden|opacity\s*:\s*0*\.?0*\s*(?:;|$|!))",
    re.I,
)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS = re.compile(r"\s*\.([A-Za-z_][\w-]*)\s*")
_CLIP = re.compile(r"clip\s*:\s*rect\(\s*0[^)]*\)|clip-path\s*:\s*inset\(\s*50%", re.I)
