"""What an indicator measures (a slug of fixtures/measures.json) and over which period. No Django.

Measure, the rule (null rather than a guess):

1. Only measures that accept the indicator's unit are candidates (44.3% is never a
   population); a measure whose `exclude` words appear in the label drops out
   (人均 rules out GDP, 少数民族 rules out total population).
2. The label decides first: every `keywords` entry it contains and every `patterns`
   regex it matches is a hit. A hit lying inside a longer hit of another measure does
   not count (人口 inside 少数民族人口). One measure left: that one; two or more: None.
3. Only when the label names no measure, the words just before the figure decide the
   same way through each measure's `context` words (培训 in "培训干部300人": people
   trained; the label is "干部" because the verb is cut from labels); `exclude` words
   there rule a measure out too (参加培训: people trained, not participants).
4. Last, a measure marked `unit_decides` takes a figure whose unit only it accepts and
   that nothing else named (户 counts households).

Period, from the period as written (ParsedIndicator.period) and the words before the
figure; the written text is kept as it is, the kind only groups figures that compare:

- point: 截至/目前/至今/现有/累计/历年, a year's end or start (2023年底 -> point, 2023),
  and running totals over several years: 2020年以来 and 近年来/近三年来 (no single year).
- year: 2023年, 2023年度, 今年/全年/年内 (year of publication), 去年 (the year before).
  Parts of a year other than halves (前三季度, 第一季度, 1-9月, 今年以来) count as that year:
  they are totals within one calendar year, and the written period says which part.
- half-year: 上半年/下半年 (with the year written, else the year of publication), and
  1-6月 / 7-12月.
- per-year: 每年, 年均, 每年度, 平均每年.
- unstated: nothing of the above near the figure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ingest.figures import parse_figure
from ingest.types import PeriodKind

MEASURES_JSON = Path(__file__).resolve().parent.parent / "fixtures" / "measures.json"
KINDS = frozenset(("activity", "reach", "resource", "recognition", "outcome", "context"))
REQUIRED_SLUGS = frozenset(
    {
        "population",
        "minority-population",
        "ethnic-groups",
        "area",
        "gdp",
        "gdp-growth",
        "fixed-asset-investment",
        "retail-sales",
        "forest-coverage",
        "events",
        "participants",
        "publicity-items",
        "artworks",
        "funding",
        "model-units",
        "demonstration-sites",
        "households",
    }
)
_SLUG = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class Measure:
    """A measure of the taxonomy and what recognises it in an indicator."""

    slug: str
    name: str
    name_en: str
    kind: str
    units: frozenset[str]
    keywords: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = ()
    context: tuple[str, ...] = ()  # words before the figure that name it when the label does not
    exclude: tuple[str, ...] = ()  # words in the label that rule it out
    unit_decides: bool = False  # the unit alone names it when nothing else does


def load_measures(path: Path | None = None) -> tuple[Measure, ...]:
    """Measures from a JSON list (default fixtures/measures.json), validated."""
    rows = json.loads((path or MEASURES_JSON).read_text(encoding="utf-8"))
    measures = tuple(_measure(row) for row in rows)
    _validate(measures, required=REQUIRED_SLUGS if path is None else frozenset())
    return measures


@cache
def default_measures() -> tuple[Measure, ...]:
    """The fixture's measures, loaded once per process."""
    return load_measures()


def _measure(row: dict) -> Measure:
    return Measure(
        slug=row["slug"],
        name=row["name"],
        name_en=row["name_en"],
        kind=row["kind"],
        units=frozenset(row["units"]),
        keywords=tuple(row["keywords"]),
        patterns=tuple(re.compile(p) for p in row.get("patterns", ())),
        context=tuple(row.get("context", ())),
        exclude=tuple(row.get("exclude", ())),
        unit_decides=bool(row.get("unit_decides", False)),
    )


def _validate(measures: Sequence[Measure], *, required: frozenset[str]) -> None:
    """Raise ValueError on a row the classifier could not use as intended."""
    slugs = [m.slug for m in measures]
    problems = [f"duplicate slug {s}" for s in sorted({s for s in slugs if slugs.count(s) > 1})]
    problems += [f"missing required measure {s}" for s in sorted(required - set(slugs))]
    for m in measures:
        if not _SLUG.fullmatch(m.slug):
            problems.append(f"{m.slug}: slug is not lower-case words joined by '-'")
        if m.kind not in KINDS:
            problems.append(f"{m.slug}: unknown kind {m.kind!r}")
        if not (m.name and m.name_en):
            problems.append(f"{m.slug}: needs a Chinese and an English name")
        if not m.units:
            problems.append(f"{m.slug}: accepts no unit")
        # a unit the extractor never produces would make the measure unreachable
        problems += [
            f"{m.slug}: unit {u!r} is not one ingest reads" for u in m.units if not _unit(u)
        ]
        if not (m.keywords or m.patterns or m.context):
            problems.append(f"{m.slug}: nothing recognises it")
    if problems:
        raise ValueError("; ".join(problems))


