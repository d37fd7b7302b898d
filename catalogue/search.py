"""Chinese full-text search over reports, programmes, initiatives and indicators.

Documents and queries are cut by the same jieba function (ingest.segment.search_tokens);
a query matches a row when every query token is in the row's stored
search_vector = to_tsvector('simple', search_tokens) (GIN-indexed), ranked by SearchRank.

Queries of one or two characters cannot be trusted to the segmenter (a single
character is rarely a token on its own), and pg_trgm is not available in the
embedded PostgreSQL, so they fall back to a substring match (icontains) over the
visible text, newest rows first, bounded by LIMIT so the scan stops early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ingest.segment import search_tokens

from . import selectors

SHORT_QUERY = 2  # characters; at or below this, substring matching
SNIPPET = 60  # characters of context either side of the first hit
# Ranking computes each candidate's vector; a common word can match most of a big table,
# so only the most recent CANDIDATES matches of each kind (found through the GIN index)
# are ranked.
CANDIDATES = 300


def query_tokens(q: str) -> list[str]:
    """The distinct jieba tokens of a query, in order."""
    return list(dict.fromkeys(search_tokens(q).split()))


def is_short(q: str) -> bool:
    """Whether a query is short enough for substring matching instead of tokens."""
    return len(q.strip()) <= SHORT_QUERY


def tsquery(tokens: list[str]) -> SearchQuery:
    """The AND of the tokens as a 'simple' tsquery (each token a plain query, so no syntax leaks)."""
    query = SearchQuery(tokens[0], config="simple", search_type="plain")
    for token in tokens[1:]:
        query &= SearchQuery(token, config="simple", search_type="plain")
    return query


def text_filter(queryset: QuerySet, q: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows of `queryset` matching `q`: tokens through the search vector, short queries by substring."""
    q = q.strip()
    if not q:
        return queryset
    tokens = query_tokens(q)
    if is_short(q) or not tokens:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": q})
        return queryset.filter(match)
    return queryset.filter(search_vector=tsquery(tokens))


def ranked(queryset: QuerySet, q: str, fields: tuple[str, ...], *, limit: int) -> list:
    """At most `limit` rows matching `q`, best first (newest first for substring matches)."""
    q = q.strip()
    tokens = query_tokens(q)
    if is_short(q) or not tokens:
        return list(text_filter(queryset, q, fields).order_by("-pk")[:limit])
    query = tsquery(tokens)
    candidates = queryset.filter(search_vector=query).order_by("-pk").values("pk")[:CANDIDATES]
    return list(
        queryset.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-pk")[:limit]
    )


def highlight(text: str, q: str, *, width: int = SNIPPET) -> SafeString:
    """An escaped snippet of `text` around the first hit, every hit of the query or its tokens in <mark>."""
    terms = {q.strip().lower()} if is_short(q) else {q.strip().lower(), *query_tokens(q)}
    terms = sorted((t for t in terms if t), key=len, reverse=True)
    if not terms or not text:
        return escape(text[: 2 * width])
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - width) if first else 0
    end = min(len(text), (first.end() if first else 0) + width)
    window = text[start:end]
    parts, last = [], 0
    for match in pattern.finditer(window):
        parts.append(escape(window[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(window[last:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)


@dataclass
class Hit:
    """One search result: what it is, where it links, and a highlighted snippet."""

    kind: str
    obj: object
    title: SafeString
    snippet: SafeString


@dataclass
class Results:
    """Search results by kind; `short` says the substring fallback was used."""

    q: str
    short: bool
    reports: list[Hit]
    programmes: list[Hit]
    initiatives: list[Hit]
    indicators: list[Hit]

    @property
    def sections(self) -> list[tuple[str, str, list[Hit]]]:
        """(kind, heading, hits) in display order."""
        return [
            ("report", _("报告"), self.reports),
            ("programme", _("工作项目"), self.programmes),
            ("initiative", _("举措"), self.initiatives),
            ("indicator", _("指标"), self.indicators),
        ]

    @property
    def total(self) -> int:
        """How many hits are shown across all kinds."""
        return sum(map(len, (self.reports, self.programmes, self.initiatives, self.indicators)))


def search(q: str, *, limit: int = 20) -> Results:
    """Reports, programmes, initiatives and indicators matching `q`, each kind ranked."""
    reports = ranked(
        selectors.report_public()
        .select_related("region__parent__parent")
        .defer("text", "search_tokens", "search_vector"),
        q,
        ("title", "body"),
        limit=limit,
    )
    programmes = ranked(selectors.programme_list(), q, ("title", "summary"), limit=limit)
    initiatives = ranked(selectors.initiative_list(), q, ("title", "text"), limit=limit)
    indicators = ranked(selectors.indicator_list(), q, ("label", "quote"), limit=limit)
    return Results(
        q=q,
        short=is_short(q),
        reports=[
            Hit("report", r, highlight(r.title, q, width=200), highlight(r.body, q))
            for r in reports
        ],
        programmes=[
            Hit("programme", p, highlight(p.title, q, width=200), highlight(p.summary, q))
            for p in programmes
        ],
        initiatives=[
            Hit("initiative", i, highlight(i.title, q, width=200), highlight(i.text, q))
            for i in initiatives
        ],
        indicators=[
            Hit("indicator", i, highlight(i.label, q, width=200), highlight(i.quote, q))
            for i in indicators
        ],
    )
