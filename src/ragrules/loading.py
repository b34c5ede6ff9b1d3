"""TOML text -> `Ruleset`: typed getters with key paths, every problem collected at once.

This is the edge: it reads files (never more than a limit, `_reading`), parses TOML (tomli,
decimals from their text, via `_parsing`), converts units (pint, lazily, via `units`) and
checks a ruleset before anything is rated. The model it builds holds no TOML spelling and no
pint objects.
"""

from __future__ import annotations

import enum
import itertools
import os
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from ragrules import rating
from ragrules._extends import Finder, Origins, Reads, SettingOrigins, Source, resolve
from ragrules._parsing import Unparsable, parse
from ragrules._reading import TooLarge, read_text_capped
from ragrules.errors import Problem, RulesetError, Severity, close_matches
from ragrules.model import (
    BUILTIN_SCALES,
    DEFAULT_GLYPHS,
    FORMAT_VERSION,
    MARGIN_REFERENCES,
    NO_CHANGE,
    Against,
    Arrows,
    Band,
    Basis,
    BenchmarkTarget,
    Boundary,
    Comparison,
    Dated,
    ExceptionPolicy,
    ExceptionRule,
    Indicator,
    Judgement,
    Margin,
    Point,
    PointKind,
    Polarity,
    Rounding,
    Ruleset,
    Scale,
    Schedule,
    Target,
    Tokens,
    Travel,
    TravelCondition,
    Unrated,
)
from ragrules.numbers import (
    EXACT,
    MAX_EXPONENT,
    NumberError,
    OutOfRange,
    RoundingMode,
    format_decimal,
    in_exact_context,
    split_value,
    to_decimal,
)
from ragrules.periods import Calendar, Period, PeriodError, parse_period
from ragrules.units import UnitError, canonical_unit, convert, label

SCHEMA_FILE = "ragrules.schema.json"
# Limits that keep a shared ruleset from exhausting a machine; far above any real report.
MAX_RULESET_CHARACTERS = 5_000_000
MAX_INDICATORS = 20_000
MAX_UNKNOWN_KEYS = 20  # reported per table (with a count of the rest), each with did-you-mean
MAX_PROBLEMS = 100  # raised per load, with a count of the rest
_KEPT_PROBLEMS = 10 * MAX_PROBLEMS  # located and kept to choose from (by line); rest counted
MAX_ROUNDING_PLACES = 12
MAX_LOOKBACK = 12

_RULESET_KEYS = (
    "format",
    "id",
    "title",
    "version",
    "scale",
    "calendar",
    "description",
    "extends",
    "catalogue",
)
_DEFAULT_KEYS = ("polarity", "unit", "tolerance", "stretch", "rounding", "scale")
_INDICATOR_KEYS = (
    "id",
    "title",
    "target",
    "thresholds",
    "description",
    "source",
    "unchanged-within",
    *_DEFAULT_KEYS,
)
_TOP_KEYS = ("ruleset", "defaults", "scales", "travel", "exceptions", "data", "indicator")
_DATA_KEYS = ("no-data", "suppressed")
_EXCEPTION_KEYS = ("statuses", "rules", "flagged", "commentary-required")
_RULE_KEYS = ("name", "statuses", "travel")
_TRAVEL_KEYS = ("comparisons", "arrows", "unchanged-within", "glyphs")
_COMPARISON_KEYS = ("against", "benchmark", "label")
_MARGIN_KEYS = ("relative", "absolute")  # `from` only in dated arrays, taken off by `dated`

E = TypeVar("E", bound=enum.Enum)


@in_exact_context
def load(
    source: str | os.PathLike[str],
    *,
    search_path: Sequence[str | os.PathLike[str]] = (),
    allowed: Sequence[str | os.PathLike[str]] = (),
) -> Ruleset:
    """Load a ruleset from a file path, or from TOML text (any string holding a newline).

    A ruleset may `extend` bases named by a path relative to it or by an id found as
    `ID.toml` in a `search_path` folder. Bases must lie inside the ruleset's own folder (or
    a folder under it), the `catalogue` folder beside it, the search path or the `allowed`
    folders; never the current folder as such. A load reads at most 64 files and
    MAX_RULESET_CHARACTERS characters in all.
    """
    if isinstance(source, str) and "\n" in source:
        return loads(source, search_path=search_path, allowed=allowed)
    path = Path(source)
    return loads(
        _read(path),
        source=str(path),
        directory=path.parent,
        search_path=search_path,
        allowed=allowed,
    )


def _read(path: Path) -> str:
    """A ruleset file's text, read no further than MAX_RULESET_CHARACTERS (see _reading)."""
    try:
        return read_text_capped(path, MAX_RULESET_CHARACTERS)
    except TooLarge:
        raise _too_large(str(path)) from None
    except OSError as exc:
        raise RulesetError(
            problems=(
                Problem(
                    file=str(path),
                    message=f"cannot read the ruleset: {exc.strerror or exc}",
                    hint="check the path",
                ),
            )
        ) from None
    except UnicodeDecodeError as exc:
        raise RulesetError(
            problems=(Problem(file=str(path), message=f"not UTF-8 text: {exc.reason}"),)
        ) from None


def _too_large(source: str | None) -> RulesetError:
    return RulesetError(
        problems=(
            Problem(
                file=source,
                message=f"the ruleset is over {MAX_RULESET_CHARACTERS:,} characters",
                hint="split it into a base and rulesets that extend it",
            ),
        )
    )


def schema_text() -> str:
    """The JSON Schema of the ruleset format, as shipped in the package."""
    from importlib import resources

    return resources.files("ragrules").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def resolve_file(
    path: str | os.PathLike[str],
    search_path: Sequence[str | os.PathLike[str]] = (),
    allowed: Sequence[str | os.PathLike[str]] = (),
) -> tuple[dict[str, Any], Origins]:
    """A ruleset file merged with its bases, and where each setting came from (for `show`)."""
    file = Path(path)
    text = _read(file)
    merged, origins, _ = _merged(text, str(file), file.parent, search_path, allowed)
    return merged, origins


