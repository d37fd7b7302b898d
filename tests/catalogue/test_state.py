"""The catalogue version: one cheap read, moved by every write, and the home figures cached under it."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import state
from catalogue.models import Region, Report
from tests.ingest.samples import COUNTY_REPORT

from .admin_support import make_editor

pytestmark = pytest.mark.django_db


def test_reading_the_version_is_one_query(django_assert_num_queries, make_report):
    """The version costs one primary-key read however many reports there are."""
    for _ in range(5):
        make_report()
    with django_assert_num_queries(1) as captured:
        state.version()
    assert "catalogue_report" not in captured.captured_queries[0]["sql"]


def test_every_save_moves_the_version(make_report):
    """Creating and then changing a report each give a new version."""
    before = state.version()
    report = make_report()
    created = state.version()
    report.title = "新标题"
    report.save()
    assert len({before, created, state.version()}) == 3


def test_home_is_served_from_the_cache_without_counting(client, make_report):
    """A second visit to the home page reads the version and the cache, and counts nothing."""
    make_report(region=Region.objects.get(code="150102"))
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert "目录收录 1 篇报告" in page
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_staff_hiding_a_report_updates_the_home_count_at_once(client, make_report):
    """Hiding a report in the admin changes the home page's count on the next visit."""
    xincheng = Region.objects.get(code="150102")
    report = make_report(region=xincheng)
    make_report(region=xincheng)
    assert "目录收录 2 篇报告" in client.get("/").content.decode()
    client.force_login(make_editor())
    response = client.post(
        "/admin/catalogue/report/",
        {"action": "hide", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    client.logout()
    assert "目录收录 1 篇报告" in client.get("/").content.decode()


def test_ingest_fills_the_cache_for_readers(tmp_path):
    """After ingest the home figures for the new version are already in the shared cache."""
    (tmp_path / "county.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    call_command("ingest", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    summary = cache.get(f"home-summary:{state.version()}")
    assert summary is not None
    assert summary["counts"]["reports"] == Report.objects.count() == 1
