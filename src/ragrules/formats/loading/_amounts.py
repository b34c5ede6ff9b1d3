"""The loader's getters for amounts: percentages, margins and targets, in the indicator's unit."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ragrules.formats.loading._dated import DatedReader
from ragrules.formats.loading._getters import _kind, _shown
from ragrules.formats.loading._keys import (
    _MARGIN_KEYS,
)
from ragrules.model.numbers import (
    EXACT,
    NumberError,
    OutOfRange,
    format_decimal,
    split_value,
)
from ragrules.model.rules import (
    Basis,
    BenchmarkTarget,
    Margin,
    ProfiledTarget,
    Target,
)

_PROFILE_HINT = 'e.g. profile = "pro-rata", or profile = ["20%", "25%", "25%", "30%"]'
_SIDED = 'e.g. { below = { absolute = 2 }, above = { relative = "10%" } }'


# What a relative margin is a share of, by its key (a tolerance's is of the target).
_BASE_OF = {"unchanged-within": "earlier value"}


class Amounts(DatedReader):
    """Getters for the amounts a ruleset states: percentages, margins and targets."""

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

    def margin(self, raw: object, path: str, unit: str, *, sided: bool = False) -> Margin | None:
        """A tolerance or stretch: `{ relative = "5%" }` or `{ absolute = "2 weeks" }`; with
        `sided` (an in-range indicator's), also `{ below = MARGIN, above = MARGIN }`."""
        if isinstance(raw, dict) and ("below" in raw or "above" in raw):
            if sided:
                return self._two_sided(raw, path, unit)
            self.problem(
                path,
                "only an in-range indicator's margin can differ below and above the target",
                'give { relative = "5%" } or { absolute = 2 }: the polarity sets the side',
            )
            return None
        if isinstance(raw, str) and not isinstance(raw, OutOfRange):  # `tolerance = "10%"`
            base = _BASE_OF.get(path.rsplit(".", 1)[-1], "target")
            # "+/-5%" as a report prints it is 5% either side: the polarity sets the side.
            given = raw.strip().removeprefix("+/-").removeprefix("\u00b1").strip()
            if not given or len(given) > 20 or not given[0].isdigit():
                given = "10%"
            share = given if given.endswith("%") else f"{given}%"
            self.problem(
                path,
                f"expected a table, got {_kind(raw)}",
                f'write {{ relative = "{share}" }} for {share} of the {base}, or '
                f'{{ absolute = "{given}" }} for {given} in the unit',
            )
            return None
        body = self.table(raw, path, _MARGIN_KEYS)
        bases = [key for key in ("relative", "absolute") if key in body]
        if len(bases) != 1:
            if isinstance(raw, dict):
                base = _BASE_OF.get(path.rsplit(".", 1)[-1], "target")
                self.problem(
                    path,
                    "give exactly one of 'relative' or 'absolute'",
                    f'relative = "5%" is 5% of the {base}; absolute = "5" is 5 in the unit',
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

    def _two_sided(self, raw: dict[str, object], path: str, unit: str) -> Margin | None:
        body = self.table(raw, path, ("below", "above"))
        if "below" not in body or "above" not in body:
            self.problem(path, "a two-sided margin needs both below and above", _SIDED)
            return None
        below = self.margin(body["below"], f"{path}.below", unit)
        above = self.margin(body["above"], f"{path}.above", unit)
        if below is None or above is None:
            return None
        return attrs.evolve(below, above=above)

    def target(
        self, raw: object, path: str, unit: str
    ) -> Target | BenchmarkTarget | ProfiledTarget | None:
        """`30`, `"26 weeks"`, `{ lower = 15, upper = 20 }`, `{ benchmark = "england" }` or
        `{ annual = 400, profile = "pro-rata" }`."""
        if isinstance(raw, dict) and "annual" in raw:
            return self.profiled_target(raw, path, unit)
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

    def profiled_target(
        self, raw: dict[str, object], path: str, unit: str
    ) -> ProfiledTarget | None:
        """`{ annual = 400, profile = "pro-rata" | ["10%", ...] | NAME }`."""
        body = self.table(raw, path, ("annual", "profile"))
        annual = self.quantity(body["annual"], f"{path}.annual", unit)
        if "profile" not in body:
            self.problem(path, "a profiled target needs a profile", _PROFILE_HINT)
            return None
        profile = body["profile"]
        where = f"{path}.profile"
        name = ""
        if profile == "pro-rata":
            shares: tuple[Decimal, ...] | None = ()
        elif isinstance(profile, str):
            name = profile
            shares = self.profiles.get(profile)
            if shares is None:
                self.problem(
                    where,
                    f"unknown profile {profile!r}",
                    f"define it under [profiles], or write {_PROFILE_HINT}",
                )
                return None
        else:
            shares = self.shares(profile, where)
        if annual is None or shares is None:
            return None
        return ProfiledTarget(annual=annual, shares=shares, calendar=self.calendar, name=name)

    def profile_table(self, raw: object) -> dict[str, tuple[Decimal, ...]]:
        """`[profiles]`: named profiles, `seasonal = ["20%", "25%", "25%", "30%"]`."""
        names = tuple(raw) if isinstance(raw, dict) else ()
        found = {}
        for name, value in self.table(raw, "profiles", names).items():
            shares = self.shares(value, f"profiles.{name}")
            if shares is not None:
                found[name] = shares
        return found

    def shares(self, raw: object, path: str) -> tuple[Decimal, ...] | None:
        """A profile: 4 (quarters) or 12 (months) percentages adding up to exactly 100%."""
        if not isinstance(raw, list) or len(raw) not in (4, 12):
            self.problem(
                path, "a profile is 4 quarters' or 12 months' shares of the year", _PROFILE_HINT
            )
            return None
        found = []
        for index, item in enumerate(raw):
            share = self.percentage(item, f"{path}[{index}]")
            if share is None:
                return None
            if share < 0:
                self.problem(f"{path}[{index}]", "a share cannot be negative")
                return None
            found.append(share)
        total = sum(found, Decimal(0))
        if total != 1:
            self.problem(
                path,
                f"the shares add up to {format_decimal(total.scaleb(2, EXACT))}%, not 100%",
                "a profile shares out the whole annual target",
            )
            return None
        return tuple(found)

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
