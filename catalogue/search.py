"""Chinese full-text search over reports, programmes, initiatives and indicators.

Documents and queries are cut by the same jieba tokenizer (ingest.segment). Each run of
letters and digits in a query must be found in a row's stored
search_vector = to_tsvector('simple', search_tokens) (GIN-indexed): as one token when
jieba keeps it whole (红石榴), else as itself or as all its words (示范市: the token 示范市
that a document's 民族团结进步示范市 yields, or 示范 and 市), and then, since words
found apart prove nothing, also as a substring of the row's text. A run inside another
run is dropped (红石榴 驿站 asks for 红石榴 and 驿站, not also 石榴).

The search page and the filtered lists share `text_filter`, so their counts agree.
Extracted rows are filtered by their `public` flag, whose partial GIN indexes hold only
public rows, so no report is looked up to test `hidden`. Candidates for ranking and
counts are found newest-first in widening windows of ids (catalogue.windows), so a
common word costs the rows of a window, not every match; counts stop at COUNT_BOUND and
are then shown as "COUNT_BOUND+". A report's text and body live in
ReportText: search filters on the body but reads only a window of it around the hit.

Queries of one or two characters cannot be trusted to the segmenter (a single
character is rarely a token on its own), and pg_trgm is not available in the
embedded PostgreSQL, so they fall back to a substring match (icontains) over the
visible text, newest rows first, bounded by LIMIT so the scan stops early.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Greatest, Lower, StrIndex, Substr
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from ingest.segment import query_runs

from . import selectors, windows
from .facets import bounded_count
from .models import ReportText

SHORT_QUERY = 2  # characters; at or below this, substring matching
SNIPPET = 60  # characters of context either side of the first hit
# Ranking computes each candidate's vector; a common word can match most of a big table,
# so only the most recent CANDIDATES matches of each kind (found through the GIN index)
# are ranked.
CANDIDATES = 300
# Totals on the search page are counted up to this many rows, then shown as "COUNT_BOUND+".
COUNT_BOUND = 1000

# The text each kind of row is matched against (what its search tokens are made of).
REPORT_FIELDS = ("title", "summary", "content__body")
PROGRAMME_FIELDS = ("title", "summary")
INITIATIVE_FIELDS = ("title", "text")
INDICATOR_FIELDS = ("label", "quote")


def query_terms(q: str) -> list[str]:
    """The runs of a query that a row must contain, in order (红石榴 驿站 -> 红石榴, 驿站)."""
    return [run for run, _ in query_runs(q)]


def is_short(q: str) -> bool:
    """Whether a query is short enough for substring matching instead of tokens."""
    return len(q.strip()) <= SHORT_QUERY


def _plain(token: str) -> SearchQuery:
    return SearchQuery(token, config="simple", search_type="plain")


def tsquery(runs: tuple[tuple[str, tuple[str, ...]], ...]) -> SearchQuery:
    """The AND over runs of: the run as a token, or (when jieba cut it) the AND of its words."""
    query = None
    for run, words in runs:
        term = _plain(run)
        if len(words) > 1:
            apart = _plain(words[0])
            for word in words[1:]:
                apart &= _plain(word)
            term |= apart
        query = term if query is None else query & term
    return query


def _substring(q: str, fields: tuple[str, ...]) -> Q:
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": q})
    return match


def text_filter(queryset: QuerySet, q: str, fields: tuple[str, ...]) -> QuerySet:
    """Rows of `queryset` matching `q`: tokens through the search vector, short queries by substring."""
    q = q.strip()
    if not q:
        return queryset
    runs = query_runs(q)
    if is_short(q) or not runs:
        return queryset.filter(_substring(q, fields))
    matched = queryset.filter(search_vector=tsquery(runs))
    for run, words in runs:
        if len(words) > 1:  # its words may lie apart: check the run itself
            matched = matched.filter(_substring(run, fields))
    return matched


def ranked(
    queryset: QuerySet,
    q: str,
    fields: tuple[str, ...],
    *,
    limit: int,
    span: tuple[int, int] | None = None,
) -> list:
    """At most `limit` rows matching `q`, best first (newest first for substring matches);
    `span` is the table's newest and oldest id when the caller knows them."""
    q = q.strip()
    runs = query_runs(q)
    matched = text_filter(queryset, q, fields)
    if is_short(q) or not runs:
        return list(matched.order_by("-pk")[:limit])
    candidates = windows.newest(matched, want=CANDIDATES, span=span)
    if not candidates:
        return []
    return list(
        queryset.filter(pk__in=candidates)
        .annotate(rank=SearchRank(F("search_vector"), tsquery(runs)))
        .order_by("-rank", "-pk")[:limit]
    )


