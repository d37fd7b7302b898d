"""Numbers as people read them: 363.1亿, 15.3万, 1,800, 44.3; and a figure with its qualifier."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

# Largest first: a value of at least `size` is written in that unit.
_MAGNITUDES = ((Decimal(10) ** 8, "亿"), (Decimal(10) ** 4, "万"))
# How a qualifier is read around the number: 约15万人, 10万余人, 不少于20个, 不到5%.
_QUALIFIER_WORDS = {
    "more_than": ("", "余"),
    "at_least": ("不少于", ""),
    "approx": ("约", ""),
    "less_than": ("不到", ""),
}


def _plain(value: Decimal, places: int) -> str:
    """`value` rounded to `places` decimals, trailing zeros dropped, thousands separated."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:,f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


@register.filter
def readable_number(value) -> str:
    """A number as people read it: 36310000000 → 363.1亿, 153000 → 15.3万, 1800 → 1,800."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign, size = ("-" if number < 0 else ""), abs(number)
    for magnitude, word in _MAGNITUDES:
        if size >= magnitude:
            return f"{sign}{_plain(size / magnitude, 2)}{word}"
    return f"{sign}{_plain(size, 2)}"


@register.filter
def readable_figure(indicator) -> str:
    """An indicator's value with its qualifier and unit, as a sentence would say it: 10万余人."""
    before, after = _QUALIFIER_WORDS.get(indicator.qualifier, ("", ""))
    return f"{before}{readable_number(indicator.value)}{after}{indicator.unit}"
