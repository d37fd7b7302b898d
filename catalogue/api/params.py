"""Query parameters of the API lists: the pages' FilterSets, described for OpenAPI, and a
page-number pagination whose count stops where the pages' count stops.

The FilterSets in catalogue/filters.py do the filtering and the validation; this module
only lists their parameters in the schema, so the API and the pages cannot drift apart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_filters as df
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase
from pydantic import create_model

from ..facets import FACET_BOUND, newest_count
from ..windows import walked

COUNT_CAP = 10_000  # the whole list, as the list pages (views.CappedPaginator)
# A filtered list counts at most this many (each counted row is a row read), as the pages.
FILTERED_COUNT_CAP = FACET_BOUND
# Parameters that do not filter: a list with no other is the whole list.
UNFILTERING = {"page", "page_size", "o"}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# English descriptions of the filters the FilterSets share; others fall back to their label.
DESCRIPTIONS = {
    "region": "Six-digit division code: rows of that region and every region below it.",
    "province": "Six-digit code of a province: rows of that province and below.",
    "level": "Administrative level of the row's region: province, prefecture or county.",
    "year_min": "First year of publication (inclusive).",
    "year_max": "Last year of publication (inclusive).",
    "q": "Text: every jieba token must match; one or two characters match as a substring.",
    "theme": "Theme slug (see the themes on /initiatives/).",
    "unit": "Unit, exactly as extracted, e.g. 场次.",
    "qualifier": "exact, more_than, at_least, approx or less_than.",
    "value_min": "Smallest value (inclusive), in the indicator's unit.",
    "value_max": "Largest value (inclusive), in the indicator's unit.",
    "measure": "Measure slug (see /api/v1/measures/).",
    "period_kind": "point, year, half_year, per_year or unstated.",
}


class InvalidFilters(Exception):
    """The FilterSet rejected the query; carries its errors by parameter."""

    def __init__(self, errors: dict[str, list[dict[str, str]]]):
        super().__init__("invalid filters")
        self.errors = errors


def _description(name: str, declared: df.Filter) -> str:
    text = DESCRIPTIONS.get(name, str(declared.label or name))
    if isinstance(declared, df.OrderingFilter):
        keys = list(declared.param_map)
        text = "Sort: " + ", ".join(f"{key} / -{key}" for key in keys) + "."
    return text


def query_schema(filterset_class: type[df.FilterSet]) -> type[Schema]:
    """An OpenAPI description of a FilterSet's parameters (all optional strings)."""
    fields: dict[str, Any] = {
        name: (str | None, Field(None, description=_description(name, declared)))
        for name, declared in filterset_class.base_filters.items()
    }
    return create_model(f"{filterset_class.__name__}Query", __base__=Schema, **fields)


def filtered(request: HttpRequest, filterset_class: type[df.FilterSet], queryset: QuerySet):
    """`queryset` filtered by the request's parameters through the pages' FilterSet."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors.get_json_data())
    return filterset.qs


class CappedPagination(PaginationBase):
    """Page-number pagination whose count stops at COUNT_CAP rows for the whole list and at
    FILTERED_COUNT_CAP for a filtered one, as on the list pages, so a list of 500,000 rows
    costs a bounded count. Pages go on to COUNT_CAP rows either way: a page asks for one
    row more than it shows to know whether there is a next one."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows a page.")

    class Output(Schema):
        count: int = Field(
            description=f"Matching rows, counted up to {COUNT_CAP} for the whole list and up "
            f"to {FILTERED_COUNT_CAP} when filtered."
        )
        capped: bool = Field(description="More rows match than were counted.")
        page: int
        next: str | None = Field(description="Link to the next page, or null.")
        previous: str | None = Field(description="Link to the previous page, or null.")
        items: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        """One page of `queryset` with a capped count and links to its neighbours."""
        size, page = pagination.page_size, pagination.page
        filters = {name: value for name, value in request.GET.items() if name not in UNFILTERING}
        cap = FILTERED_COUNT_CAP if any(filters.values()) else COUNT_CAP
        counted = newest_count(queryset, cap, text=bool(filters.get("q")))
        offset = (page - 1) * size
        items = []
        if offset < COUNT_CAP:
            items = _read(queryset[offset : offset + size + 1], dense=counted.dense)
        more = len(items) > size and offset + size < COUNT_CAP
        return {
            "count": min(counted.total, cap),
            "capped": counted.total > cap,
            "page": page,
            "next": _page_link(request, page + 1) if more else None,
            "previous": _page_link(request, page - 1) if page > 1 else None,
            "items": items[:size],
        }


def _read(rows: QuerySet, *, dense: bool) -> list:
    """A page's rows; a text matching densely (more than the bound among the newest ids)
    is read walking the list's order, as the list pages read it: its index would collect
    and sort every match, and the planner, guessing two words' matches independent,
    cannot tell."""
    if not dense:
        return list(rows)
    with walked():
        return list(rows)


def _page_link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(
        f"{request.path}?{urlencode(list(query.lists()), doseq=True)}"
    )
