"""HEAD on the API, as on every public URL: answered as GET, the server drops the body."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def api_head_as_get(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """django-ninja routes GET only; Django's own views answer HEAD, so the API does too."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD" or not request.path.startswith("/api/"):
            return get_response(request)
        request.method = "GET"
        try:
            return get_response(request)
        finally:
            request.method = "HEAD"

    return middleware
