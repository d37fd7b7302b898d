"""The rows of one list page, ready to print: every URL, name and date a row shows.

They are computed here in one pass rather than by a template include per row: each row's
include, its URL reversals and its filters were most of a cold list page's time. The
markup stays in templates/catalogue/items/<kind>_rows.html, which only prints these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import get_language

from ..models import Indicator, Initiative, Programme, Region, Report
from ..numbers import readable_figure
from .compare import measure_name, period_text

_MARK = 987654321  # a pk no row has: reversed once, then replaced by each row's pk
_URL_SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in a path


def _url_maker(name: str) -> Callable[[object], str]:
    """`reverse(name, args=[value])` for any value, reversed once for the whole page."""
    head, _mark, tail = reverse(name, args=[_MARK]).partition(str(_MARK))
    return lambda value: f"{head}{quote(str(value), safe=_URL_SAFE)}{tail}"


class _RegionLinks:
    """Each region's link and path (province › … › region), worked out once per page."""

    def __init__(self) -> None:
        self.url = _url_maker("catalogue:region_detail")
        self.english = (get_language() or "").startswith("en")
        self.known: dict[str, dict[str, str]] = {}

    def name(self, region: Region) -> str:
        """The region's name in the active language (as the region_name filter gives it)."""
        return region.name_en if self.english and region.name_en else region.name

    def __call__(self, region: Region | None) -> dict[str, str]:
        if region is None:
            return {"region_url": "", "region_path": ""}
        link = self.known.get(region.code)
        if link is None:
            names = [self.name(r) for r in (*region.ancestors(), region)]
            link = {"region_url": self.url(region.code), "region_path": " › ".join(names)}
            self.known[region.code] = link
        return link


def _date(report: Report) -> str:
    return report.published.isoformat() if report.published else ""


def _report_fields(report: Report, anchor: str, report_url, regions: _RegionLinks) -> dict:
    """What a row shows of its report: region path, title linking to `anchor`, date."""
    return {
        **regions(report.region),
        "report_url": f"{report_url(report.pk)}#{anchor}",
        "report_title": report.title,
        "published": _date(report),
    }


def report_rows(reports: Iterable[Report]) -> list[dict]:
    """Each report's row of the reports list: link, title, region path and date."""
    url, regions = _url_maker("catalogue:report_detail"), _RegionLinks()
    return [
        {
            "url": url(report.pk),
            "title": report.title,
            "title_derived": report.title_derived,
            **regions(report.region),
            "published": _date(report),
        }
        for report in reports
    ]


def programme_rows(programmes: Iterable[Programme]) -> list[dict]:
    """Each programme's row: link, title, and its report (region path, title, date)."""
    url, report_url = (
        _url_maker("catalogue:programme_detail"),
        _url_maker("catalogue:report_detail"),
    )
    regions = _RegionLinks()
    return [
        {
            "url": url(p.pk),
            "title": p.title,
            **_report_fields(p.report, f"p-{p.pk}", report_url, regions),
        }
        for p in programmes
    ]


def initiative_rows(initiatives: Iterable[Initiative]) -> list[dict]:
    """Each initiative's row: link, title, slogan mark, theme names, and its report."""
    url, report_url = (
        _url_maker("catalogue:initiative_detail"),
        _url_maker("catalogue:report_detail"),
    )
    regions, english = _RegionLinks(), get_language() == "en"
    return [
        {
            "url": url(i.pk),
            "title": i.title,
            "slogan": i.kind == "slogan",
            "themes": [t.name_en if english and t.name_en else t.name for t in i.themes.all()],
            **_report_fields(i.report, f"i-{i.pk}", report_url, regions),
        }
        for i in initiatives
    ]


def indicator_rows(indicators: Iterable[Indicator]) -> list[dict]:
    """Each indicator's row: link, label, figure as read, measure link, period, its report."""
    url, report_url = (
        _url_maker("catalogue:indicator_detail"),
        _url_maker("catalogue:report_detail"),
    )
    compare, regions = reverse("catalogue:compare"), _RegionLinks()
    rows = []
    for q in indicators:
        measure = q.measure
        rows.append(
            {
                "url": url(q.pk),
                "label": q.label,
                "figure": q.figure,
                "readable": readable_figure(q.value, q.unit, q.qualifier),
                "measure_url": measure and f"{compare}?measure={quote(measure.slug, safe='/')}",
                "measure": measure and measure_name(measure),
                "period": period_text(q),
                **_report_fields(q.report, f"q-{q.pk}", report_url, regions),
            }
        )
    return rows


LIST_ROWS: dict[str, Callable[[Iterable], list[dict]]] = {
    "report": report_rows,
    "programme": programme_rows,
    "initiative": initiative_rows,
    "indicator": indicator_rows,
}
