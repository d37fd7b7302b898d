"""Search tokens of a catalogue row, recomputed when staff change its text.

Ingest stores jieba tokens (ingest.segment.search_tokens) of the same text for each
kind of row; this is the one place that knows which text that is, so a corrected
title or label is found by search at once.
"""

from __future__ import annotations

from ingest.segment import search_tokens

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
    tokens = search_tokens(searchable_text(obj))
    changed = tokens != obj.search_tokens
    obj.search_tokens = tokens
    return changed
