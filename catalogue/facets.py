"""Facets beside filter values, as Datasette shows them: value, count, selected, toggle link."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import QueryDict

# Parameters that never survive a change of filter: the page would be out of range and
# an export link is not a page.
RESET = ("page", "format")


@dataclass
class FacetValue:
    """One value of a facet with how many rows have it and the link that toggles it."""

    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    """A facet: the filter parameter it toggles and its most frequent values."""

    param: str
    title: str
    values: list[FacetValue]


def toggle_url(query: QueryDict, param: str, value: str) -> str:
    """The current query string with `param` set to `value`, or removed if it already is."""
    params = query.copy()
    for name in RESET:
        params.pop(name, None)
    if params.get(param) == value:
        params.pop(param)
    else:
        params[param] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def facet(
    queryset: QuerySet,
    *,
    field: str,
    param: str,
    title: str,
    query: QueryDict,
    labels: dict | None = None,
    limit: int = 12,
) -> Facet:
    """The `limit` most frequent values of `field` in `queryset`, one GROUP BY query."""
    rows = (
        queryset.order_by()
        .values_list(field)
        .annotate(n=Count("pk"))
        .exclude(**{f"{field}__isnull": True})
        .order_by("-n", field)[:limit]
    )
    current = query.get(param)
    values = []
    for value, count in rows:
        key = str(value)
        label = str((labels or {}).get(value, value))
        values.append(FacetValue(key, label, count, key == current, toggle_url(query, param, key)))
    return Facet(param, title, values)


@dataclass(frozen=True)
class FacetSpec:
    """A facet over a field with one value per row (unit, qualifier, level)."""

    field: str
    param: str
    title: str
    labels: dict | None = None
    # What the parameter says for a stored value, where they differ: grouping by
    # measure_id spares a join, and links still say ?measure=<slug>.
    params: dict | None = None


def grouped_facets(
    queryset: QuerySet, specs: list[FacetSpec], *, query: QueryDict, limit: int = 12
) -> tuple[list[Facet], int]:
    """Every facet in `specs` and the number of rows, from one GROUP BY over all their fields.

    Each row falls in exactly one group, so the groups' sizes add up to the row count
    and to each facet's value counts: one pass over the filtered rows instead of one
    per facet plus one for the paginator.
    """
    rows = queryset.order_by().values_list(*(spec.field for spec in specs)).annotate(n=Count("pk"))
    total, counters = 0, [Counter() for _ in specs]
    for *values, n in rows:
        total += n
        for counter, value in zip(counters, values, strict=True):
            if value is not None:
                counter[value] += n
    facets = []
    for spec, counter in zip(specs, counters, strict=True):
        current = query.get(spec.param)
        top = sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))[:limit]
        values = []
        for value, count in top:
            param = str((spec.params or {}).get(value, value))
            label = str((spec.labels or {}).get(value, value))
            url = toggle_url(query, spec.param, param)
            values.append(FacetValue(param, label, count, param == current, url))
        facets.append(Facet(spec.param, spec.title, values))
    return facets, total
