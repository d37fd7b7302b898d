"""A small curated taxonomy of initiative themes and keyword matching against it, no Django.

The rule, kept simple enough to explain on a page: keywords are found left to
right, the longest keyword first, without overlaps. Each distinct keyword of a
theme scores 1 point, a strong (very specific) keyword 2; a theme is assigned at
2 points, so two ordinary keywords or one strong one. Themes come out by score,
then in taxonomy order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest import trie

THEMES_JSON = Path(__file__).resolve().parent.parent / "fixtures" / "themes.json"
THRESHOLD = 2
_WEAK, _STRONG = 1, 2


@dataclass(frozen=True)
class Theme:
    """A theme: slug, Chinese and English names, its keywords and which of them decide alone."""

    slug: str
    name: str
    name_en: str
    keywords: tuple[str, ...]
    strong: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    # keyword -> ((theme index, points), …); a keyword may serve several themes.
    scores: dict[str, tuple[tuple[int, int], ...]]


def load_themes(path: Path | None = None) -> tuple[Theme, ...]:
    """Themes from a JSON list (default fixtures/themes.json), validated."""
    rows = json.loads((path or THEMES_JSON).read_text(encoding="utf-8"))
    themes = tuple(
        Theme(
            slug=row["slug"],
            name=row["name"],
            name_en=row["name_en"],
            keywords=tuple(row["keywords"]),
            strong=frozenset(row.get("strong", ())),
        )
        for row in rows
    )
    _validate(themes)
    return themes


def assign_themes(text: str, themes: Iterable[Theme]) -> tuple[str, ...]:
    """Slugs of the themes whose keywords in `text` reach the threshold, best first."""
    themes = tuple(themes)
    points = _points(text, themes)
    ranked = sorted(
        (index for index, score in points.items() if score >= THRESHOLD),
        key=lambda index: (-points[index], index),
    )
    return tuple(themes[index].slug for index in ranked)


def theme_hits(text: str, themes: Iterable[Theme]) -> dict[str, tuple[str, ...]]:
    """For each theme with any hit, the distinct keywords found in `text`, in text order."""
    themes = tuple(themes)
    matcher = _matcher(themes)
    hits: dict[str, dict[str, None]] = {}
    for keyword in matcher.pattern.findall(text):
        for index, _ in matcher.scores[keyword]:
            hits.setdefault(themes[index].slug, {})[keyword] = None
    return {slug: tuple(found) for slug, found in hits.items()}


def _points(text: str, themes: tuple[Theme, ...]) -> dict[int, int]:
    matcher = _matcher(themes)
    points: dict[int, int] = {}
    for keyword in set(matcher.pattern.findall(text)):
        for index, score in matcher.scores[keyword]:
            points[index] = points.get(index, 0) + score
    return points


# The taxonomy last matched against, with its matcher: a report asks once per initiative
# with the same tuple, and hashing its themes for the cache below cost a tenth of a match.
_last: tuple[tuple[Theme, ...], _Matcher] | None = None


def _matcher(themes: tuple[Theme, ...]) -> _Matcher:
    global _last
    last = _last
    if last is not None and last[0] is themes:
        return last[1]
    matcher = _build_matcher(themes)
    _last = (themes, matcher)
    return matcher


@lru_cache(maxsize=8)
def _build_matcher(themes: tuple[Theme, ...]) -> _Matcher:
    scores: dict[str, list[tuple[int, int]]] = {}
    for index, theme in enumerate(themes):
        for keyword in theme.keywords:
            points = _STRONG if keyword in theme.strong else _WEAK
            scores.setdefault(keyword, []).append((index, points))
    # Longest first, so 红石榴驿站 is one hit rather than 驿站 plus leftovers; as a prefix
    # tree, so each position tries one branch rather than every keyword.
    pattern = re.compile(trie.pattern(scores))
    return _Matcher(pattern, {keyword: tuple(found) for keyword, found in scores.items()})


def _validate(themes: tuple[Theme, ...]) -> None:
    slugs = [theme.slug for theme in themes]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"duplicate theme slugs in {slugs}")
    for theme in themes:
        if not theme.keywords:
            raise ValueError(f"theme {theme.slug!r} has no keywords")
        if len(set(theme.keywords)) != len(theme.keywords):
            raise ValueError(f"theme {theme.slug!r} repeats a keyword")
        short = [keyword for keyword in theme.keywords if len(keyword) < 2]
        if short:
            raise ValueError(f"theme {theme.slug!r} has one-character keywords {short}")
        unknown = theme.strong - set(theme.keywords)
        if unknown:
            raise ValueError(f"theme {theme.slug!r}: strong {sorted(unknown)} not in keywords")
