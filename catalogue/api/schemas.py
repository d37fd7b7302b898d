"""What the API answers: one schema per kind, flat where lists need speed, nested in details."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from ninja import Field, Schema


class RegionRef(Schema):
    """A region named by its GB/T 2260 code."""

    code: str
    name: str
    level: str


class ReportRef(Schema):
    """The report a row was extracted from."""

    id: int
    title: str
    published: date | None
    region: RegionRef | None


class MeasureOut(Schema):
    """What a figure measures: figures of one measure compare across regions."""

    slug: str
    name: str
    name_en: str
    kind: str
    units: list[str]
    keywords: list[str]


class MeasureRef(Schema):
    """A measure, briefly."""

    slug: str
    name: str
    name_en: str
    kind: str


class ReportOut(Schema):
    """A public report."""

    id: int
    title: str
    published: date | None
    region: RegionRef | None
    sources: list[str]
    url: str = Field(description="The original page, where known.")
    html_url: str = Field(description="This report's page in the catalogue.")

    @staticmethod
    def resolve_html_url(obj) -> str:
        return reverse("catalogue:report_detail", args=[obj.pk])


class ProgrammeOut(Schema):
    """A programme of work: a heading of the report and what stands under it."""

    id: int
    title: str
    summary: str
    report: ReportRef
    start: int = Field(description="Offset of its span in the report body.")
    end: int
    html_url: str

    @staticmethod
    def resolve_html_url(obj) -> str:
        return reverse("catalogue:programme_detail", args=[obj.pk])


class InitiativeOut(Schema):
    """An initiative under a programme (一是…二是…)."""

    id: int
    title: str
    text: str
    kind: str = Field(description="concrete (a measure taken) or slogan (a principle).")
    themes: list[str] = Field(description="Theme slugs.")
    brands: list[str]
    programme_id: int | None
    report: ReportRef
    start: int
    end: int
    html_url: str

    @staticmethod
    def resolve_themes(obj) -> list[str]:
        return [theme.slug for theme in obj.themes.all()]

    @staticmethod
    def resolve_brands(obj) -> list[str]:
        return [brand.name for brand in obj.brands.all()]

    @staticmethod
    def resolve_html_url(obj) -> str:
        return reverse("catalogue:initiative_detail", args=[obj.pk])


class IndicatorOut(Schema):
    """A figure: what is measured, its value in base units, and the quote it came from."""

    id: int
    label: str
    value: float
    unit: str
    qualifier: str
    figure: str = Field(description="The figure as the report wrote it.")
    quote: str
    period: str
    period_kind: str
    period_year: int | None
    measure: MeasureRef | None
    programme_id: int | None
    initiative_id: int | None
    report: ReportRef
    start: int
    end: int
    html_url: str

    @staticmethod
    def resolve_html_url(obj) -> str:
        return reverse("catalogue:indicator_detail", args=[obj.pk])


class ReportDetailOut(ReportOut):
    """A public report with its text and everything extracted from it."""

    summary: str
    body: str
    programmes: list[ProgrammeOut]
    initiatives: list[InitiativeOut]
    indicators: list[IndicatorOut]


class ProgrammeDetailOut(ProgrammeOut):
    """A programme with its initiatives and figures."""

    initiatives: list[InitiativeOut]
    indicators: list[IndicatorOut]


class InitiativeDetailOut(InitiativeOut):
    """An initiative with its figures."""

    indicators: list[IndicatorOut]


class RegionNode(Schema):
    """A region in the division tree; report counts include the regions below."""

    code: str
    name: str
    level: str
    reports: int = Field(description="Public reports of this region and those below it.")
    children: list[RegionNode]

    @staticmethod
    def resolve_reports(obj) -> int:
        return obj.total


class RegionDetailOut(Schema):
    """A region, its ancestors, the regions directly below it and its latest reports."""

    code: str
    name: str
    level: str
    ancestors: list[RegionRef]
    reports: int = Field(description="Public reports of this region and those below it.")
    children: list[RegionNode]
    latest_reports: list[ReportOut]


class Hit(Schema):
    """One search result; the snippet is HTML with the hits in <mark>."""

    id: int
    title: str
    snippet_html: str
    html_url: str


class SearchOut(Schema):
    """Search results by kind, each ranked; `short` says a substring match was used."""

    q: str
    short: bool
    reports: list[Hit]
    programmes: list[Hit]
    initiatives: list[Hit]
    indicators: list[Hit]
    counts: dict[str, int] = {}  # rows of each kind that match, counted up to `count_bound`
    count_bound: int = 0  # a count above this bound means "bound+" (not counted further)


class FilterErrors(Schema):
    """The filters were not valid: the messages by parameter."""

    detail: str
    errors: dict[str, list[dict[str, str]]]


class NotFound(Schema):
    """No public row with this key."""

    detail: str


RegionNode.model_rebuild()
