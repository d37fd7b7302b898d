"""Row pages take their region chain from a map kept per catalogue version: the names are
those of the current version, and the map costs one query per version, not per page."""

from __future__ import annotations

import pytest

from catalogue.models import Indicator, Initiative, Programme, Region
from catalogue.selectors.region_chain import attach_region, region_map, region_of
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db

CHAIN = "内蒙古自治区 › 呼和浩特市 › 新城区"  # 150102 and its parents


def _pages(report) -> dict[str, str]:
    """The four row pages of `report`, kind -> path."""
    return {
        "report": f"/reports/{report.pk}/",
        "programme": f"/programmes/{Programme.objects.get(report=report).pk}/",
        "initiative": f"/initiatives/{Initiative.objects.filter(report=report).first().pk}/",
        "indicator": f"/indicators/{Indicator.objects.filter(report=report).first().pk}/",
    }


def test_region_map_links_every_region_to_its_parents():
    """Each region in the map has the chain of parents the table holds, province first."""
    regions = region_map()
    assert regions["150102"].path == ["内蒙古自治区", "呼和浩特市", "新城区"]
    assert regions["150000"].parent is None
    assert regions["150100"].parent is regions["150000"]
    assert len(regions) == Region.objects.count()


def test_region_of_no_code_is_none():
    """A report without a region has no chain (and costs no query)."""
    assert region_of(None) is None


def test_a_region_added_without_a_new_version_is_still_found(django_assert_num_queries):
    """A region missing from the kept map (written without a version bump) is read with its
    parents rather than shown as none."""
    region_map()
    Region.objects.bulk_create(
        [Region(code="150199", name="新区", short_name="新区", level="county", parent_id="150100")]
    )
    with django_assert_num_queries(2):  # the version (outside a request), the region
        assert region_of("150199").path == ["内蒙古自治区", "呼和浩特市", "新区"]


@pytest.mark.parametrize("kind", ["report", "programme", "initiative", "indicator"])
def test_row_pages_show_a_renamed_region(client, make_report, kind):
    """After staff rename a region, every row page of a report there shows the new name."""
    path = _pages(add_report(make_report))[kind]
    assert CHAIN in client.get(path).content.decode()
    prefecture = Region.objects.get(code="150100")
    prefecture.name = "青城市"
    prefecture.save()  # moves the catalogue version
    page = client.get(path).content.decode()
    assert "内蒙古自治区 › 青城市 › 新城区" in page and "呼和浩特市" not in page


def test_the_map_costs_one_query_per_version(
    client, make_report, settings, django_assert_num_queries
):
    """Rendered afresh each time, the four row pages read the regions once between them,
    then never again, and show the chain each time."""
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    pages = _pages(add_report(make_report)).values()
    own = {"report": 5, "programme": 4, "initiative": 3, "indicator": 2}
    with django_assert_num_queries(sum(own.values()) + 1):
        for path in pages:
            assert CHAIN in client.get(path).content.decode()
    with django_assert_num_queries(sum(own.values())):
        for path in pages:
            assert CHAIN in client.get(path).content.decode()


def test_attach_region_gives_the_report_its_chain(make_report):
    """A report read without joins gets its region and parents from the map."""
    report = add_report(make_report)
    region_map()
    plain = type(report).objects.only("pk", "region").get(pk=report.pk)
    assert attach_region(plain).region.path == ["内蒙古自治区", "呼和浩特市", "新城区"]
