"""A parsed report as keyed rows: what the writer (load.py) inserts, updates or keeps.

Pure: every programme, initiative and indicator gets a natural key from its
normalised text (stable across runs, so a re-ingest finds the same rows), the fields
the machine owns, and its parents' keys.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from ingest.types import ParsedIndicator, ParsedInitiative, ParsedProgramme, ParsedReport

_PUNCT = re.compile(r"[\s\W_]+")


def natural_key(prefix: str, *parts: str, seen: Counter) -> str:
    """A stable key from normalised text; repeats get an occurrence suffix."""
    return _key(prefix, "|".join(_PUNCT.sub("", p) for p in parts), seen)


def _key(prefix: str, normalised: str, seen: Counter) -> str:
    """`natural_key` of parts already normalised and joined."""
    digest = hashlib.sha1(normalised.encode()).hexdigest()[:16]
    seen[digest] += 1
    return f"{prefix}:{digest}" if seen[digest] == 1 else f"{prefix}:{digest}:{seen[digest]}"


@dataclass
class KeyedRow:
    """One parsed row with its key, the fields the machine owns, and its parent keys."""

    key: str
    fields: dict
    programme_key: str | None = None
    initiative_key: str | None = None
    themes: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()


def keyed_rows(
    parsed: ParsedReport, measure_ids: dict[str, int]
) -> tuple[list[KeyedRow], list[KeyedRow], list[KeyedRow]]:
    """Flatten the parsed report into keyed programme, initiative and indicator rows."""
    seen: Counter = Counter()
    programmes, initiatives, spans = [], [], []
    for p_pos, programme in enumerate(parsed.programmes):
        title = _PUNCT.sub("", programme.title)  # once for the programme and its initiatives
        p_key = _key("p", title, seen)
        programmes.append(KeyedRow(p_key, _programme_fields(programme, p_pos)))
        for initiative in programme.initiatives:
            i_key = _key("i", f"{title}|{_PUNCT.sub('', initiative.text)}", seen)
            fields = _initiative_fields(initiative, len(initiatives))
            initiatives.append(
                KeyedRow(
                    i_key,
                    fields,
                    programme_key=p_key,
                    themes=initiative.themes,
                    brands=initiative.brands,
                )
            )
            spans.append((initiative.start, initiative.end, p_key, i_key))
    p_spans = [
        (p.start, p.end, row.key) for p, row in zip(parsed.programmes, programmes, strict=True)
    ]
    indicators = []
    for position, indicator in enumerate(parsed.indicators):
        key = natural_key("n", indicator.quote, indicator.figure, seen=seen)
        p_key = next((k for s, e, k in p_spans if s <= indicator.start < e), None)
        i_key = next((ik for s, e, _, ik in spans if s <= indicator.start < e), None)
        fields = _indicator_fields(indicator, position)
        fields["measure_id"] = measure_ids.get(indicator.measure)
        indicators.append(KeyedRow(key, fields, p_key, i_key))
    return programmes, initiatives, indicators


def _programme_fields(p: ParsedProgramme, position: int) -> dict:
    return {
        "title": p.title[:300],
        "summary": p.summary,
        "position": position,
        "start": p.start,
        "end": p.end,
        "search_tokens": p.tokens,
    }


def _initiative_fields(i: ParsedInitiative, position: int) -> dict:
    return {
        "title": i.title[:300],
        "text": i.text,
        "position": position,
        "start": i.start,
        "end": i.end,
        "search_tokens": i.tokens,
        "kind": str(i.kind),
    }


def _indicator_fields(n: ParsedIndicator, position: int) -> dict:
    return {
        "label": n.label[:120],
        "value": n.value,
        "unit": n.unit[:20],
        "qualifier": str(n.qualifier),
        "figure": n.figure[:60],
        "quote": n.quote,
        "period": n.period[:40],
        "period_kind": str(n.period_kind),
        "period_year": n.period_year,
        "position": position,
        "start": n.start,
        "end": n.end,
        "search_tokens": n.tokens,
    }