@in_exact_context
def loads(
    text: str,
    *,
    source: str | None = None,
    directory: str | os.PathLike[str] | None = None,
    search_path: Sequence[str | os.PathLike[str]] = (),
    allowed: Sequence[str | os.PathLike[str]] = (),
) -> Ruleset:
    """Load a ruleset from TOML text; `source` names it in error messages.

    Relative `extends` paths are found from `directory` (default: the current folder). Text
    has no folder of its own: only when `directory` is given may bases be read from it (and
    from the `catalogue` folder beside it) without naming it in `allowed`.
    """
    return build(*_merged(text, source, directory, search_path, allowed))


def _parsed(text: str, source: str | None) -> dict[str, Any]:
    """The TOML document in `text`; anything else is a located RulesetError."""
    if len(text) > MAX_RULESET_CHARACTERS:
        raise _too_large(source)
    try:
        return parse(text)
    except Unparsable as exc:
        raise RulesetError(
            problems=(
                Problem(
                    file=source,
                    line=exc.line,
                    column=exc.column,
                    message=f"not valid TOML: {exc.reason}",
                    hint=exc.hint,
                ),
            )
        ) from None


def _merged(
    text: str,
    source: str | None,
    directory: str | os.PathLike[str] | None,
    search_path: Sequence[str | os.PathLike[str]],
    allowed: Sequence[str | os.PathLike[str]],
) -> tuple[dict[str, Any], Origins, str | None]:
    """The text's document merged with its bases, and where every setting came from."""
    document = _parsed(text, source)
    folder = Path(directory) if directory is not None else None
    finder = Finder.for_load([Path(p) for p in search_path], [Path(p) for p in allowed], folder)
    reads = Reads(limit=MAX_RULESET_CHARACTERS, used=len(text))
    here = folder if folder is not None else Path.cwd()
    merged, origins = resolve(document, Source(source, text), here, finder, reads)
    return merged, origins, source


def build(document: dict[str, Any], origins: Origins, source: str | None) -> Ruleset:
    """Build a ruleset from a merged document; every problem is raised together.

    At most MAX_PROBLEMS are raised, then a count of the rest: a hostile file cannot make
    the report (or the work of locating each problem) as large as itself.
    """
    builder = _Builder(source, origins)
    ruleset = builder.ruleset(document)
    # dict.fromkeys drops repeats, e.g. one bad [defaults] key inherited by many indicators.
    problems = sorted(dict.fromkeys(builder.problems), key=lambda p: (p.line or 0, p.column or 0))
    errors = builder.dropped_error or any(p.severity is Severity.ERROR for p in problems)
    if ruleset is None or errors:
        raise RulesetError(problems=(*problems[:MAX_PROBLEMS], *_more(problems, builder)))
    return ruleset


def _more(problems: list[Problem], builder: _Builder) -> tuple[Problem, ...]:
    """One problem counting those not shown: an error if any of them is."""
    rest = problems[MAX_PROBLEMS:]
    if not rest and not builder.dropped:
        return ()
    error = builder.dropped_error or any(p.severity is Severity.ERROR for p in rest)
    return (
        Problem(
            file=builder.source,
            message=f"and {len(rest) + len(builder.dropped):,} more problems",
            hint="fix these first",
            severity=Severity.ERROR if error else Severity.WARNING,
        ),
    )


