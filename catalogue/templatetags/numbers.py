"""Template filters that write figures as people read them: 363.1亿, 15.3万人, 10万余人.

The rules live in catalogue.numbers (shared with charts and exports); these only adapt them
to templates, so a figure reads the same on every page.
"""

from __future__ import annotations

from django import template

from catalogue import numbers

register = template.Library()


@register.filter
def readable_number(value, unit: str = "") -> str:
    """A number as people read it (36310000000 → 363.1亿, 1800 → 1,800); "" for no value."""
    if value in (None, ""):
        return ""
    return numbers.readable_number(value, unit or "")


@register.filter
def readable_figure(indicator) -> str:
    """An indicator's value with its qualifier and unit, as a sentence would say it: 10万余人."""
    return numbers.readable_figure(indicator.value, indicator.unit, indicator.qualifier)
