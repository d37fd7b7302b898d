"""Rendered row pages kept under the catalogue version.

A report's page (its programmes, initiatives and figures, and its marked-up text) and an
initiative's page change only when the catalogue does, and rendering them costs more
than their queries. So the part of such a page below the site header is rendered once
per catalogue version and language and kept in the `pages` cache, which every worker
shares: a store of its own, so that a crawler walking every report does not push the
home and facet figures out of the default cache. Every write to public data moves the
version (catalogue.state), so a page is never served from before a change, and a row
that is not public is never rendered, so never cached.

List and search pages are kept whole the same way (`whole_page`): the response to one
address (path and query string, which carries the language prefix) under one version.
They hold nothing of the reader: no cookie, no form token, no name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from .addresses import full_path
from .selectors import HOME_CACHE_SECONDS, catalogue_version

CACHE = "pages"


def _key(*parts: object) -> str:
    """A cache key for `parts` under this language and the catalogue's version."""
    return ":".join(map(str, (*parts, get_language(), catalogue_version())))


def page_key(kind: str, pk: int) -> str:
    """Where the rendered parts of one row page are kept: under the version and language."""
    return _key("page", kind, pk)


def rendered(kind: str, pk: int, build: Callable[[], dict]) -> dict:
    """The parts of row page `kind` `pk` for this version and language; `build` makes them
    when they are not kept yet (and raises Http404 for a row the public site does not show)."""
    cache = caches[CACHE]
    key = page_key(kind, pk)
    parts = cache.get(key)
    if parts is None:
        parts = build()
        cache.set(key, parts, HOME_CACHE_SECONDS)
    return parts


def whole_page(request: HttpRequest, respond: Callable[[], HttpResponse]) -> HttpResponse:
    """The response to this address under this version: `respond()`'s, kept when it is a
    complete 200 page (errors, redirects, streamed exports and pages marked `incomplete`,
    such as a list whose facet ran out of time, are never kept)."""
    cache = caches[CACHE]
    address = hashlib.sha256(full_path(request).encode()).hexdigest()
    key = _key("whole", address)
    kept = cache.get(key)
    if kept is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = respond()
    complete = not response.streaming and not getattr(response, "incomplete", False)
    if response.status_code == 200 and complete:
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        cache.set(key, (response.content, response["Content-Type"]), HOME_CACHE_SECONDS)
    return response
