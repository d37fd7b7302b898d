"""Staff see groups of reprints and earlier versions in the admin, and their hide choice lasts."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import Report
from tests.ingest.samples import COUNTY_REPORT, reprint

from .admin_support import make_editor, post_change

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    """A client logged in as an editor."""
    client.force_login(make_editor())
    return client


@pytest.fixture
def grouped(tmp_path: Path) -> Report:
    """The county article and a reprint, ingested; then an edited version of the article."""
    original = tmp_path / "county.txt"
    original.write_text(COUNTY_REPORT, encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "county.txt").write_text(reprint(COUNTY_REPORT, "某某新闻网"), "utf-8")
    call_command("ingest", str(tmp_path), stdout=io.StringIO())
    original.write_text(COUNTY_REPORT.replace("5个", "6个"), encoding="utf-8")
    call_command("ingest", str(original), stdout=io.StringIO())
    return Report.objects.get(hidden=False)


def test_public_report_page_lists_its_reprints_and_versions(editor_client, grouped):
    """The change page of the public copy shows the hidden reprint; the edited one its old text."""
    page = editor_client.get(reverse("admin:catalogue_report_change", args=[grouped.pk]))
    reprint_copy = Report.objects.get(duplicate_of=grouped)
    assert page.status_code == 200
    assert reverse("admin:catalogue_report_change", args=[reprint_copy.pk]) in page.content.decode()
    edited = Report.objects.get(versions__isnull=False)
    page = editor_client.get(reverse("admin:catalogue_report_change", args=[edited.pk]))
    assert edited.versions.get().sha256 in page.content.decode()


def test_changelist_filters_reports_by_group(editor_client, grouped):
    """The reprint filter lists the hidden copies apart from the public one."""
    url = reverse("admin:catalogue_report_changelist")
    reprints = editor_client.get(url, {"reprints": "reprint"}).context["cl"].result_list
    public = editor_client.get(url, {"reprints": "public"}).context["cl"].result_list
    assert [r.duplicate_of_id for r in reprints] == [grouped.pk]
    assert [r.pk for r in public] == [grouped.pk]


def test_hiding_in_admin_is_kept_by_grouping(editor_client, grouped):
    """A report staff hid or showed keeps that choice: 'hidden' becomes a staff field."""
    url = reverse("admin:catalogue_report_change", args=[grouped.pk])
    post_change(editor_client, url, hidden=True)
    grouped.refresh_from_db()
    assert grouped.hidden and "hidden" in grouped.staff_fields


@pytest.mark.parametrize("copies", [1, 4])
def test_change_page_queries_do_not_grow_with_reprints(
    editor_client, tmp_path, django_assert_max_num_queries, copies
):
    """The report change page lists any number of reprints in the same number of queries."""
    for n in range(copies + 1):
        folder = tmp_path / f"site{n}"
        folder.mkdir()
        text = COUNTY_REPORT if n == 0 else reprint(COUNTY_REPORT, f"第{n}新闻网")
        (folder / "county.txt").write_text(text, encoding="utf-8")
    call_command("ingest", str(tmp_path), stdout=io.StringIO())
    public = Report.objects.get(hidden=False)
    assert public.reprints.count() == copies
    with django_assert_max_num_queries(16):
        page = editor_client.get(reverse("admin:catalogue_report_change", args=[public.pk]))
    assert page.status_code == 200
