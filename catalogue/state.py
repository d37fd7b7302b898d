"""The catalogue version: one row bumped by every write to public data.

Caches of whole-catalogue figures (home counts) key on `version()`, a primary-key
read, instead of scanning the report table. Saves of reports and extracted rows
(ingest, admin edits and actions, history reverts) bump it inside the writer's
transaction, so the new version becomes visible exactly when the data does: a reader
never caches new figures under the old version or old figures under the new one. Bulk
writes that send no signal (ingest's inserts) call `bump()` themselves. A writer
saving many rows in one transaction (ingest's load) wraps it in `one_bump()`: the
version row is then locked only at the end, not from the first save to the commit,
so parallel loads do not wait for each other on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db.models import Count, F, Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from . import measure_summary
from .models import (
    Brand,
    CatalogueState,
    Indicator,
    Initiative,
    Measure,
    Programme,
    Region,
    Report,
    Theme,
)

STATE_ID = 1
_deferring = threading.local()  # .pending: None outside one_bump(), else "a save asked"
_reading = threading.local()  # .active in a GET/HEAD request, .version once it was read


def version() -> str:
    """The current catalogue version, as a cache-key fragment (one primary-key read, once
    per reading request: see `read_once_per_request`)."""
    memo = getattr(_reading, "version", None)
    if memo is not None:
        return memo
    current = _read_version()
    if getattr(_reading, "active", False):
        _reading.version = current
    return current


def read_once_per_request(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: a GET or HEAD request reads the version once, however many caches key
    on it. Such a request changes no data (the public site never does), so the version
    it read stays true until it ends; other methods read it each time."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        _reading.active, _reading.version = True, None
        try:
            return get_response(request)
        finally:
            _reading.active, _reading.version = False, None

    return middleware


def _read_version() -> str:
    row = CatalogueState.objects.filter(pk=STATE_ID).values_list("version", "changed_at").first()
    if row is None:  # a freshly emptied database, before its first write: fingerprint it
        seen = Report.objects.aggregate(n=Count("id"), last=Max("updated_at"))
        return f"none.{seen['n']}.{seen['last'].timestamp() if seen['last'] else 0}"
    return f"{row[0]}.{row[1].timestamp():.6f}"


def bump() -> None:
    """Move the catalogue to a new version now (creating the row if it is missing)."""
    updated = CatalogueState.objects.filter(pk=STATE_ID).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        CatalogueState.objects.get_or_create(pk=STATE_ID, defaults={"version": 1})


@contextmanager
def one_bump() -> Iterator[None]:
    """Saves inside bump once, when the block ends without an error (call it in the transaction)."""
    outer = getattr(_deferring, "pending", None)
    _deferring.pending = False
    try:
        yield
        asked = _deferring.pending
    finally:
        _deferring.pending = outer
    if asked and outer is None:
        bump()
    elif asked:
        _deferring.pending = True


def bump_on_save(**signal: object) -> None:
    """Signal receiver: a public row was saved or a report deleted, so move the version."""
    if getattr(_deferring, "pending", None) is not None:
        _deferring.pending = True
        return
    bump()


def connect() -> None:
    """Bump after saves of the public models (called from the app's ready())."""
    for model in (Report, Programme, Initiative, Indicator):
        post_save.connect(bump_on_save, sender=model, dispatch_uid=f"state-{model.__name__}")
    # Only reports: a receiver on the extracted models would stop their fast bulk deletes.
    post_delete.connect(bump_on_save, sender=Report, dispatch_uid="state-delete-report")
    # Names the pages show beside every row: a staff edit of one is a change of the pages.
    for model in (Region, Theme, Measure, Brand):
        name = model.__name__
        post_save.connect(bump_on_save, sender=model, dispatch_uid=f"state-{name}")
        post_delete.connect(bump_on_save, sender=model, dispatch_uid=f"state-delete-{name}")
    m2m_changed.connect(bump_on_save, sender=Initiative.themes.through, dispatch_uid="state-themes")
    # The same saves rewrite the measure summary of the regions they touch.
    measure_summary.connect()