class _Builder:
    """Typed getters over raw TOML that record every problem with its key path."""

    def __init__(self, source: str | None, origins: Origins) -> None:
        self.source = source
        self.origins = origins
        self.catalogue = False
        self.problems: list[Problem] = []
        self.count = 0  # every problem reported, kept or not: "did this part add any?"
        # Problems past _KEPT_PROBLEMS are only counted (repeats once, as dict.fromkeys in
        # build does), by hash: 400,000 of them would otherwise hold hundreds of MB.
        self.dropped: set[int] = set()
        self.dropped_error = False
        self.calendar = Calendar.FINANCIAL

    # -- reporting --------------------------------------------------------------------------

    def problem(
        self, path: str, message: str, hint: str | None = None, *, warning: bool = False
    ) -> None:
        self.count += 1
        severity = Severity.WARNING if warning else Severity.ERROR
        if len(self.problems) >= _KEPT_PROBLEMS:  # only counted: never shown (see build)
            self.dropped.add(hash((path, message, hint, severity)))
            self.dropped_error = self.dropped_error or not warning
            return
        file, line, column = self.origins.locate(path)
        # Name the key as it is written in that file, not by its place in the merged ruleset.
        original = self.origins.resolve(path)[1] if path else path
        self.problems.append(
            Problem(
                file=file,
                line=line,
                column=column,
                key=original or path or None,
                message=message,
                hint=hint,
                severity=severity,
            )
        )

    # -- typed getters ----------------------------------------------------------------------

    def table(self, raw: object, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}")
            return {}
        unknown = [key for key in raw if key not in allowed]
        for key in unknown[:MAX_UNKNOWN_KEYS]:  # did-you-mean only for those reported
            close = close_matches(key, allowed) if self.count < MAX_PROBLEMS else []
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
            self.problem(_key(path, key), f"unknown key {key!r}", hint)
        if len(unknown) > MAX_UNKNOWN_KEYS:
            more = len(unknown) - MAX_UNKNOWN_KEYS
            self.problem(path, f"and {more:,} more unknown keys", f"allowed: {', '.join(allowed)}")
        return {key: value for key, value in raw.items() if key in allowed}

    def string(self, raw: object, path: str) -> str | None:
        if isinstance(raw, str) and not isinstance(raw, OutOfRange):
            return raw
        self.problem(path, f"expected a string, got {_kind(raw)}")
        return None

    def choice(self, raw: object, path: str, kind: type[E]) -> E | None:
        text = self.string(raw, path)
        if text is None:
            return None
        try:
            return kind(text)
        except ValueError:
            names = [member.value for member in kind]
            close = close_matches(text, names, cutoff=0.4)
            hint = f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(names)}"
            what = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
            self.problem(path, f"{text!r} is not a valid {what}", hint)
            return None

    def quantity(self, raw: object, path: str, unit: str) -> Decimal | None:
        """A number in `unit`: a TOML number, or text with an optional unit (`26 weeks`)."""
        if isinstance(raw, OutOfRange):  # a TOML number too large to read or print
            self.problem(path, f"{raw[:20]} is out of range (at most 10^{MAX_EXPONENT})")
            return None
        if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
            try:
                return to_decimal(raw)
            except NumberError as exc:
                self.problem(path, str(exc))
                return None
        if not isinstance(raw, str):
            self.problem(path, f"expected a number, got {_kind(raw)}", 'e.g. 30 or "26 weeks"')
            return None
        try:
            parts = split_value(raw)
        except NumberError as exc:
            self.problem(path, str(exc))
            return None
        if parts is None or parts[2]:
            self.problem(path, f"{raw!r} is not a number", 'write e.g. "72%", "26 weeks" or 30')
            return None
        number, written, _ = parts
        if not written:
            return number
        try:
            return convert(number, canonical_unit(written), unit)
        except UnitError as exc:
            self.problem(
                path,
                f"{raw!r} cannot be expressed in the indicator's unit {label(unit) or unit!r}",
                str(exc),
            )
            return None

    def period(self, raw: object, path: str) -> Period | None:
        text = self.string(raw, path)
        if text is None:
            return None
        try:
            return parse_period(text, self.calendar)
        except PeriodError as exc:
            self.problem(path, str(exc))
            return None

    def dated(
        self,
        raw: object,
        path: str,
        read: Callable[[object, str], object],
        *,
        entry_is_table: bool,
    ) -> Schedule[Any] | None:
        """A value, or an array of `{ from = PERIOD, ... }` entries with effective dates."""
        if not isinstance(raw, list):
            value = read(raw, path)
            return None if value is None else Schedule.always(value)
        entries: list[Dated[Any]] = []
        for index, item in enumerate(raw):
            where = f"{path}[{index}]"
            if not isinstance(item, dict):
                self.problem(where, f"expected a table with 'from', got {_kind(item)}")
                continue
            start = self.period(item["from"], f"{where}.from") if "from" in item else None
            body = {key: value for key, value in item.items() if key != "from"}
            if not entry_is_table:
                unknown = [
                    key for key in body if key not in ("value", "lower", "upper", "benchmark")
                ]
                for key in unknown:
                    self.problem(
                        f"{where}.{key}",
                        f"unknown key {key!r}",
                        "use value, lower and upper, or benchmark",
                    )
                if "value" in body and len(body) > 1:
                    self.problem(
                        where,
                        "give either value, or lower and upper, or benchmark",
                        "one way of stating the target per entry",
                    )
                    continue
                body_value: object = body.get("value", body)
            else:
                body_value = body
            value = read(body_value, where)
            if value is not None:
                entries.append(Dated(start=start, value=value))
        undated = [entry for entry in entries if entry.start is None]
        if len(undated) > 1:
            self.problem(
                path,
                "more than one entry has no 'from' period",
                "date all but the first",
            )
        entries.sort(
            key=lambda entry: (
                entry.start is not None,
                entry.start.start if entry.start else (0, 0),
            )
        )
        starts = [entry.start for entry in entries if entry.start is not None]
        if len(set(starts)) != len(starts):
            self.problem(path, "two entries start in the same period")
        return Schedule(entries=tuple(entries)) if entries else None

    # -- the document -----------------------------------------------------------------------

    def ruleset(self, document: dict[str, Any]) -> Ruleset | None:
        top = self.table(document, "", _TOP_KEYS)
        head = self.table(top.get("ruleset", {}), "ruleset", _RULESET_KEYS)
        if "ruleset" not in top:
            self.problem(
                "ruleset",
                "the [ruleset] table is missing",
                "add [ruleset] with format and id",
            )
        version = head.get("format")
        if version is None:
            self.problem(
                "ruleset.format",
                "the format version is missing",
                f"add format = {FORMAT_VERSION}",
            )
        elif version != FORMAT_VERSION or type(version) is not int:
            self.problem(
                "ruleset.format",
                f"format {version!r} is not supported",
                f"this version of ragrules reads format = {FORMAT_VERSION}",
            )
        ruleset_id = self.string(head["id"], "ruleset.id") if "id" in head else None
        if ruleset_id == "":
            self.problem("ruleset.id", "the ruleset id is empty", 'e.g. id = "my-council-2024"')
            ruleset_id = None
        if "id" not in head:
            self.problem("ruleset.id", "the ruleset id is missing", 'add id = "my-council-2024"')
        self.catalogue = head.get("catalogue") is True
        if "catalogue" in head and not isinstance(head["catalogue"], bool):
            self.problem("ruleset.catalogue", "expected true or false")
        if "calendar" in head:
            self.calendar = self.choice(head["calendar"], "ruleset.calendar", Calendar) or (
                self.calendar
            )
        travel, unchanged_within = self.travel(top.get("travel", {}))

        scales = dict(BUILTIN_SCALES)
        for name, raw in self.table(
            top.get("scales", {}), "scales", tuple(_names(top.get("scales", {})))
        ).items():
            scale = self.scale(name, raw, f"scales.{name}", travel)
            if scale is not None:
                scales[name] = scale

        defaults = self.table(top.get("defaults", {}), "defaults", _DEFAULT_KEYS)
        default_scale = head.get("scale", "rag")
        raw_indicators = top.get("indicator", [])
        if not isinstance(raw_indicators, list):
            self.problem(
                "indicator",
                "expected [[indicator]] tables",
                "write each as [[indicator]]",
            )
            raw_indicators = []
        if len(raw_indicators) > MAX_INDICATORS:
            self.problem(
                "indicator", f"more than {MAX_INDICATORS:,} indicators", "split the ruleset"
            )
            raw_indicators = []
        indicators: list[Indicator] = []
        seen: dict[str, str] = {}
        for index, raw in enumerate(raw_indicators):
            path = f"indicator[{index}]"
            indicator = self.indicator(raw, path, defaults, scales, default_scale, unchanged_within)
            if indicator is None:
                continue
            if indicator.id in seen:
                file, first_line, _ = self.origins.locate(seen[indicator.id])
                here, _, _ = self.origins.locate(f"{path}.id")
                line = f" at line {first_line}" if first_line else ""
                if file != here:
                    line = f" at {file}:{first_line}"
                self.problem(
                    f"{path}.id",
                    f"duplicate indicator id {indicator.id!r}",
                    f"first defined{line}",
                )
                continue
            seen[indicator.id] = path
            indicators.append(indicator)
        if not raw_indicators:
            self.problem(
                "indicator",
                "the ruleset defines no indicators",
                "add [[indicator]] tables",
            )
        policy = self.exceptions(top.get("exceptions", {}), travel, indicators)
        tokens = self.tokens(top.get("data", {}))
        if ruleset_id is None:
            return None
        texts = {
            key: self.string(head[key], f"ruleset.{key}") or "" if key in head else ""
            for key in ("title", "version", "description")
        }
        return Ruleset(
            id=ruleset_id,
            title=texts["title"],
            version=texts["version"],
            calendar=self.calendar,
            catalogue=self.catalogue,
            indicators=tuple(indicators),
            travel=travel,
            exceptions=policy,
            tokens=tokens,
            source=self.source,
            warnings=tuple(
                sorted(
                    dict.fromkeys(p for p in self.problems if p.severity is Severity.WARNING),
                    key=lambda p: (p.line or 0, p.column or 0),
                )
            ),
        )

    def travel(self, raw: object) -> tuple[Travel, tuple[object, str] | None]:
        """The [travel] table, and its raw `unchanged-within` (resolved per indicator unit)."""
        body = self.table(raw, "travel", _TRAVEL_KEYS)
        raw_comparisons = body.get("comparisons", {})
        names = tuple(raw_comparisons) if isinstance(raw_comparisons, dict) else ()
        comparisons = []
        for name, value in self.table(raw_comparisons, "travel.comparisons", names).items():
            comparison = self.comparison(name, value, f"travel.comparisons.{name}")
            if comparison is not None:
                comparisons.append(comparison)
        arrows = Arrows.DIRECTION
        if "arrows" in body:
            arrows = self.choice(body["arrows"], "travel.arrows", Arrows) or arrows
        glyphs = dict(DEFAULT_GLYPHS)
        if "glyphs" in body:
            for key, glyph in self.table(body["glyphs"], "travel.glyphs", tuple(glyphs)).items():
                text = self.string(glyph, f"travel.glyphs.{key}")
                if text is not None:
                    glyphs[key] = text
        travel = Travel(comparisons=tuple(comparisons), arrows=arrows, glyphs=tuple(glyphs.items()))
        if "unchanged-within" not in body:
            return travel, None
        return travel, (body["unchanged-within"], "travel.unchanged-within")

    def comparison(self, name: str, raw: object, path: str) -> Comparison | None:
        body = self.table(raw, path, _COMPARISON_KEYS)
        if "against" not in body:
            if isinstance(raw, dict):
                self.problem(
                    path, "a comparison needs 'against'", 'e.g. against = "previous-period"'
                )
            return None
        against = self.choice(body["against"], f"{path}.against", Against)
        benchmark = (
            self.string(body["benchmark"], f"{path}.benchmark") if "benchmark" in body else None
        )
        label = self.string(body["label"], f"{path}.label") or "" if "label" in body else ""
        if against is Against.BENCHMARK and not benchmark:
            self.problem(
                path,
                "a benchmark comparison names its benchmark column",
                'add benchmark = "england"',
            )
            return None
        if against is not Against.BENCHMARK and benchmark is not None:
            self.problem(
                f"{path}.benchmark",
                "only a benchmark comparison names a benchmark",
                'set against = "benchmark"',
            )
            return None
        if against is None:
            return None
        return Comparison(name=name, against=against, benchmark=benchmark, label=label)

    def travel_condition(
        self, raw: object, path: str, travel: Travel, extra: tuple[str, ...] = ()
    ) -> TravelCondition | None:
        """`{ comparison = "long", judgement = ["improving", "unchanged"] }` on a band."""
        body = self.table(raw, path, ("comparison", "judgement", *extra))
        if "comparison" not in body or "judgement" not in body:
            if isinstance(raw, dict):
                self.problem(path, "a travel condition needs 'comparison' and 'judgement'")
            return None
        name = self.string(body["comparison"], f"{path}.comparison")
        known = [comparison.name for comparison in travel.comparisons]
        if name is not None and name not in known:
            close = close_matches(name, known)
            hint = f"did you mean {close[0]!r}?" if close else "declare it in [travel.comparisons]"
            self.problem(f"{path}.comparison", f"unknown comparison {name!r}", hint)
            name = None
        raw_judgements = body["judgement"]
        if isinstance(raw_judgements, str):
            raw_judgements = [raw_judgements]
        if not isinstance(raw_judgements, list) or not raw_judgements:
            self.problem(
                f"{path}.judgement",
                "expected a judgement or a list of them",
                'e.g. ["improving", "unchanged"]',
            )
            return None
        judgements = [
            self.choice(item, f"{path}.judgement[{index}]", Judgement)
            for index, item in enumerate(raw_judgements)
        ]
        if name is None or None in judgements:
            return None
        return TravelCondition(
            comparison=name, judgements=frozenset(j for j in judgements if j is not None)
        )

    def tokens(self, raw: object) -> Tokens:
        """`[data]`: the ruleset's own tokens for 'no data' and 'suppressed', compared
        case- and space-blind like the built-in ones."""
        body = self.table(raw, "data", _DATA_KEYS)
        found: dict[str, frozenset[str]] = {}
        for key in _DATA_KEYS:
            items = body.get(key, [])
            if not isinstance(items, list) or not all(
                isinstance(i, str) and i.strip() for i in items
            ):
                self.problem(
                    f"data.{key}", "expected a list of non-empty strings", 'e.g. ["awaited"]'
                )
                items = []
            found[key] = frozenset(" ".join(item.lower().split()) for item in items)
        return Tokens(no_data=found["no-data"], suppressed=found["suppressed"])

    def exceptions(
        self, raw: object, travel: Travel, indicators: list[Indicator]
    ) -> ExceptionPolicy:
        """`[exceptions]`: what the exception report selects, and what needs commentary."""
        body = self.table(raw, "exceptions", _EXCEPTION_KEYS)
        known = [
            status
            for indicator in indicators
            if indicator.polarity is not Polarity.NEUTRAL
            for status in indicator.scale.statuses
        ]
        rules = []
        if "statuses" in body:
            statuses = self.statuses(body["statuses"], "exceptions.statuses", known)
            if statuses:
                rules.append(ExceptionRule(statuses=statuses))
        raw_rules = body.get("rules", [])
        if not isinstance(raw_rules, list):
            self.problem("exceptions.rules", "expected an array of rule tables")
            raw_rules = []
        for index, raw_rule in enumerate(raw_rules):
            rule = self.exception_rule(raw_rule, f"exceptions.rules[{index}]", travel, known)
            if rule is not None:
                rules.append(rule)
        flagged = body.get("flagged", True)
        if not isinstance(flagged, bool):
            self.problem("exceptions.flagged", f"expected true or false, got {_kind(flagged)}")
            flagged = True
        required: tuple[str, ...] = ()
        if "commentary-required" in body:
            path = "exceptions.commentary-required"
            required = self.statuses(body["commentary-required"], path, known)
        return ExceptionPolicy(
            rules=tuple(rules), flagged=flagged, commentary_required=frozenset(required)
        )

    def exception_rule(
        self, raw: object, path: str, travel: Travel, known: list[str]
    ) -> ExceptionRule | None:
        body = self.table(raw, path, _RULE_KEYS)
        if not body:
            if isinstance(raw, dict):
                self.problem(path, "a rule needs statuses, travel or both")
            return None
        name = self.string(body["name"], f"{path}.name") or "" if "name" in body else ""
        statuses = (
            self.statuses(body["statuses"], f"{path}.statuses", known) if "statuses" in body else ()
        )
        condition = None
        periods = 1
        if "travel" in body:
            where = f"{path}.travel"
            condition = self.travel_condition(body["travel"], where, travel, ("periods",))
            raw_periods = (
                body["travel"].get("periods", 1) if isinstance(body["travel"], dict) else 1
            )
            if type(raw_periods) is not int or not 1 <= raw_periods <= MAX_LOOKBACK:
                self.problem(
                    f"{where}.periods",
                    f"periods must be a whole number from 1 to {MAX_LOOKBACK}",
                    "e.g. periods = 2 for two quarters running",
                )
                return None
            periods = raw_periods
        if not statuses and condition is None:
            if "travel" not in body and not (body.get("statuses") or None):
                self.problem(
                    path,
                    "a rule needs at least one status or a travel condition",
                    'e.g. { statuses = ["red"] }',
                )
            return None
        return ExceptionRule(name=name, statuses=statuses, travel=condition, periods=periods)

    def statuses(self, raw: object, path: str, known: list[str]) -> tuple[str, ...]:
        """A list of scale statuses; unrated reasons such as `neutral` are never selectable."""
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.problem(
                path, f"expected a list of statuses, got {_kind(raw)}", 'e.g. ["red", "amber"]'
            )
            return ()
        for index, status in enumerate(raw):
            if status in known:
                continue
            if status in {reason.value for reason in Unrated}:
                hint = (
                    "only statuses of a scale can be listed; neutral indicators are never "
                    "rated, and caveats have their own section"
                )
            else:
                close = close_matches(status, known)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"statuses: {', '.join(dict.fromkeys(known))}"
                )
            self.problem(
                f"{path}[{index}]", f"{status!r} is not a status of the ruleset's scales", hint
            )
        return tuple(status for status in raw if status in known)

    def scale(self, name: str, raw: object, path: str, travel: Travel) -> Scale | None:
        body = self.table(raw, path, ("bands", "boundary", "description"))
        boundary = Boundary.BETTER
        if "boundary" in body:
            boundary = self.choice(body["boundary"], f"{path}.boundary", Boundary) or boundary
        raw_bands = body.get("bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            self.problem(
                f"{path}.bands",
                "a scale needs a non-empty array of bands",
                'e.g. bands = [{ status = "green", from = "target" }, { status = "red" }]',
            )
            return None
        bands: list[Band] = []
        for index, raw_band in enumerate(raw_bands):
            where = f"{path}.bands[{index}]"
            band_body = self.table(raw_band, where, ("status", "from", "boundary", "travel"))
            status = (
                self.string(band_body["status"], f"{where}.status")
                if "status" in band_body
                else None
            )
            if "status" not in band_body:
                self.problem(where, "a band needs a status", 'e.g. status = "amber"')
            start = self.point(band_body["from"], f"{where}.from") if "from" in band_body else None
            band_boundary = boundary
            if "boundary" in band_body:
                band_boundary = (
                    self.choice(band_body["boundary"], f"{where}.boundary", Boundary) or boundary
                )
            condition = None
            if "travel" in band_body:
                condition = self.travel_condition(band_body["travel"], f"{where}.travel", travel)
            if status is not None:
                bands.append(
                    Band(status=status, start=start, boundary=band_boundary, travel=condition)
                )
            catch_all = "from" not in band_body and "travel" not in band_body
            if catch_all and index != len(raw_bands) - 1:
                self.problem(
                    where,
                    "only the last band may have neither 'from' nor 'travel'",
                    "the bands after it can never be reached",
                )
        last = bands[-1] if len(bands) == len(raw_bands) and bands else None
        if last is not None and (last.start is not None or last.travel is not None):
            self.problem(
                f"{path}.bands[{len(bands) - 1}]",
                "the last band has a condition, so values that miss it get no status",
                "end with a catch-all band that has only a status",
            )
        return Scale(name=name, bands=tuple(bands))

    def point(self, raw: object, path: str) -> Point | None:
        if raw == "target":
            return Point(kind=PointKind.TARGET)
        if raw in MARGIN_REFERENCES:
            kind = PointKind.WORSE_BY if raw == "tolerance" else PointKind.BETTER_BY
            return Point(kind=kind, margin=str(raw))
        if not isinstance(raw, dict) or len(raw) != 1:
            self.problem(
                path,
                f"{raw!r} is not a band start",
                'use "target", "tolerance", "stretch", or one of { worse-by = ... }, '
                '{ better-by = ... }, { threshold = NAME }, { ratio = "90%" }',
            )
            return None
        body = self.table(raw, path, ("worse-by", "better-by", "threshold", "ratio"))
        for key, value in body.items():
            where = f"{path}.{key}"
            if key == "threshold":
                name = self.string(value, where)
                return None if name is None else Point(kind=PointKind.THRESHOLD, threshold=name)
            if key == "ratio":
                ratio = self.percentage(value, where)
                if ratio is not None and ratio <= 0:
                    self.problem(where, "a ratio to the target must be above 0%", 'e.g. "90%"')
                    return None
                return None if ratio is None else Point(kind=PointKind.RATIO, ratio=ratio)
            kind = PointKind(key)
            if value in MARGIN_REFERENCES:
                return Point(kind=kind, margin=str(value))
            margin = self.fixed_margin(value, where)
            return None if margin is None else Point(kind=kind, margin=margin)
        return None

    def percentage(self, raw: object, path: str) -> Decimal | None:
        """A fraction written as a percentage, `"5%"`; a bare number is ambiguous."""
        text = raw if isinstance(raw, str) else None
        parts = None
        if text is not None:
            try:
                parts = split_value(text)
            except NumberError:
                parts = None
        if parts is None or parts[1] not in ("%", "percent") or parts[2]:
            self.problem(
                path,
                f"{raw!r} is not a percentage",
                'write it with a percent sign, e.g. "5%"',
            )
            return None
        return parts[0].scaleb(-2, EXACT)  # exact, whatever the decimal context

    def fixed_margin(self, raw: object, path: str) -> Margin | None:
        """A scale-level margin: `{ relative = "5%" }`; absolute margins need an indicator unit."""
        body = self.table(raw, path, ("relative",))
        if "relative" not in body:
            if isinstance(raw, dict):
                self.problem(
                    path,
                    "a scale's fixed margin must be relative",
                    'write { relative = "5%" }, or name "tolerance" or "stretch"',
                )
            return None
        amount = self.percentage(body["relative"], f"{path}.relative")
        if amount is not None and amount < 0:
            self.problem(
                f"{path}.relative",
                "a margin cannot be negative",
                "worse-by or better-by sets the side",
            )
            return None
        if amount is None:
            return None
        return Margin(basis=Basis.RELATIVE, amount=amount, text=str(body["relative"]))

    def margin(self, raw: object, path: str, unit: str) -> Margin | None:
        """A tolerance or stretch: `{ relative = "5%" }` or `{ absolute = "2 weeks" }`."""
        body = self.table(raw, path, _MARGIN_KEYS)
        bases = [key for key in ("relative", "absolute") if key in body]
        if len(bases) != 1:
            if isinstance(raw, dict):
                self.problem(
                    path,
                    "give exactly one of 'relative' or 'absolute'",
                    'relative = "5%" is 5% of the target; absolute = "5" is 5 in the unit',
                )
            return None
        basis = bases[0]
        where = f"{path}.{basis}"
        if basis == "relative":
            amount = self.percentage(body[basis], where)
        else:
            amount = self.quantity(body[basis], where, unit)
        if amount is None:
            return None
        if amount < 0:
            self.problem(
                where,
                "a margin cannot be negative",
                "give its size; the polarity sets the side",
            )
            return None
        text = str(body[basis])
        if basis == "absolute":
            text = _shown(text, unit)
        return Margin(basis=Basis(basis), amount=amount, text=text)

    def target(self, raw: object, path: str, unit: str) -> Target | BenchmarkTarget | None:
        """`30`, `"26 weeks"`, `{ lower = 15, upper = 20 }` or `{ benchmark = "england" }`."""
        if isinstance(raw, dict) and "benchmark" in raw:
            self.table(raw, path, ("benchmark",))
            name = self.string(raw["benchmark"], f"{path}.benchmark")
            if not name:
                if name == "":
                    self.problem(f"{path}.benchmark", "the benchmark name is empty")
                return None
            return BenchmarkTarget(benchmark=name)
        if isinstance(raw, dict):
            body = self.table(raw, path, ("lower", "upper"))
            if "lower" not in body or "upper" not in body:
                self.problem(path, "a target range needs both 'lower' and 'upper'")
                return None
            lower = self.quantity(body["lower"], f"{path}.lower", unit)
            upper = self.quantity(body["upper"], f"{path}.upper", unit)
            if lower is None or upper is None:
                return None
            self.fraction_warning(body["lower"], lower, f"{path}.lower", unit)
            self.fraction_warning(body["upper"], upper, f"{path}.upper", unit)
            if lower > upper:
                self.problem(
                    path,
                    f"the range's lower bound {lower} is above its upper bound {upper}",
                )
                return None
            return Target(lower=lower, upper=upper)
        value = self.quantity(raw, path, unit)
        if value is not None:
            self.fraction_warning(raw, value, path, unit)
        return None if value is None else Target.point(value)

    def fraction_warning(self, raw: object, value: Decimal, path: str, unit: str) -> None:
        """A percent target strictly between 0 and 1, written without `%`: 0.85 for 85%?"""
        if unit == "percent" and 0 < value < 1 and "%" not in str(raw):
            percent = format_decimal(value.scaleb(2, EXACT))
            self.problem(
                path,
                f"target {raw} on a percent indicator looks like a fraction ({percent}%?)",
                f'write it as a percentage, e.g. "{percent}%"; write "{raw}%" if you mean a '
                "fraction of one percent",
                warning=True,
            )

    def indicator(
        self,
        raw: object,
        path: str,
        defaults: dict[str, Any],
        scales: Mapping[str, Scale],
        default_scale: object,
        unchanged_within: tuple[object, str] | None,
    ) -> Indicator | None:
        problems_before = self.count
        body = self.table(raw, path, _INDICATOR_KEYS)
        if not body and not isinstance(raw, dict):
            return None
        if "id" not in body:
            self.problem(path, "an indicator needs an id", 'add id = "..."')
            return None
        indicator_id = self.string(body["id"], f"{path}.id")
        if not indicator_id:
            if indicator_id == "":
                self.problem(f"{path}.id", "the indicator id is empty")
            return None

        def setting(key: str) -> tuple[object, str] | None:
            if key in body:
                return body[key], f"{path}.{key}"
            if key in defaults:
                return defaults[key], f"defaults.{key}"
            return None

        unit = "number"
        if (found := setting("unit")) is not None:
            text = self.string(*found)
            if text is not None:
                try:
                    unit = canonical_unit(text)
                except UnitError as exc:
                    self.problem(found[1], str(exc).split(";")[0], str(exc).split("; ", 1)[-1])
                    return None
        polarity = Polarity.HIGHER
        if (found := setting("polarity")) is not None:
            polarity = self.choice(found[0], found[1], Polarity) or polarity
        neutral = polarity is Polarity.NEUTRAL

        scale_name: object = default_scale
        scale_path = "ruleset.scale"
        if (found := setting("scale")) is not None:
            scale_name, scale_path = found
        scale = scales.get(scale_name) if isinstance(scale_name, str) else None
        if scale is None:
            close = close_matches(str(scale_name), list(scales))
            self.problem(
                scale_path,
                f"unknown scale {scale_name!r}",
                f"did you mean {close[0]!r}?"
                if close
                else f"define [scales.{scale_name}] or use one of {', '.join(scales)}",
            )
            return None

        def margin_schedule(key: str) -> Schedule[Margin] | None:
            found = setting(key)
            if found is None:
                return None
            if neutral:
                if key in body:
                    self.problem(
                        found[1],
                        f"a neutral indicator cannot have a {key}",
                        "neutral indicators are never judged; remove it",
                    )
                return None
            return self.dated(
                found[0],
                found[1],
                lambda r, p: self.margin(r, p, unit),
                entry_is_table=True,
            )

        tolerance = margin_schedule("tolerance")
        stretch = margin_schedule("stretch")
        target = None
        if "target" in body:
            target = self.dated(
                body["target"],
                f"{path}.target",
                lambda r, p: self.target(r, p, unit),
                entry_is_table=False,
            )
        no_change = NO_CHANGE
        margin_setting = (
            (body["unchanged-within"], f"{path}.unchanged-within")
            if "unchanged-within" in body
            else unchanged_within
        )
        if margin_setting is not None:
            raw_margin, margin_path = margin_setting
            no_change = self.margin(raw_margin, margin_path, unit) or no_change
        thresholds: list[tuple[str, Decimal]] = []
        if "thresholds" in body:
            raw_thresholds = body["thresholds"]
            names = tuple(raw_thresholds) if isinstance(raw_thresholds, dict) else ()
            for name, value in self.table(raw_thresholds, f"{path}.thresholds", names).items():
                number = self.quantity(value, f"{path}.thresholds.{name}", unit)
                if number is not None:
                    thresholds.append((name, number))
        rounding = None
        if (found := setting("rounding")) is not None:
            rounding = self.rounding(*found)

        indicator = Indicator(
            id=indicator_id,
            title=self.string(body["title"], f"{path}.title") or "" if "title" in body else "",
            unit=unit,
            polarity=polarity,
            target=target,
            tolerance=tolerance,
            stretch=stretch,
            thresholds=tuple(thresholds),
            rounding=rounding,
            scale=scale,
            unchanged_within=no_change,
            origins=self.settings_origins(body, path, defaults),
        )
        if not neutral and self.count == problems_before:
            self.check_scale_fits(indicator, path)
        return indicator

    def settings_origins(
        self, body: dict[str, Any], path: str, defaults: dict[str, Any]
    ) -> SettingOrigins:
        """Where each of the indicator's settings was written, for explanations."""
        wheres = []
        for key in ("target", "tolerance", "stretch", "polarity", "unit", "scale", "rounding"):
            where = f"{path}.{key}" if key in body else f"defaults.{key}" if key in defaults else ""
            if where:
                wheres.append((key, where))
        return SettingOrigins(self.origins, tuple(wheres))

    def rounding(self, raw: object, path: str) -> Rounding | None:
        if not isinstance(raw, dict):
            self.problem(path, f"expected a table, got {_kind(raw)}", "e.g. { places = 1 }")
            return None
        body = self.table(raw, path, ("places", "mode"))
        places = body.get("places")
        if (
            not isinstance(places, int)
            or isinstance(places, bool)
            or not 0 <= places <= MAX_ROUNDING_PLACES
        ):
            self.problem(
                f"{path}.places",
                f"places must be a whole number from 0 to {MAX_ROUNDING_PLACES}",
                "e.g. places = 1",
            )
            return None
        mode = RoundingMode.HALF_UP
        if "mode" in body:
            mode = self.choice(body["mode"], f"{path}.mode", RoundingMode) or mode
        return Rounding(places=places, mode=mode)

    def needs(self, path: str, message: str, hint: str) -> None:
        """A setting the scale needs is missing: an error, except in a catalogue.

        A catalogue defines indicators for councils to extend; the council sets the margins.
        """
        if not self.catalogue:
            self.problem(path, message, hint)

    def check_scale_fits(self, indicator: Indicator, path: str) -> None:
        """The scale's bands can be computed for this indicator, and each can be reached."""
        scale = indicator.scale
        in_range = indicator.polarity is Polarity.IN_RANGE
        missing = False
        for band in scale.bands:
            start = band.start
            if start is None:
                continue
            if start.margin == "tolerance" and indicator.tolerance is None:
                self.needs(
                    path,
                    f"scale {scale.name!r} needs a tolerance for band {band.status!r}",
                    'set tolerance = { relative = "5%" } here or in [defaults]',
                )
                missing = True
            if start.margin == "stretch" and indicator.stretch is None:
                self.needs(
                    path,
                    f"scale {scale.name!r} needs a stretch margin for band {band.status!r}",
                    'set stretch = { relative = "10%" } here or in [defaults]',
                )
                missing = True
            if (
                start.kind is PointKind.THRESHOLD
                and indicator.threshold(str(start.threshold)) is None
            ):
                self.needs(
                    path,
                    f"scale {scale.name!r} needs the threshold {start.threshold!r} "
                    f"for band {band.status!r}",
                    f"add thresholds = {{ {start.threshold} = ... }}",
                )
                missing = True
            if in_range and start.kind in (
                PointKind.THRESHOLD,
                PointKind.RATIO,
                PointKind.BETTER_BY,
            ):
                self.problem(
                    path,
                    f"band {band.status!r} starts from {start.kind.value}, "
                    "which has no meaning for an in-range indicator",
                    "in-range scales use target and worse-by points",
                )
                missing = True
        fixed = (
            [t for t in indicator.target.values() if isinstance(t, Target)]
            if indicator.target
            else []
        )
        for target in fixed:
            if not target.is_point and not in_range:
                self.problem(f"{path}.target", 'a target range needs polarity = "in-range"')
                missing = True
        # Targets from benchmarks are known only with the data, so only fixed ones are checked.
        if not missing and (fixed or not scale.needs_target):
            self.check_reachable(indicator, path, fixed)

    def check_reachable(self, indicator: Indicator, path: str, fixed: list[Target]) -> None:
        """Every band can be assigned for every combination of target and margins in force."""
        scale = indicator.scale
        targets: list[Target | None] = list(fixed) or [None]
        tolerances: list[Margin | None] = (
            list(indicator.tolerance.values()) if indicator.tolerance else [None]
        )
        stretches: list[Margin | None] = (
            list(indicator.stretch.values()) if indicator.stretch else [None]
        )
        reported: set[str] = set()
        for target, tolerance, stretch in itertools.product(targets, tolerances, stretches):
            inputs = rating.RuleInputs(
                indicator=indicator, target=target, tolerance=tolerance, stretch=stretch
            )
            try:
                cuts = rating.compile_cuts(inputs)
            except rating.CannotRate as exc:
                self.problem(f"{path}.target", exc.reason)
                return
            for index in _unreachable(cuts, indicator.polarity):
                status = cuts[index].status
                if status in reported:
                    continue
                reported.add(status)
                zero = _zero_margin(cuts, inputs)
                if zero is not None:
                    # Not a mistake in the scale: this indicator's margin is zero here.
                    zero_target = inputs.target is not None and 0 in (
                        inputs.target.lower,
                        inputs.target.upper,
                    )
                    reason = (
                        f"a relative {zero} on a zero target is zero"
                        if zero_target
                        else f"its {zero} is zero"
                    )
                    self.problem(
                        f"{path}.{zero}",
                        f"band {status!r} is empty for this indicator: {reason}",
                        f"use an absolute {zero} for a zero target"
                        if zero_target
                        else f"give a {zero} above zero",
                        warning=True,
                    )
                    continue
                self.problem(
                    path,
                    f"band {status!r} of scale {scale.name!r} can never be assigned "
                    "to this indicator",
                    "its start is no worse than a band before it; check the order of the "
                    "bands and the indicator's thresholds",
                )


