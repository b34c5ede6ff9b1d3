"""Reading `[exceptions]`, `[data]` and `[benchmarks]`: exception rules, commentary, data tokens
and breakdowns, and named benchmarks."""

from __future__ import annotations

from ragrules.formats.loading._getters import _kind
from ragrules.formats.loading._in_use import ScalesInUse
from ragrules.formats.loading._keys import (
    _DATA_KEYS,
    _EXCEPTION_KEYS,
    _RULE_KEYS,
    MAX_LOOKBACK,
)
from ragrules.formats.loading._references import ReferenceChecks
from ragrules.formats.loading._travel import TravelReader
from ragrules.model.comparisons import Benchmark, Group, NeighbourSet, Statistic
from ragrules.model.observations import FIELDS, column_key
from ragrules.model.rules import (
    ExceptionPolicy,
    ExceptionRule,
    Schedule,
    Tokens,
    Travel,
)


class ExceptionReader(TravelReader):
    """`[exceptions]` and `[data]`: what the exception report selects, and data tokens."""

    def tokens(self, raw: object) -> Tokens:
        """`[data]`: the ruleset's own tokens for 'no data' and 'suppressed', compared
        case- and space-blind like the built-in ones."""
        body = self.table(raw, "data", _DATA_KEYS)
        found: dict[str, frozenset[str]] = {}
        dated: dict[str, Schedule[frozenset[str]] | None] = {}
        for key in ("no-data", "suppressed"):
            items = body.get(key, [])
            if isinstance(items, list) and any(isinstance(item, dict) for item in items):
                # [{ value = ["x"] }, { from = "2020/21", value = [] }]: tokens by period
                schedule = self.dated_setting(items, f"data.{key}", self._token_list)
                dated[key] = schedule if schedule is not None and schedule.is_dated else None
                found[key] = schedule.entries[0].value if schedule else frozenset()
            else:
                found[key] = self._token_list(items, f"data.{key}") or frozenset()
        names = body.get("breakdowns", [])
        if not _words_list(names):
            self.problem(
                "data.breakdowns", "expected a list of non-empty strings", 'e.g. ["sex", "age"]'
            )
            names = []
        breakdowns = tuple(dict.fromkeys(column_key(item) for item in names))
        taken = [name for name in breakdowns if name in FIELDS]
        if taken:
            self.problem(
                "data.breakdowns",
                f"{taken[0]!r} is a field of every row, not a breakdown",
                "name other columns, such as sex or age",
            )
        return Tokens(
            no_data=found["no-data"],
            suppressed=found["suppressed"],
            breakdowns=breakdowns,
            dated_no_data=dated.get("no-data"),
            dated_suppressed=dated.get("suppressed"),
        )

    def _token_list(self, raw: object, path: str) -> frozenset[str] | None:
        """Tokens as the data writes them, compared case- and space-blind."""
        if not _words_list(raw):
            self.problem(path, "expected a list of non-empty strings", 'e.g. ["awaited"]')
            return None
        assert isinstance(raw, list)
        return frozenset(" ".join(item.lower().split()) for item in raw)

    def exceptions(self, raw: object, travel: Travel, in_use: ScalesInUse) -> ExceptionPolicy:
        """`[exceptions]`: what the exception report selects, and what needs commentary."""
        body = self.table(raw, "exceptions", _EXCEPTION_KEYS)
        known = [status for scale in in_use.judged for status in scale.statuses]
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
        status_periods = 1
        if "periods" in body:
            status_periods = body["periods"]
            if type(status_periods) is not int or not 1 <= status_periods <= MAX_LOOKBACK:
                self.problem(
                    f"{path}.periods",
                    f"periods must be a whole number from 1 to {MAX_LOOKBACK}",
                    'e.g. periods = 2 for "red two quarters running"',
                )
                return None
        until: tuple[str, ...] = ()
        if "until" in body:
            until = self.statuses(body["until"], f"{path}.until", known)
            if not until:
                return None
        if ("periods" in body or until) and "statuses" not in body:
            self.problem(
                path,
                "periods and until count the rule's statuses: give statuses",
                'e.g. { statuses = ["red"], periods = 2, until = ["green"] }',
            )
            return None
        if not statuses and condition is None:
            if "travel" not in body and not (body.get("statuses") or None):
                self.problem(
                    path,
                    "a rule needs at least one status or a travel condition",
                    'e.g. { statuses = ["red"] }',
                )
            return None
        return ExceptionRule(
            name=name,
            statuses=statuses,
            travel=condition,
            periods=periods,
            status_periods=status_periods,
            until=until,
        )


def _words_list(raw: object) -> bool:
    return isinstance(raw, list) and all(isinstance(i, str) and i.strip() for i in raw)


