"""Admin changelists cost the same number of queries at 10 rows as at 500."""

import hashlib

import pytest

from catalogue.models import Indicator, Initiative, Programme, Region, Report, Theme

pytestmark = pytest.mark.django_db

# One bound per page, the same for 10 and 500 rows: growth with rows would break it.
CHANGELISTS = {
    "/admin/catalogue/report/": 7,
    "/admin/catalogue/programme/": 7,
    "/admin/catalogue/initiative/": 9,  # + themes, prefetched once for the page
    "/admin/catalogue/indicator/": 9,  # + the measures of its measure filter
}


def build(n: int) -> None:
    """`n` reports across regions, each with a programme, an initiative (themed) and an indicator."""
    regions = list(Region.objects.filter(level="county")[:20])
    reports = Report.objects.bulk_create(
        Report(
            region=regions[i % len(regions)],
            title=f"报告{i}",
            source_file=f"r{i}.txt",
            sha256=hashlib.sha256(str(i).encode()).hexdigest(),
            text="正文",
            body="正文",
            parser_version="test",
            flags=["title_derived"] if i % 3 else [],
        )
        for i in range(n)
    )
    programmes = Programme.objects.bulk_create(
        Programme(report=r, key="p", start=0, end=2, title=f"项目{r.pk}") for r in reports
    )
    initiatives = Initiative.objects.bulk_create(
        Initiative(report=r, programme=p, key="i", start=0, end=2, title="举措", text="举措")
        for r, p in zip(reports, programmes, strict=True)
    )
    theme = Theme.objects.create(slug="q-theme", name="主题")
    # As ingest writes theme links: straight into the through table.
    Initiative.themes.through.objects.bulk_create(
        Initiative.themes.through(initiative=i, theme=theme) for i in initiatives
    )
    Indicator.objects.bulk_create(
        Indicator(report=r, programme=p, key="n", start=0, end=2, label="活动", value=i,
                  unit="场", figure=f"{i}场", quote="正文")
        for i, (r, p) in enumerate(zip(reports, programmes, strict=True))
    )  # fmt: skip


@pytest.mark.parametrize("rows", [10, 500])
@pytest.mark.parametrize("url", list(CHANGELISTS))
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, url, rows
):
    """Each changelist stays within one fixed query budget however many rows there are."""
    build(rows)
    with django_assert_max_num_queries(CHANGELISTS[url]):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == rows