def body_windows(report_ids: list[int], q: str) -> dict[int, str]:
    """Report id -> the stretch of its body around the first hit of `q` (never the whole body).

    The stretch reaches 2 * SNIPPET characters either side, so `highlight` can cut its
    snippet from it as from the whole body.
    """
    terms = query_terms(q) if not is_short(q) else []
    term = max(terms, key=len) if terms else q.strip()
    reach = 2 * SNIPPET
    at = StrIndex(Lower("body"), Value(term.lower()))
    rows = (
        ReportText.objects.filter(report_id__in=report_ids)
        .annotate(stretch=Substr("body", Greatest(at - reach, 1), 2 * reach + len(term)))
        .values_list("report_id", "stretch")
    )
    return dict(rows)


def highlight(text: str, q: str, *, width: int = SNIPPET) -> SafeString:
    """An escaped snippet of `text` around the first hit, every hit of the query or its tokens in <mark>."""
    terms = {q.strip().lower()} if is_short(q) else {q.strip().lower(), *query_terms(q)}
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
class Section:
    """The hits of one kind, how many rows of that kind match, and the list showing them all."""

    kind: str
    heading: str
    hits: list[Hit]
    count: int
    list_url: str
    bound: int

    @property
    def capped(self) -> bool:
        """Whether more rows match than were counted (the page says "bound+")."""
        return self.count > self.bound

    @property
    def shown_count(self) -> str:
        """The count as the page states it: exact, or "bound+" past the bound."""
        return f"{self.bound}+" if self.capped else str(self.count)


@dataclass
class Results:
    """Search results by kind; `short` says the substring fallback was used."""

    q: str
    short: bool
    sections: list[Section]

    @property
    def total(self) -> int:
        """How many rows match across all kinds (each kind counted up to its bound)."""
        return sum(min(s.count, s.bound) for s in self.sections)

    @property
    def capped(self) -> bool:
        """Whether any kind has more matches than were counted."""
        return any(s.capped for s in self.sections)


# kind, heading, list URL name, matched fields, title and snippet attributes
_KINDS = (
    ("report", gettext_lazy("报告"), "catalogue:report_list", REPORT_FIELDS, "title", "body"),
    (
        "programme",
        gettext_lazy("工作项目"),
        "catalogue:programme_list",
        PROGRAMME_FIELDS,
        "title",
        "summary",
    ),
    (
        "initiative",
        gettext_lazy("举措"),
        "catalogue:initiative_list",
        INITIATIVE_FIELDS,
        "title",
        "text",
    ),
    (
        "indicator",
        gettext_lazy("指标"),
        "catalogue:indicator_list",
        INDICATOR_FIELDS,
        "label",
        "quote",
    ),
)


def _querysets() -> dict[str, QuerySet]:
    return {
        # A report's body is read for its hits only (body_windows), never for candidates.
        "report": selectors.report_public()
        .select_related("region__parent__parent")
        .defer("search_tokens", "search_vector"),
        "programme": selectors.programme_list(),
        "initiative": selectors.initiative_list(),
        "indicator": selectors.indicator_list(),
    }


def search(q: str, *, limit: int = 20) -> Results:
    """Reports, programmes, initiatives and indicators matching `q`: each kind ranked and counted."""
    querysets = _querysets()
    spans = windows.spans([qs.model for qs in querysets.values()])
    sections = []
    for kind, heading, url_name, fields, title, snippet in _KINDS:
        queryset = querysets[kind]
        rows = ranked(queryset, q, fields, limit=limit, span=spans.get(queryset.model))
        if kind == "report" and rows:
            stretches = body_windows([row.pk for row in rows], q)
            snippets = [stretches.get(row.pk, "") for row in rows]
        else:
            snippets = [getattr(row, snippet) for row in rows]
        hits = [
            Hit(kind, row, highlight(getattr(row, title), q, width=200), highlight(text, q))
            for row, text in zip(rows, snippets, strict=True)
        ]
        # Fewer hits than the limit are all there is: no count query needed.
        count = len(rows)
        if count >= limit:
            matched = text_filter(queryset, q, fields)
            # No transaction of its own (walked windows are serial already): fewer round trips.
            span = spans.get(queryset.model)
            count = bounded_count(matched, COUNT_BOUND, text=True, span=span, serial=False)
        list_url = f"{reverse(url_name)}?{urlencode({'q': q.strip()})}"
        sections.append(Section(kind, str(heading), hits, count, list_url, COUNT_BOUND))
    return Results(q=q, short=is_short(q), sections=sections)