def _zero_margin(cuts: tuple[rating.Cut, ...], inputs: rating.RuleInputs) -> str | None:
    """The margin ('tolerance' or 'stretch') that is zero for this indicator, if any.

    A zero margin puts two bands' starts together, so one of them can never be assigned.
    """
    for cut in cuts:
        start = cut.band.start
        if (
            start is not None
            and start.kind in (PointKind.WORSE_BY, PointKind.BETTER_BY)
            and _resolved(start, inputs) == 0
        ):
            return start.margin if isinstance(start.margin, str) else "margin"
    return None


def _resolved(start: Point, inputs: rating.RuleInputs) -> Decimal:
    margin = rating.margin_for(start, inputs.tolerance, inputs.stretch)
    assert margin is not None
    assert inputs.target is not None
    return margin.resolve(inputs.target.value)


def _unreachable(cuts: tuple[rating.Cut, ...], polarity: Polarity) -> list[int]:
    """Indexes of cuts that every value they admit is admitted by an earlier cut.

    A band with a travel condition admits only some values in its region, so it never hides
    the bands after it; it is reachable when its region is not hidden by earlier bands.
    """
    found = []
    # Per side, the best (lowest oriented) start so far and whether it was inclusive.
    sides: dict[str, tuple[Fraction | Decimal, bool]] = {}
    for index, cut in enumerate(cuts):
        conditional = cut.band.travel is not None
        starts = _oriented_starts(cut, polarity)
        if not starts:  # no start: reachable unless an earlier cut admits everything
            if "all" in sides:
                found.append(index)
            if not conditional:
                sides["all"] = (Fraction(0), True)
            continue
        reachable = "all" not in sides and any(
            side not in sides
            or start < sides[side][0]
            or (start == sides[side][0] and cut.inclusive and not sides[side][1])
            for side, start in starts.items()
        )
        if not reachable:
            found.append(index)
        if conditional:
            continue
        for side, start in starts.items():
            best = sides.get(side)
            if best is None or start < best[0] or (start == best[0] and cut.inclusive):
                sides[side] = (start, cut.inclusive)
    return found


