"""What the testing kit's modules share: type names, published tokens, scales and contexts."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Literal

from ragrules.model.numbers import RoundingMode
from ragrules.model.rules import (
    BRAG,
    RAG,
)

ScaleName = Literal["rag", "brag"]
Number = Decimal | int | str

# Published tokens for "no value this period" and "value withheld" (see `observations`).
NO_DATA_VALUES: tuple[str | None, ...] = (None, "", "N/A", "n/a", "-", "TBC", "..")
SUPPRESSED_VALUES: tuple[str, ...] = ("<5", "< 5", "<10", "c", "[x]", "*")
UNREADABLE_VALUES: tuple[str, ...] = ("high", "n/k", "see note", "5 furlongs")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-"
_SCALES = {"rag": RAG, "brag": BRAG}
# RoundingMode members are named after the decimal module's ROUND_* constants.
_ROUNDING = {mode: getattr(decimal, f"ROUND_{mode.name}") for mode in RoundingMode}
_WIDE = decimal.Context(prec=1000, Emax=999_999, Emin=-999_999)
