"""A title the system generated says so on the public pages and in the export; staff clear it."""

from __future__ import annotations

import csv
import io

import pytest

from catalogue.models import Region
from tests.catalogue.admin_support import make_editor, post_change

pytestmark = pytest.mark.django_db
NOTE = "标题为系统生成"


@pytest.fixture
def derived(make_report):
    return make_report(title="某区民族团结进步创建工作", title_derived=True,
                       region=Region.objects.get(code="150102"))  # fmt: skip


@pytest.fixture
def stated(make_report):
    return make_report(title="石榴花开满乡村", region=Region.objects.get(code="150102"))


def test_report_page_says_a_generated_title_is_generated(client, derived, stated):
    """The report page notes a generated title, and only then."""
    assert NOTE in client.get(f"/reports/{derived.pk}/").content.decode()
    assert NOTE not in client.get(f"/reports/{stated.pk}/").content.decode()


def test_report_list_marks_generated_titles(client, derived, stated):
    """The report list marks the one generated title among stated ones."""
    assert client.get("/reports/").content.decode().count(NOTE) == 1


def test_report_export_carries_the_flag(client, derived, stated):
    """The report CSV says which titles were generated."""
    raw = b"".join(client.get("/reports/?format=csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["title"]: r["title_derived"] for r in rows} == {
        "某区民族团结进步创建工作": "True",
        "石榴花开满乡村": "False",
    }


def test_a_title_staff_set_is_no_longer_generated(client, derived):
    """Saving a corrected title in admin clears the flag, and ingest keeps it cleared."""
    client.force_login(make_editor())
    response = post_change(client, f"/admin/catalogue/report/{derived.pk}/change/",
                           title="新城区:石榴籽紧紧抱在一起")  # fmt: skip
    assert response.status_code == 302
    derived.refresh_from_db()
    assert derived.title_derived is False
    assert "title_derived" in derived.staff_fields
