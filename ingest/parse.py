"""Compose the parsing steps: report bytes -> ParsedReport. Pure: no Django."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

import jieba

from ingest import divisions as division_table
from ingest import gazetteer, segment, snapshots, types
from ingest.budget import NO_BUDGET, Budget
from ingest.clean import clean, line_kinds
from ingest.divisions import load_divisions, load_townships
from ingest.initiatives import brands, initiative_kind
from ingest.measures import Measure, classify, default_measures, period, quote_before
from ingest.meta import derive_title, extract_meta
from ingest.quantities import extract_indicators
from ingest.read import read_text
from ingest.regions import Gazetteer, resolve_region
from ingest.structure import parse_structure
from ingest.themes import Theme, assign_themes, load_themes
from ingest.types import (
    Division,
    ParsedIndicator,
    ParsedInitiative,
    ParsedProgramme,
    ParsedReport,
    ReadError,
)

# Bump when extraction changes so operators know `ingest --force` would re-extract.
PARSER_VERSION = "2026.12.1"


@dataclass(frozen=True)
class Resources:
    """What parsing needs that is expensive to build: built once per process."""

    divisions: dict[str, Division]
    gazetteer: Gazetteer
    themes: tuple[Theme, ...]
    measures: tuple[Measure, ...]


@cache
def resources() -> Resources:
    """The division table, its gazetteer and the theme and measure taxonomies, loaded once."""
    divisions = load_divisions()
    return Resources(
        {d.code: d for d in divisions},
        _gazetteer(divisions),
        load_themes(),
        default_measures(),
    )


def _gazetteer(divisions: tuple[Division, ...]) -> Gazetteer:
    """The gazetteer of the committed tables, from a snapshot keyed by all it is built from.

    Building it reads jieba's whole dictionary and 38,000 townships (~0.4 s at every
    ingest's start); the snapshot loads in a twentieth of that. Its key covers the
    tables, jieba's version and the code that builds and holds it.
    """
    code = [Path(module.__file__).read_bytes() for module in (gazetteer, division_table, types)]
    tables = [division_table.DEFAULT_PATH.read_bytes(), division_table.TOWNSHIPS_PATH.read_bytes()]
    key = snapshots.digest(jieba.__version__, *code, *tables)
    return snapshots.snapshot(
        segment.cache_dir(),
        "gazetteer",
        key,
        lambda: Gazetteer(divisions, townships=load_townships()),
    )


def region_path(code: str | None, divisions: dict[str, Division]) -> list[str]:
    """Names from the province down to `code`."""
    names = []
    while code:
        division = divisions[code]
        names.append(division.name)
        code = division.parent
    return names[::-1]


def parse_report(
    data: bytes, *, max_bytes: int = 5 * 1024 * 1024, budget: Budget = NO_BUDGET
) -> ParsedReport:
    """Turn one report file's bytes into a ParsedReport; ReadError says why it cannot."""
    res = resources()
    deadline = budget.deadline()
    read = read_text(data, max_bytes=max_bytes)
    text = read.text
    kinds = line_kinds(text)  # clean and extract_meta read the same kinds
    body = clean(text, kinds).body
    if not body.strip():
        raise ReadError("no article text found on the page")
    meta = extract_meta(text, kinds)
    region = resolve_region(
        title=meta.title, sources=meta.sources, body=body, divisions=res.gazetteer
    )
    region_name = res.divisions[region.code].name if region.code else None
    title = meta.title or derive_title(body, region_name)
    budget.check_time(deadline, "places")
    structure = parse_structure(body)
    found = extract_indicators(body)
    budget.check_indicators(len(found))
    budget.check_time(deadline, "figures")
    spans = segment.token_spans(body)  # segment once; items take the tokens of their span
    budget.check_time(deadline, "word segmentation")
    programmes = tuple(_annotate(p, res.themes, spans) for p in structure.programmes)
    # An indicator's label is made of words of its quote, so the quote's tokens cover it.
    indicators = tuple(
        _measured(
            n,
            res.measures,
            meta.published,
            tokens=_capped(segment.tokens_between(spans, n.start, n.end)),
        )
        for n in found
    )
    flags = tuple(
        flag
        for flag, raised in (
            ("region_undecided", region.code is None),
            ("title_derived", meta.title is None),
            ("no_indicators", not indicators),
            ("no_programmes", not programmes),
            ("decoding_repaired", read.repaired),
        )
        if raised
    )
    return ParsedReport(
        text=text,
        body=body,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=title,
        title_derived=meta.title is None,
        published=meta.published,
        sources=meta.sources,
        url=meta.url,
        region=region,
        summary=structure.summary,
        programmes=programmes,
        indicators=indicators,
        flags=flags,
        tokens=_capped(segment.report_tokens(title, structure.summary, spans)),
    )


