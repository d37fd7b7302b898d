"""The /data/ data dictionary: each table of the dataset, its columns and what they mean.

catalogue.dataset writes the tables; the /data/ page lists them with these meanings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, the queryset path it reads, and what it means."""

    name: str
    path: str
    meaning: str


@dataclass(frozen=True)
class Table:
    """One table of the dataset: a CSV file in the zip, a `type` in the JSON Lines."""

    name: str
    meaning: str
    columns: tuple[Column, ...]


_REPORT_ID = Column("report_id", "report_id", "The report it was extracted from (reports.id).")
_SPAN = (
    Column("start", "start", "Offset of its source span in the report's body text."),
    Column("end", "end", "End offset of its source span (exclusive)."),
)

TABLES: tuple[Table, ...] = (
    Table(
        "regions",
        "Administrative divisions (GB/T 2260) that public reports belong to, and their parents.",
        (
            Column("code", "code", "Six-digit division code."),
            Column("name", "name", "Official name."),
            Column("level", "level", "province, prefecture or county."),
            Column("parent_code", "parent_id", "The division above it; empty for a province."),
        ),
    ),
    Table(
        "reports",
        "Published report pages the catalogue ingested and shows.",
        (
            Column("id", "id", "Stable identifier; the page is /reports/<id>/."),
            Column("title", "title", "Title as published (or derived, see title_derived)."),
            Column("title_derived", "title_derived", "The title was inferred from the text."),
            Column("published", "published", "Publication date (YYYY-MM-DD), where known."),
            Column("region_code", "region_id", "The region the report is about (regions.code)."),
            Column("sources", "sources", "Publishing bodies named on the page, '; '-separated."),
            Column("url", "url", "The original page, where known."),
            Column("body", "content__body", "The cleaned report text that spans point into."),
        ),
    ),
    Table(
        "programmes",
        "Programmes of work: the report's headings and what stands under them.",
        (
            Column("id", "id", "Stable identifier; the page is /programmes/<id>/."),
            _REPORT_ID,
            Column("title", "title", "The heading."),
            Column("summary", "summary", "Its opening text."),
            *_SPAN,
        ),
    ),
    Table(
        "initiatives",
        "Concrete measures under a programme (一是…二是…).",
        (
            Column("id", "id", "Stable identifier; the page is /initiatives/<id>/."),
            _REPORT_ID,
            Column("programme_id", "programme_id", "Its programme (programmes.id), if any."),
            Column("title", "title", "Short title."),
            Column("text", "text", "Its full text."),
            Column("kind", "kind", "concrete (a measure taken) or slogan (a principle)."),
            Column("themes", "theme_slugs", "Theme slugs (themes.slug), '; '-separated."),
            Column("brands", "brand_names", "Quoted brand names, '; '-separated."),
            *_SPAN,
        ),
    ),
    Table(
        "indicators",
        "Figures: what is measured, the value in base units, and the sentence it came from.",
        (
            Column("id", "id", "Stable identifier; the page is /indicators/<id>/."),
            _REPORT_ID,
            Column("programme_id", "programme_id", "Its programme (programmes.id), if any."),
            Column("initiative_id", "initiative_id", "Its initiative (initiatives.id), if any."),
            Column("label", "label", "What is counted, from the text."),
            Column("value", "value", "The value in the unit below (10万 → 100000)."),
            Column("unit", "unit", "Unit as extracted, e.g. 场次, 人次, %."),
            Column("qualifier", "qualifier", "exact, more_than, at_least, approx or less_than."),
            Column("figure", "figure", "The figure as the report wrote it."),
            Column("quote", "quote", "The words it came from."),
            Column("period", "period", "The period as written, if any."),
            Column("period_kind", "period_kind", "point, year, half_year, per_year or unstated."),
            Column("period_year", "period_year", "The year the figure refers to, if known."),
            Column("measure", "measure__slug", "What it measures (measures.slug), if classified."),
            *_SPAN,
        ),
    ),
    Table(
        "measures",
        "The measure taxonomy: figures of one measure compare across regions.",
        (
            Column("slug", "slug", "Identifier."),
            Column("name", "name", "Chinese name."),
            Column("name_en", "name_en", "English name."),
            Column("kind", "kind", "activity, reach, resource, recognition, outcome or context."),
            Column("units", "units", "Units it accepts, '; '-separated."),
        ),
    ),
    Table(
        "themes",
        "The theme taxonomy of initiatives.",
        (
            Column("slug", "slug", "Identifier."),
            Column("name", "name", "Chinese name."),
            Column("name_en", "name_en", "English name."),
        ),
    ),
)
