"""The loader's getters for amounts: percentages, margins and targets, in the indicator's unit."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ragrules.formats.loading._getters import Getters, _shown
from ragrules.formats.loading._keys import (
    _MARGIN_KEYS,
)
from ragrules.model.numbers import (
    EXACT,
    NumberError,
    format_decimal,
    split_value,
)
from ragrules.model.rules import (
    Basis,
    BenchmarkTarget,
    Margin,
    Target,
)

_SIDED = 'e.g. { below = { absolute = 2 }, above = { relative = "10%" } }'


class Amounts(Getters):
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
