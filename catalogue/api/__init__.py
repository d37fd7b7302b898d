"""The versioned read-only JSON API, /api/v1/, with its OpenAPI schema and interactive docs.

django-ninja builds the OpenAPI 3 schema from the endpoints' type hints and serves
Swagger UI at /api/v1/docs; filtering and validation stay with the pages' FilterSets.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI

from .params import InvalidFilters
from .routes import router

api = NinjaAPI(
    title="民族团结进步创建目录 API",
    version="1",
    description=(
        "Read-only, public rows only (as on the pages): regions, reports, programmes, "
        "initiatives, indicators, measures and search. Lists take the same filters as the "
        "list pages and are paginated by page and page_size; counts stop at 10,000."
    ),
    urls_namespace="api-v1",
)
api.add_router("", router)


@api.exception_handler(InvalidFilters)
def invalid_filters(request: HttpRequest, exc: InvalidFilters):
    """A 400 that names each parameter the FilterSet rejected and why."""
    return api.create_response(
        request, {"detail": "invalid filters", "errors": exc.errors}, status=400
    )
