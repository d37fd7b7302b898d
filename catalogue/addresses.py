"""The address a request was sent to, read from the bytes the client sent."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest
from django.utils.encoding import escape_uri_path

# The characters iri_to_uri leaves alone: a query already percent-encoded stays as it is.
_SAFE = "/#%[]=:;$&()+,!?*@'~"


def full_path(request: HttpRequest) -> str:
    """The request's path and query string, the query percent-encoded from the bytes sent.

    A WSGI server hands the query string over as its bytes read as Latin-1, and
    `get_full_path()` percent-encodes those characters, so a query sent as raw UTF-8
    (`?q=红石榴` unencoded, as some clients send it; browsers encode) comes back as
    another query: links built from it lose the reader's words, and it is a different
    address from the same query percent-encoded.
    """
    query = request.META.get("QUERY_STRING", "")
    environ = getattr(request, "environ", None)  # WSGI; ASGI hands over decoded text
    raw = query.encode("latin-1") if environ is not None else query.encode()
    path = escape_uri_path(request.path)
    return f"{path}?{quote(raw, safe=_SAFE)}" if raw else path
