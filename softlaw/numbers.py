"""The one way the tracker prints a number: pages, tables built in Python, chart labels and
downloads all go through number().

The rule: the figure's shortest decimal form (what Python's repr() writes for a float, so 62.5 is
62.5 and 0.05 is 0.05, not the binary fraction just below them) rounded half up to the digits
shown: 62.5 → 63, 0.05 → 0.1 and 99.95 → 100.0 at one decimal. The methodology page states it.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal

RULE = (
    "Figures are rounded half up on their decimal value: 62.5 prints as 63, 0.05 as 0.1 and "
    "99.95 as 100.0 at one decimal. The same figure prints the same on every page, chart, "
    "download and API field that rounds."
)


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


@functools.lru_cache(maxsize=16384)
def _number(value, digits: int) -> str:
    return str(_decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def number(value: float | int | Decimal, digits: int = 1) -> str:
    """A figure to `digits` decimals, half up on its decimal value (scores take few distinct
    values, so each is worked out once)."""
    return _number(value, int(digits))


def share(value: float | Decimal, digits: int = 0) -> str:
    """A 0–1 share as a percentage, by the same rule (0.875 → '88'); the multiplication is
    done on the decimal value so that 0.575 stays 57.5 before rounding."""
    return number(_decimal(value) * 100, digits)


def rounded(value: float | None, digits: int = 1) -> float | None:
    """A figure as a number rounded by the same rule, for chart data (None stays None)."""
    return None if value is None else float(number(value, digits))


def trimmed(value: float | Decimal, digits: int = 2) -> str:
    """By the same rule, without trailing zeros (a weight of 1.00 prints as 1, 0.50 as 0.5)."""
    text = number(value, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text
