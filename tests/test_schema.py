"""The JSON Schema of the ruleset format agrees with the loader, the shipped rulesets and the docs.

The schema is checked in both directions: rulesets the loader accepts validate (generated ones,
the shipped ones and the docs' examples), and documents the schema refuses are refused by the
loader too. The loader checks more than a schema can (units, periods, band order, names that
refer to each other), so a document that validates may still be refused.

Where the loader accepts a document only because it never reads or checks a setting (an
ignored key, an unused default), the schema follows the documented format and refuses it.
Those cases are listed in `IGNORED_BY_THE_LOADER`: the schema must refuse them, and each is an
expected failure while the loader still accepts it.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import ragrules
from ragrules import testing
from ragrules.cli import main
from ragrules.engine.canonical import canonical_toml
from ragrules.engine.ruleset import Ruleset
from ragrules.formats import loading
from ragrules.model.numbers import RoundingMode
from ragrules.model.periods import Calendar, parse_period
from ragrules.model.rules import (
    DEFAULT_GLYPHS,
    Against,
    Arrows,
    Boundary,
    Comparison,
    Dated,
    ExceptionPolicy,
    ExceptionRule,
    Judgement,
    Margin,
    Polarity,
    Schedule,
    Target,
    TargetSpec,
    Travel,
    TravelCondition,
)
from tests.conftest import ROOT
from tests.test_docs import TOML as DOC_TOML

SCHEMA_PATH = ROOT / "src" / "ragrules" / "ragrules.schema.json"
SCHEMA_TEXT = SCHEMA_PATH.read_text(encoding="utf-8")
SCHEMA: dict[str, Any] = json.loads(SCHEMA_TEXT)
DEFS: dict[str, Any] = SCHEMA["$defs"]
VALIDATOR = Draft202012Validator(SCHEMA)

RULESETS = ROOT / "rulesets"
SHIPPED = sorted(RULESETS.rglob("*.toml"))
DIRECTIVE = re.compile(r"#:schema (?P<path>\S+)")

# Fewer complete examples than this means the extraction broke, not that the docs shrank.
MIN_DOC_RULESETS = 18


def _errors(document: object) -> list[str]:
    """The schema's complaints about a document, each as `json.path: message`."""
    return [f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(document)]


def _assert_valid(document: object) -> None:
    """The document validates against the schema."""
    errors = _errors(document)
    assert not errors, "\n".join(errors)


# -- the schema itself ------------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """The shipped schema is itself a valid draft 2020-12 JSON Schema."""
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == "https://ragrules.invalid/ragrules.schema.json"


def test_schema_file_is_formatted() -> None:
    """The schema file is JSON with 2-space indentation and a final newline, as written."""
    assert json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n" == SCHEMA_TEXT