class BenchmarkReader(ExceptionReader, ReferenceChecks):
    """`[benchmarks]`: named benchmarks, each the row of one area (England's, say)."""

    def benchmarks(self, raw: object, groups: tuple[Group, ...]) -> tuple[Benchmark, ...]:
        """`[benchmarks.NAME]`: an area's row (`area`, `area-column`) or a statistic of one
        of `groups` (or of every area)."""
        names = list(raw) if isinstance(raw, dict) else []
        found = []
        for name, body in self.table(raw, "benchmarks", tuple(names)).items():
            path = f"benchmarks.{name}"
            table = self.table(body, path, _BENCHMARK_KEYS)
            kinds = [key for key in ("area", "area-column", "statistic") if key in table]
            if len(kinds) != 1:
                self.problem(path, "a benchmark is one of area, area-column or statistic", _HINT)
                continue
            text = self.string(table[kinds[0]], f"{path}.{kinds[0]}")
            if text == "" and kinds[0] != "statistic":  # would match no row: never a benchmark
                self.problem(f"{path}.{kinds[0]}", f"the {kinds[0]} is empty", _HINT)
            if not text:
                continue
            if kinds[0] == "area":
                found.append(Benchmark(name=column_key(name), area=text))
            elif kinds[0] == "area-column":
                found.append(Benchmark(name=column_key(name), area_column=column_key(text)))
            else:
                benchmark = self._statistic(name, table, path, groups)
                if benchmark is not None:
                    found.append(benchmark)
        return tuple(found)

    def _statistic(
        self, name: str, table: dict[str, object], path: str, groups: tuple[Group, ...]
    ) -> Benchmark | None:
        statistic = self.choice(table["statistic"], f"{path}.statistic", Statistic)
        weights = self.string(table["weights"], f"{path}.weights") if "weights" in table else ""
        if statistic is Statistic.WEIGHTED_MEAN and not weights:
            self.problem(f"{path}.weights", "a weighted mean needs its weights column", _HINT)
            return None
        if statistic is not None and statistic is not Statistic.WEIGHTED_MEAN and weights:
            self.problem(
                f"{path}.weights",
                f"weights are for a weighted mean, not a {statistic.value}",
                'statistic = "weighted-mean", or leave weights out',
            )
            return None
        if self.blank_group(table, path):
            return None
        group = self.string(table["group"], f"{path}.group") if "group" in table else ""
        if group:
            self.group_named(group, f"{path}.group", groups)
        if statistic is None:
            return None
        return Benchmark(
            name=column_key(name),
            statistic=statistic,
            group=column_key(group) if group else "",
            weights=column_key(weights) if weights else "",
        )

    def groups(self, raw: object) -> tuple[Group, ...]:
        """`[groups.NAME]`: `where = { "area type" = "County & UA" }`, or `areas = [...]`."""
        names = list(raw) if isinstance(raw, dict) else []
        found = []
        for name, body in self.table(raw, "groups", tuple(names)).items():
            path = f"groups.{name}"
            table = self.table(body, path, ("where", "areas", "neighbours", "description"))
            if "neighbours" in table:
                sets = self._neighbour_sets(table["neighbours"], f"{path}.neighbours")
                if sets is not None:
                    found.append(Group(name=column_key(name), neighbours=sets))
                continue
            where: list[tuple[str, str]] = []
            raw_where = table.get("where", {})
            if not isinstance(raw_where, dict) or not all(
                isinstance(v, str) for v in raw_where.values()
            ):
                self.problem(f"{path}.where", "expected a table of column = text", _GROUP_HINT)
                continue
            where = [(column_key(k), v.strip()) for k, v in raw_where.items()]
            areas = table.get("areas", [])
            if not isinstance(areas, list) or not all(isinstance(a, str) and a for a in areas):
                self.problem(f"{path}.areas", "expected a list of area codes", _GROUP_HINT)
                continue
            if not where and not areas:
                given = [key for key in ("areas", "where") if key in table]
                words = (
                    f"{given[0]} is empty: a group needs an area code or a column to match"
                    if given
                    else "a group needs where or areas"
                )
                self.problem(f"{path}.{given[0]}" if given else path, words, _GROUP_HINT)
                continue
            found.append(Group(name=column_key(name), where=tuple(where), areas=frozenset(areas)))
        return tuple(found)

    def _neighbour_sets(self, raw: object, path: str) -> tuple[NeighbourSet, ...] | None:
        """`{ AREA = [...] }`, or `[{ from = "2021/22", of = { AREA = [...] } }, ...]`."""
        entries = [{"of": raw}] if isinstance(raw, dict) else raw
        if not isinstance(entries, list) or not entries:
            self.problem(path, "expected each area's neighbours", _NEIGHBOURS_HINT)
            return None
        sets = []
        for index, entry in enumerate(entries):
            where = path if isinstance(raw, dict) else f"{path}[{index}]"
            body = self.table(entry, where, ("from", "of"))
            start = self.start(body["from"], f"{where}.from") if "from" in body else None
            if "from" in body and start is None:
                return None  # its `from` is said to be no start; it is no set in force always
            of = body.get("of")
            if not isinstance(of, dict) or not all(
                isinstance(codes, list) and all(isinstance(c, str) and c for c in codes)
                for codes in of.values()
            ):
                self.problem(
                    f"{where}.of" if "of" in body else where,
                    "expected AREA = [codes]",
                    _NEIGHBOURS_HINT,
                )
                return None
            pairs = tuple(sorted((area, frozenset(codes)) for area, codes in of.items()))
            sets.append(NeighbourSet(start=start, of=pairs))
        if any(s.start is None for s in sets[1:]):
            self.problem(
                path,
                "every set after the first needs the period it is in force from",
                _NEIGHBOURS_HINT,
            )
            return None
        starts = [s.start.start for s in sets if s.start is not None]
        if starts != sorted(starts):
            self.problem(
                path, "the sets must come in the order they came into force", _NEIGHBOURS_HINT
            )
            return None
        return tuple(sets)


_NEIGHBOURS_HINT = (
    'e.g. neighbours = { E06000001 = ["E06000002", "E06000003"] }, or a list of '
    '{ from = "2021/22", of = { ... } } when the sets were revised'
)
_BENCHMARK_KEYS = ("area", "area-column", "statistic", "group", "weights", "description")
_HINT = (
    'e.g. area = "E92000001", area-column = "parent code", or statistic = "mean" with '
    'group = "neighbours" (weighted-mean with weights = "denominator")'
)
_GROUP_HINT = 'e.g. where = { "area type" = "County & UA" }, or areas = ["E06000001", ...]'