def _unit(unit: str) -> bool:
    figure = parse_figure(f"1{unit}")
    return figure is not None and figure.unit == unit


def classify(
    label: str,
    unit: str,
    quote: str = "",
    figure: str = "",
    measures: Sequence[Measure] | None = None,
) -> str | None:
    """The slug of the one measure the indicator counts, or None when none or several fit."""
    candidates = [
        m
        for m in _accepting(default_measures() if measures is None else measures, unit)
        if not any(word in label for word in m.exclude)
    ]
    named = _named(label, candidates)
    if named is not None:
        return named or None
    before = quote_before(quote, figure)
    candidates = [m for m in candidates if not any(word in before for word in m.exclude)]
    named = _named(before, candidates, context=True)
    if named is not None:
        return named or None
    if len(candidates) == 1 and candidates[0].unit_decides:
        return candidates[0].slug
    return None


# The taxonomy last classified against, indexed by unit: a report classifies each of its
# indicators with the same tuple, and most units are accepted by a few of its measures.
_by_unit: tuple[tuple[Measure, ...], dict[str, tuple[Measure, ...]]] | None = None


def _accepting(measures: Sequence[Measure], unit: str) -> Sequence[Measure]:
    """Those of `measures` that accept `unit`, in taxonomy order."""
    global _by_unit
    if not isinstance(measures, tuple):  # a list may change: no index
        return [m for m in measures if unit in m.units]
    index = _by_unit
    if index is None or index[0] is not measures:
        units = {u for m in measures for u in m.units}
        index = _by_unit = (
            measures,
            {u: tuple(m for m in measures if u in m.units) for u in units},
        )
    return index[1].get(unit, ())


def quote_before(quote: str, figure: str) -> str:
    """The words of `quote` just before `figure`, after any earlier figure in it."""
    at = quote.find(figure) if figure else -1
    before = quote[:at] if at >= 0 else ""
    digits = [i for i, char in enumerate(before) if char.isdigit()]
    return before[digits[-1] + 1 :] if digits else before


def _named(text: str, candidates: Sequence[Measure], *, context: bool = False) -> str | None:
    """'' when two measures are named, None when none is, else the one slug.

    A measure is named by its keywords and patterns (in a label), or by its context words.
    """
    hits: list[tuple[int, int, str]] = []
    for m in candidates:
        for word in m.context if context else m.keywords:
            start = text.find(word)
            if start >= 0:
                hits.append((start, start + len(word), m.slug))
        if not context:
            for pattern in m.patterns:
                if found := pattern.search(text):
                    hits.append((found.start(), found.end(), m.slug))
    kept = {
        slug
        for start, end, slug in hits
        if not any(
            other != slug and s <= start and end <= e and e - s > end - start
            for s, e, other in hits
        )
    }
    if not kept:
        return None
    return kept.pop() if len(kept) == 1 else ""


# --- period -------------------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)[0-9]{2})年")
_POINT_WORDS = re.compile(
    r"截至|截止|目前|至今|现有|累计|历年|以来|近年|近[0-9一二三四五六七八九十]+年"
)
_PER_YEAR = re.compile(r"每年|年均|平均每年")
_HALF = re.compile(r"上半年|下半年|(?<![0-9])(?:1-6|7-12|1—6|7—12|1至6|7至12)月")
_YEAR_END = re.compile(r"年(?:底|末|初)")


def period(
    written: str, quote_before_figure: str = "", published: date | None = None
) -> tuple[PeriodKind, int | None]:
    """The kind of period a figure covers and the calendar year it names (see module doc)."""
    kind, year = _period_of(written, published)
    if kind is PeriodKind.UNSTATED:
        kind, year = _period_of(quote_before_figure, published, written=False)
    return kind, year


def _period_of(
    text: str, published: date | None, *, written: bool = True
) -> tuple[PeriodKind, int | None]:
    if not text:
        return PeriodKind.UNSTATED, None
    year = _year(text, published)
    if _PER_YEAR.search(text):
        return PeriodKind.PER_YEAR, None
    # 2020年以来 spans several years; 今年以来 stays within one
    if "今年以来" in text:
        return PeriodKind.YEAR, year
    if _YEAR_END.search(text):  # 2023年底, 今年年底: a stock at that year's end
        return PeriodKind.POINT, year
    if _POINT_WORDS.search(text):
        return PeriodKind.POINT, None
    if not written:  # before the figure only the running-total words above count
        return PeriodKind.UNSTATED, None
    if _HALF.search(text):
        return PeriodKind.HALF_YEAR, year
    if year is not None or re.search(r"今年|全年|年内|去年|年度", text):
        return PeriodKind.YEAR, year
    return PeriodKind.UNSTATED, None


def _year(text: str, published: date | None) -> int | None:
    """The calendar year written (2023年) or implied by publication (今年, 去年, 上半年)."""
    found = _YEAR.search(text)
    if found:
        return int(found[1])
    if published is None:
        return None
    return published.year - 1 if "去年" in text else published.year
