"""Search tokens of a catalogue row, recomputed when staff change its text or segmentation changes.

Ingest stores jieba tokens (ingest.segment.search_tokens) of the same text for each
kind of row; this is the one place that knows which text that is, so a corrected
title or label is found by search at once, and `manage.py reindex_search` can bring a
whole database up to the current segmentation.
"""

from __future__ import annotations

from collections.abc import Iterator

from ingest.segment import report_tokens, search_tokens, token_spans

from .models import Indicator, Initiative, Programme, Report


def searchable_text(obj: Report | Programme | Initiative | Indicator) -> str:
    """The text a row is found by: what ingest segments for that kind of row."""
    if isinstance(obj, Report | Programme):
        return f"{obj.title} {obj.summary}"
    if isinstance(obj, Initiative):
        return obj.text
    if isinstance(obj, Indicator):
        return f"{obj.label} {obj.quote}"
    raise TypeError(f"{type(obj).__name__} has no search tokens")


def refresh_search_tokens(obj: Report | Programme | Initiative | Indicator) -> bool:
    """Set `obj.search_tokens` from its current text (not saved); True when they changed."""
    if isinstance(obj, Report):  # its body too, cut as ingest cuts it
        tokens = report_tokens(obj.title, obj.summary, token_spans(obj.body))
    else:
        tokens = search_tokens(searchable_text(obj))
    changed = tokens != obj.search_tokens
    obj.search_tokens = tokens
    return changed


# What reindexing reads of each kind: its text, never the other heavy columns (a
# report's body comes from ReportText, joined; its raw text is never read).
_READ = {
    Report: ("title", "summary", "search_tokens", "content__body"),
    Programme: ("title", "summary", "search_tokens"),
    Initiative: ("text", "search_tokens"),
    Indicator: ("label", "quote", "search_tokens"),
}
SEARCH_MODELS = tuple(_READ)


def reindex(model: type, *, batch: int = 500) -> Iterator[tuple[int, int]]:
    """Recompute the search tokens of every `model` row in primary-key batches.

    Yields (rows read, rows changed) per batch; each batch is one UPDATE of the changed
    rows, so a large table is never held in memory or locked as a whole.
    """
    last = 0
    while True:
        read = model.objects.filter(pk__gt=last).order_by("pk")
        if model is Report:
            read = read.select_related("content")
        rows = list(read.only(*_READ[model])[:batch])
        if not rows:
            return
        changed = [row for row in rows if refresh_search_tokens(row)]
        model.objects.bulk_update(changed, ["search_tokens"])
        last = rows[-1].pk
        yield len(rows), len(changed)