def _subschemas(schema: object, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside `schema`, with a JSON-pointer-like path to it."""
    if isinstance(schema, dict):
        yield path, schema
        for key, value in schema.items():
            yield from _subschemas(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _subschemas(value, f"{path}/{index}")


def test_every_property_has_a_description() -> None:
    """Every property of a table says what it is, for editors to show on hover."""
    # Tables are the schemas with `type: object`; properties in conditions (`if`, `anyOf`)
    # only tighten a property described in its table, and `false` forbids one.
    tables = [
        (path, schema) for path, schema in _subschemas(SCHEMA) if schema.get("type") == "object"
    ]
    described = [name for _, schema in tables for name in schema.get("properties", {})]
    undescribed = [
        f"{path}/properties/{name}"
        for path, schema in tables
        for name, value in schema.get("properties", {}).items()
        if value is not False and "description" not in value
    ]
    assert len(described) > 60
    assert not undescribed


def _enum(name: str) -> set[object]:
    """The values of a closed set of strings in the schema's `$defs`."""
    return set(DEFS[name]["enum"])


def _values(kind: type[enum.Enum]) -> set[object]:
    """The values of a Python enum."""
    return {member.value for member in kind}


def test_enums_match_the_model() -> None:
    """Every closed set of strings in the schema is the matching enum of the library."""
    settings = DEFS["indicatorSettings"]["properties"]
    ruleset = DEFS["ruleset"]["properties"]
    assert set(DEFS["polarity"]["enum"]) == _values(Polarity)
    assert {"$ref": "#/$defs/polarity"} in settings["polarity"]["anyOf"]
    assert _enum("boundary") == _values(Boundary)
    assert set(DEFS["comparison"]["properties"]["against"]["enum"]) == _values(Against)
    assert set(DEFS["travel"]["properties"]["arrows"]["anyOf"][0]["enum"]) == _values(Arrows)
    assert _enum("judgement") == _values(Judgement)
    assert set(ruleset["calendar"]["enum"]) == _values(Calendar)
    assert set(DEFS["rounding"]["properties"]["mode"]["enum"]) == _values(RoundingMode)
    glyphs = DEFS["travel"]["properties"]["glyphs"]["anyOf"][0]
    assert set(glyphs["properties"]) == dict(DEFAULT_GLYPHS).keys()


def _keys(schema: dict[str, Any]) -> set[str]:
    """The keys a schema object allows."""
    return set(schema["properties"])


def test_keys_match_the_loader() -> None:
    """Each table allows exactly the keys the loader accepts (indicators also `extends`, `omit`)."""
    top = _keys(SCHEMA)
    assert top == set(loading._TOP_KEYS)
    assert _keys(DEFS["ruleset"]) == set(loading._RULESET_KEYS)
    assert _keys(DEFS["indicatorSettings"]) == set(loading._DEFAULT_KEYS)
    assert _keys(DEFS["indicator"]) | _keys(DEFS["indicatorSettings"]) == {
        *loading._INDICATOR_KEYS,
        "extends",
        "omit",
    }
    assert _keys(DEFS["exceptions"]) == set(loading._EXCEPTION_KEYS)
    assert _keys(DEFS["exceptionRule"]) == set(loading._RULE_KEYS)
    assert _keys(DEFS["travel"]) == set(loading._TRAVEL_KEYS)
    assert _keys(DEFS["comparison"]) == set(loading._COMPARISON_KEYS)
    # The loader also lets an undated margin carry a `from`, which it ignores; see below.
    assert _keys(DEFS["margin"]) == set(loading._MARGIN_KEYS)
    assert _keys(DEFS["datedMargin"]) == {*loading._MARGIN_KEYS, "from"}


# -- the shipped rulesets ---------------------------------------------------------------------


def test_shipped_rulesets_found() -> None:
    """The glob finds the shipped rulesets, so the tests below cannot pass vacuously."""
    assert SHIPPED, f"no *.toml under {RULESETS}"


def _relative(path: Path) -> str:
    """A shipped ruleset's path relative to rulesets/, as a test id."""
    return path.relative_to(RULESETS).as_posix()


@pytest.mark.parametrize("path", SHIPPED, ids=_relative)
def test_shipped_ruleset_points_at_the_schema(path: Path) -> None:
    """A shipped ruleset's first line is a `#:schema` comment naming the shipped schema file."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = DIRECTIVE.fullmatch(first)
    assert match is not None, f"{_relative(path)} does not start with '#:schema PATH'"
    assert (path.parent / match["path"]).resolve() == SCHEMA_PATH.resolve()


@pytest.mark.parametrize("path", SHIPPED, ids=_relative)
def test_shipped_ruleset_validates(path: Path) -> None:
    """A shipped ruleset validates against the schema."""
    _assert_valid(tomli.loads(path.read_text(encoding="utf-8")))


# -- the docs ---------------------------------------------------------------------------------


def _doc_rulesets() -> list[tuple[str, str]]:
    """Every complete ruleset in the docs (as tests/test_docs.py finds them): (test id, text)."""
    return [(f"{block.document}-line{block.line}", block.text) for block in DOC_TOML]


DOC_RULESETS = _doc_rulesets()


def test_doc_rulesets_found() -> None:
    """The extraction finds the complete rulesets the docs are known to hold."""
    assert len(DOC_RULESETS) >= MIN_DOC_RULESETS


@pytest.mark.parametrize(
    "text", [text for _, text in DOC_RULESETS], ids=[name for name, _ in DOC_RULESETS]
)
def test_doc_ruleset_validates(text: str) -> None:
    """A complete ruleset in the docs validates against the schema."""
    _assert_valid(tomli.loads(text))


# -- loader -> schema: generated rulesets -----------------------------------------------------


@given(testing.rulesets(rounding=True))
def test_generated_ruleset_validates_and_loads(ruleset: Ruleset) -> None:
    """A generated ruleset, written as canonical TOML, validates and loads."""
    text = canonical_toml(ruleset)
    _assert_valid(tomli.loads(text))
    ragrules.loads(text)


COMPARISONS = (
    Comparison(name="short", against=Against.PREVIOUS_PERIOD, label="Short term"),
    Comparison(name="long", against=Against.SAME_PERIOD_LAST_YEAR),
    Comparison(name="v England", against=Against.BENCHMARK, benchmark="england"),
)
PERIODS = ("2020/21", "2021/22 Q3", "2022", "2023 Q1", "2023-11", "Nov 2024")


@st.composite
def _richer_rulesets(draw: st.DrawFn) -> Ruleset:
    """A generated ruleset with a calendar, travel, exceptions and effective dates added."""
    ruleset = draw(testing.rulesets(rounding=True, max_indicators=3))
    calendar = draw(st.sampled_from(Calendar))
    comparisons = tuple(draw(st.lists(st.sampled_from(COMPARISONS), unique=True, max_size=3)))
    glyphs = draw(st.sampled_from((DEFAULT_GLYPHS, (("up", "▲"), *DEFAULT_GLYPHS[1:]))))
    travel = Travel(comparisons=comparisons, arrows=draw(st.sampled_from(Arrows)), glyphs=glyphs)
    rules = [
        ExceptionRule(statuses=tuple(draw(st.sets(st.sampled_from(("red", "amber")), min_size=1))))
    ]
    for comparison in comparisons[: draw(st.integers(min_value=0, max_value=len(comparisons)))]:
        judgements = draw(st.sets(st.sampled_from(Judgement), min_size=1))
        condition = TravelCondition(comparison=comparison.name, judgements=frozenset(judgements))
        periods = draw(st.integers(min_value=1, max_value=12))
        rules.append(ExceptionRule(name="travel", travel=condition, periods=periods))
    policy = ExceptionPolicy(
        rules=tuple(rules),
        flagged=draw(st.booleans()),
        commentary_required=frozenset(draw(st.sets(st.sampled_from(("red", "amber"))))),
    )
    indicators = []
    for indicator in ruleset.indicators:
        starts = draw(st.lists(st.sampled_from(PERIODS), unique=True, max_size=2))
        dated = [parse_period(text, calendar) for text in starts]
        assert indicator.target is not None and indicator.tolerance is not None
        values = st.decimals(min_value=-10_000, max_value=10_000, places=2)
        targets: list[Dated[TargetSpec]] = [indicator.target.entries[0]]
        tolerances: list[Dated[Margin]] = [indicator.tolerance.entries[0]]
        for start in dated:
            targets.append(Dated(start=start, value=Target.point(draw(values))))
            tolerances.append(Dated(start=start, value=draw(testing.margins())))
        indicators.append(
            attrs.evolve(
                indicator,
                target=Schedule(entries=tuple(targets)),
                tolerance=Schedule(entries=tuple(tolerances)),
                unchanged_within=draw(testing.margins()),
            )
        )
    return attrs.evolve(
        ruleset,
        calendar=calendar,
        travel=travel,
        exceptions=policy,
        indicators=tuple(indicators),
    )


@given(_richer_rulesets())
def test_richer_generated_ruleset_validates_and_loads(ruleset: Ruleset) -> None:
    """A generated ruleset with travel, exceptions and effective dates validates and loads."""
    text = canonical_toml(ruleset)
    _assert_valid(tomli.loads(text))
    ragrules.loads(text)


# -- schema -> loader: documents the schema refuses -------------------------------------------

HEAD = '[ruleset]\nformat = 1\nid = "x"\n'
ONE = '\n[[indicator]]\nid = "a"\ntarget = 30\ntolerance = { relative = "5%" }\n'
COMPARISON = '\n[travel.comparisons]\nshort = { against = "previous-period" }\n'

INVALID = {
    "unknown top-level key": HEAD + "\n[setup]\nx = 1\n" + ONE,
    "unknown ruleset key": HEAD + 'owner = "me"\n' + ONE,
    "unknown indicator key": HEAD + ONE + 'tolerence = { relative = "5%" }\n',
    "unknown defaults key": HEAD + "\n[defaults]\ntarget = 30\n" + ONE,
    "unknown band key": HEAD
    + '\n[scales.s]\nbands = [{ status = "g", form = "target" }, { status = "r" }]\n'
    + ONE,
    "unknown glyph": HEAD + '\n[travel]\nglyphs = { left = "<" }\n' + ONE,
    "string where a table belongs: tolerance": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = 30\ntolerance = "5%"\n',
    "string where a table belongs: rounding": HEAD + ONE + 'rounding = "1"\n',
    "string where a table belongs: scale": HEAD + '\n[scales]\ns = "rag"\n' + ONE,
    "string where a table belongs: indicator": HEAD + 'indicator = "a"\n',
    "number where a string belongs": HEAD + ONE + "title = 5\n",
    "bad polarity": HEAD + ONE + 'polarity = "higher"\n',
    "bad calendar": HEAD + 'calendar = "fiscal"\n' + ONE,
    "bad rounding mode": HEAD + ONE + 'rounding = { places = 1, mode = "nearest" }\n',
    "bad boundary": HEAD
    + '\n[scales.s]\nboundary = "lower"\nbands = [{ status = "g", from = "target" }, '
    '{ status = "r" }]\n' + ONE,
    "bad arrows": HEAD + '\n[travel]\narrows = "both"\n' + ONE,
    "bad against": HEAD + '\n[travel.comparisons]\nshort = { against = "last" }\n' + ONE,
    "bad judgement": HEAD
    + COMPARISON
    + '\n[[exceptions.rules]]\ntravel = { comparison = "short", judgement = "better" }\n'
    + ONE,
    "bad band start": HEAD
    + '\n[scales.s]\nbands = [{ status = "g", from = "goal" }, { status = "r" }]\n'
    + ONE,
    "missing ruleset": ONE,
    "missing format": '[ruleset]\nid = "x"\n' + ONE,
    "format 2": '[ruleset]\nformat = 2\nid = "x"\n' + ONE,
    "missing ruleset id": "[ruleset]\nformat = 1\n" + ONE,
    "empty ruleset id": '[ruleset]\nformat = 1\nid = ""\n' + ONE,
    "missing indicator id": HEAD + '\n[[indicator]]\ntitle = "a"\ntarget = 30\n',
    "empty indicator id": HEAD + '\n[[indicator]]\nid = ""\n',
    "no indicators": HEAD,
    "no indicators in a catalogue": HEAD + "catalogue = true\n",
    "relative margin without a percent sign": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = 30\ntolerance = { relative = 5 }\n',
    "negative margin": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = 30\ntolerance = { absolute = "-2" }\n',
    "both relative and absolute": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = 30\ntolerance = { relative = "5%", absolute = 1 }\n',
    "a censored target": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = "<5"\ntolerance = { relative = "5%" }\n',
    "range without upper": HEAD
    + '\n[[indicator]]\nid = "a"\npolarity = "in-range"\ntarget = { lower = 1 }\n'
    "tolerance = { absolute = 1 }\n",
    "two undated entries": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = [{ value = 1 }, { value = 2 }]\n'
    'tolerance = { relative = "5%" }\n',
    "a period that is not one": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = [{ from = "Q3", value = 1 }]\n'
    'tolerance = { relative = "5%" }\n',
    "rounding places 13": HEAD + ONE + "rounding = { places = 13 }\n",
    "neutral indicator with a tolerance": HEAD
    + '\n[[indicator]]\nid = "a"\npolarity = "neutral"\ntolerance = { absolute = 1 }\n',
    "catch-all band before the last": HEAD
    + '\n[scales.s]\nbands = [{ status = "g" }, { status = "r" }]\n'
    + ONE,
    "last band with a start": HEAD
    + '\n[scales.s]\nbands = [{ status = "g", from = "target" }]\n'
    + ONE,
    "an absolute fixed margin in a scale": HEAD
    + '\n[scales.s]\nbands = [{ status = "g", from = { worse-by = { absolute = 1 } } }, '
    '{ status = "r" }]\n' + ONE,
    "benchmark comparison without a benchmark": HEAD
    + '\n[travel.comparisons]\nengland = { against = "benchmark" }\n'
    + ONE,
    "benchmark named on another comparison": HEAD
    + '\n[travel.comparisons]\nshort = { against = "previous-period", benchmark = "e" }\n'
    + ONE,
    "exception rule with only a name": HEAD + '\n[[exceptions.rules]]\nname = "x"\n' + ONE,
    "exception periods 0": HEAD
    + COMPARISON
    + '\n[[exceptions.rules]]\ntravel = { comparison = "short", judgement = "worsening", '
    "periods = 0 }\n" + ONE,
    "flagged as text": HEAD + '\n[exceptions]\nflagged = "yes"\n' + ONE,
    "indicator extends without a base": HEAD + ONE + 'extends = "b"\n',
    "omit without a base": HEAD + ONE + "omit = true\n",
    "extends a number": '[ruleset]\nformat = 1\nid = "x"\nextends = 5\n' + ONE,
    "an empty [[indicator]] table": HEAD + "\n[[indicator]]\n",
    "from on an undated margin": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = 30\ntolerance = { relative = "5%", from = 5 }\n',
    "value with lower in a dated target": HEAD
    + '\n[[indicator]]\nid = "a"\ntarget = [{ value = 30, lower = "x" }]\n'
    'tolerance = { relative = "5%" }\n',
    "omit that is not true": HEAD + ONE + 'omit = "yes"\n',
    "an omitted indicator with a setting": '[ruleset]\nformat = 1\nid = "x"\nextends = "b"\n'
    + ONE
    + "omit = true\n",
}

# Accepted by the loader only because it never reads or checks these settings.
IGNORED_BY_THE_LOADER = {
    "an unused [ruleset] scale": '[ruleset]\nformat = 1\nid = "x"\nscale = 5\n'
    + ONE
    + 'scale = "rag"\n',
    "an unused default": HEAD
    + '\n[defaults]\nunit = 5\ntolerance = "5%"\n'
    + ONE
    + 'unit = "percent"\n',
    "a default tolerance for neutral indicators only": HEAD
    + '\n[defaults]\ntolerance = "5%"\n\n[[indicator]]\nid = "a"\npolarity = "neutral"\n',
}


def _refused_by_the_loader(text: str) -> bool:
    """True when the loader refuses the ruleset text."""
    try:
        ragrules.loads(text)
    except ragrules.RulesetError:
        return True
    return False


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID)
def test_schema_and_loader_both_refuse(text: str) -> None:
    """A document the schema refuses is refused by the loader too."""
    assert _errors(tomli.loads(text)), "the schema accepts it"
    assert _refused_by_the_loader(text), "the loader accepts it"


@pytest.mark.parametrize("text", IGNORED_BY_THE_LOADER.values(), ids=IGNORED_BY_THE_LOADER)
def test_schema_refuses_what_the_loader_ignores(text: str) -> None:
    """The schema refuses a setting the loader ignores; an expected failure until the loader
    refuses it too, and then an ordinary pass."""
    assert _errors(tomli.loads(text)), "the schema accepts it"
    if not _refused_by_the_loader(text):
        pytest.xfail("the loader accepts it without reading the setting")


# -- the command ------------------------------------------------------------------------------


def test_schema_command_prints_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    """`ragrules schema` prints the schema file the package ships."""
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == SCHEMA_TEXT
    assert loading.schema_text() == SCHEMA_TEXT


def _schema_keys(node: object) -> set[str]:
    """Every property name the schema defines, at any depth."""
    found: set[str] = set()
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            found.add(name)
            found |= _schema_keys(value)
        for key, value in node.items():
            if key != "properties":
                found |= _schema_keys(value)
    elif isinstance(node, list):
        for item in node:
            found |= _schema_keys(item)
    return found


def _reference_keys(text: str) -> set[str]:
    """The keys the format reference's `| key | ... |` tables list."""
    keys: set[str] = set()
    in_key_table = False
    for line in text.splitlines():
        if line.startswith("| key |"):
            in_key_table = True
        elif not line.startswith("|"):
            in_key_table = False
        elif in_key_table and (match := re.match(r"\| `([a-z_-]+)` \|", line)):
            keys.add(match[1])
    return keys


def test_the_format_reference_and_the_schema_name_the_same_keys() -> None:
    """docs/ruleset-format.md documents every schema key, and its key tables invent none."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    keys = _schema_keys(schema)
    reference = (ROOT / "docs" / "ruleset-format.md").read_text(encoding="utf-8")
    spans = " ".join(re.findall(r"`[^`\n]+`", reference))
    undocumented = {
        key for key in keys if not re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", spans)
    }
    assert not undocumented, f"schema keys missing from docs/ruleset-format.md: {undocumented}"
    listed = _reference_keys(reference)
    assert listed, "the reference's key tables were not found"
    assert listed <= keys, f"documented keys the schema does not define: {listed - keys}"
