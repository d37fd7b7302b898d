"""What a parsed report is: frozen dataclasses, no Django.

Offsets (`start`, `end`) are character positions in `ParsedReport.body`
(the cleaned text) with `body[start:end]` being the source span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class Qualifier(StrEnum):
    """How a figure relates to the true quantity (余 -> more_than, 约 -> approx …)."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    AT_LEAST = "at_least"
    APPROX = "approx"
    LESS_THAN = "less_than"


class PeriodKind(StrEnum):
    """Over which period a figure counts, normalised from the words that state it."""

    POINT = "point"  # 截至/目前/累计: a stock or running total at a date
    YEAR = "year"  # 2023年, 今年 with a known year: one calendar year
    HALF_YEAR = "half-year"  # 2023年上半年
    PER_YEAR = "per-year"  # 每年, 年均: a yearly rate
    UNSTATED = "unstated"  # no period written near the figure


class InitiativeKind(StrEnum):
    """Whether an initiative names something done (concrete) or only a principle (slogan)."""

    CONCRETE = "concrete"
    SLOGAN = "slogan"


class ReadError(ValueError):
    """Input bytes that cannot become report text; the message is the reason."""


@dataclass(frozen=True)
class Figure:
    """A number as written in the text, normalised: 10万余人 -> 100000, 人, more_than."""

    value: Decimal
    unit: str
    qualifier: Qualifier
    written: str


@dataclass(frozen=True)
class ParsedIndicator:
    """A quantitative figure with what it measures and the sentence it came from."""

    label: str
    value: Decimal
    unit: str
    qualifier: Qualifier
    figure: str  # as written: "150余场次"
    quote: str  # the clause/sentence around it, as written
    start: int  # span of `quote` in the body
    end: int
    period: str = ""  # "每年", "2023年上半年" where stated, as written
    tokens: str = ""  # search tokens (segment.search_tokens of label and quote)
    measure: str | None = None  # slug of fixtures/measures.json, None when nothing fits
    period_kind: PeriodKind = PeriodKind.UNSTATED
    period_year: int | None = None  # the calendar year the period names, where it names one


@dataclass(frozen=True)
class ParsedInitiative:
    """One enumerated measure (一是…) or paragraph under a programme."""

    title: str
    text: str
    start: int
    end: int
    themes: tuple[str, ...] = ()
    tokens: str = ""  # search tokens of the text
    kind: InitiativeKind = InitiativeKind.CONCRETE
    brands: tuple[str, ...] = ()  # quoted brand names it uses: 红石榴驿站, 石榴籽


@dataclass(frozen=True)
class ParsedProgramme:
    """A heading and the initiatives under it."""

    title: str
    summary: str
    start: int
    end: int
    initiatives: tuple[ParsedInitiative, ...] = ()
    tokens: str = ""  # search tokens of title and summary


@dataclass(frozen=True)
class Structure:
    """Programmes of a body plus the lead/closing text that is not a programme."""

    summary: str
    programmes: tuple[ParsedProgramme, ...]


@dataclass(frozen=True)
class Meta:
    """Page metadata found in the text as read."""

    title: str | None
    published: date | None
    sources: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True)
class Cleaned:
    """The body of a page with chrome and repeats removed, and the metadata lines kept aside."""

    body: str
    meta_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Division:
    """One row of the GB/T 2260 administrative division table."""

    code: str
    name: str
    short_name: str
    level: str  # "province" | "prefecture" | "county"
    parent: str | None


@dataclass(frozen=True)
class RegionMatch:
    """The region a report is about, or None with the reason it could not be decided."""

    code: str | None
    reason: str


@dataclass(frozen=True)
class ParsedReport:
    """Everything the loader needs to write one report."""

    text: str  # as read (decoded, normalised), before cleaning
    body: str  # cleaned; all offsets point into it
    sha256: str  # of `text`: the report's identity, stable when the cleaner changes
    title: str
    title_derived: bool
    published: date | None
    sources: tuple[str, ...]
    url: str | None
    region: RegionMatch
    summary: str
    programmes: tuple[ParsedProgramme, ...]
    indicators: tuple[ParsedIndicator, ...]
    # What ingest flags for review: "region_undecided", "title_derived", "no_indicators" …
    flags: tuple[str, ...] = field(default=())
    tokens: str = ""  # search tokens of title and summary