def _annotate(
    programme: ParsedProgramme, themes: tuple[Theme, ...], spans: segment.TokenSpans
) -> ParsedProgramme:
    """Add themes and search tokens to a programme and its initiatives."""
    initiatives = tuple(
        _kind_and_brands(
            i,
            themes=assign_themes(f"{programme.title} {i.text}", themes),
            tokens=_capped(segment.tokens_between(spans, i.start, i.end)),
        )
        for i in programme.initiatives
    )
    # The heading and the programme's own summary stand before its first initiative.
    end = initiatives[0].start if initiatives else programme.end
    tokens = _capped(segment.tokens_between(spans, programme.start, end))
    return replace(programme, initiatives=initiatives, tokens=tokens)


# One `replace` per item: each copies every field of a frozen dataclass.
def _kind_and_brands(
    initiative: ParsedInitiative, *, themes: tuple[str, ...], tokens: str
) -> ParsedInitiative:
    """Add themes, tokens, the brands an initiative uses and whether it is concrete or a slogan."""
    used = brands(initiative.text)
    kind = initiative_kind(initiative.text, used)
    return replace(initiative, themes=themes, tokens=tokens, brands=used, kind=kind)


def _measured(
    indicator: ParsedIndicator,
    measures: tuple[Measure, ...],
    published: date | None,
    *,
    tokens: str,
) -> ParsedIndicator:
    """Add tokens, what an indicator measures and the kind and year of its period."""
    before = quote_before(indicator.quote, indicator.figure)
    kind, year = period(indicator.period, before, published)
    measure = classify(
        indicator.label, indicator.unit, indicator.quote, indicator.figure, measures=measures
    )
    return replace(indicator, tokens=tokens, measure=measure, period_kind=kind, period_year=year)


# PostgreSQL refuses a tsvector over 1 MB, failing the whole file at save; an item's search
# tokens stop well before that (a real report's longest item has a few thousand).
SEARCH_TOKENS_MAX = 100_000


def _capped(tokens: str) -> str:
    """The search tokens, cut at a token boundary when there are too many to index."""
    if len(tokens) <= SEARCH_TOKENS_MAX:
        return tokens
    return tokens[:SEARCH_TOKENS_MAX].rsplit(" ", 1)[0]


def as_json(parsed: ParsedReport, *, file: str) -> dict:
    """The JSON Lines record of `ingest --dry-run --json` (see shared/tools/score_extraction.py)."""
    divisions = resources().divisions
    code = parsed.region.code
    return {
        "file": file,
        "region": {"code": code, "name": divisions[code].name, "path": region_path(code, divisions)}
        if code
        else None,
        "region_reason": parsed.region.reason,
        "title": parsed.title,
        "title_derived": parsed.title_derived,
        "published": parsed.published.isoformat() if parsed.published else None,
        "sources": list(parsed.sources),
        "url": parsed.url,
        "sha256": parsed.sha256,
        "flags": list(parsed.flags),
        "summary": parsed.summary,
        "programmes": [
            {
                "title": p.title,
                "start": p.start,
                "end": p.end,
                "initiatives": [
                    {
                        "title": i.title,
                        "text": i.text,
                        "themes": list(i.themes),
                        "kind": str(i.kind),
                        "brands": list(i.brands),
                        "start": i.start,
                        "end": i.end,
                    }
                    for i in p.initiatives
                ],
            }
            for p in parsed.programmes
        ],
        "indicators": [
            {
                "value": float(n.value) if n.value != n.value.to_integral_value() else int(n.value),
                "unit": n.unit,
                "qualifier": str(n.qualifier),
                "label": n.label,
                "figure": n.figure,
                "quote": n.quote,
                "measure": n.measure,
                "period": {"kind": str(n.period_kind), "year": n.period_year, "written": n.period},
                "start": n.start,
                "end": n.end,
            }
            for n in parsed.indicators
        ],
    }
