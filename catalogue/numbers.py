"""Figures as people read them: 363.1亿元, 15.3万人, 10万余人, 1,800个, 44.3%.

Indicators store values in base units (10万余人 is 100000, 人, more_than); every page
and chart writes them back with this one function, so a figure reads the same everywhere.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Largest first: a value of at least the scale is written in that unit.
SCALES = ((Decimal(100_000_000), "亿"), (Decimal(10_000), "万"))
# Units that already carry a scale, or a ratio: their numbers are written as they are.
UNSCALED_UNITS = ("%", "‰", "万", "亿", "千")
PREFIX = {"approx": "约", "at_least": "不少于", "less_than": "不到"}
TWO_PLACES = Decimal("0.01")


def _plain(value: Decimal, *, separators: bool) -> str:
    """At most two decimals, no trailing zeros, thousands separated when asked."""
    rounded = value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP).normalize()
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return f"{rounded:,f}" if separators else f"{rounded:f}"


def readable_number(value: Decimal | int | float, unit: str = "") -> str:
    """The number in 万/亿 when large (15.3万), with separators when not (1,800)."""
    value = Decimal(str(value))
    if unit.startswith(UNSCALED_UNITS):
        return _plain(value, separators=False)
    for size, word in SCALES:
        if abs(value) >= size:
            return _plain(value / size, separators=False) + word
    return _plain(value, separators=True)


def readable_figure(value: Decimal | int | float, unit: str, qualifier: str = "exact") -> str:
    """A figure with its unit and qualifier in Chinese order: 约15.3万人, 10万余人, 超过44.3%."""
    number = readable_number(value, unit)
    if qualifier == "more_than":
        if unit.startswith(("%", "‰")):
            return f"超过{number}{unit}"
        return f"{number}余{unit}"
    return f"{PREFIX.get(qualifier, '')}{number}{unit}"