def _oriented_starts(cut: rating.Cut, polarity: Polarity) -> dict[str, Fraction | Decimal]:
    """Each bound of a cut as a number where larger is better, keyed by side.

    Bounds divided by a ratio band's multiplier are exact Fractions; the others stay Decimals
    (Decimal and Fraction compare exactly).
    """
    starts: dict[str, Fraction | Decimal] = {}
    if cut.scaled:
        multiplier = Fraction(cut.multiplier)
        if cut.lower is not None:
            starts["low"] = Fraction(cut.lower) / multiplier
        if cut.upper is not None:
            starts["high"] = -Fraction(cut.upper) / multiplier
        return starts
    if cut.lower is not None:
        starts["low"] = cut.lower
    if cut.upper is not None:
        starts["high"] = EXACT.minus(cut.upper)  # exact whatever the caller's context
    return starts


def _names(raw: object) -> list[str]:
    """The keys of a table, or none when it is not one (the table getter reports that)."""
    return list(raw) if isinstance(raw, dict) else []


def _kind(raw: object) -> str:
    if isinstance(raw, OutOfRange):
        return f"the number {raw[:20]}..., out of range"
    if isinstance(raw, bool):
        return "a boolean"
    if isinstance(raw, (int, Decimal)):
        return f"the number {raw}"
    if isinstance(raw, str):
        return f"the string {raw!r}"
    if isinstance(raw, list):
        return "an array"
    if isinstance(raw, dict):
        return "a table"
    return type(raw).__name__


def _key(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _shown(text: str, unit: str) -> str:
    try:
        parts = split_value(text)
    except NumberError:
        return text
    if parts is not None and not parts[1]:
        label_text = label(unit)
        return f"{text}{label_text}" if label_text == "%" else f"{text} {label_text}".strip()
    return text
