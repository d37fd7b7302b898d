"""The home page says what the catalogue holds."""

import pytest

from catalogue.models import Region

pytestmark = pytest.mark.django_db


def test_empty_catalogue_explains_how_to_ingest(client):
    """With no reports the home page says how to add some."""
    response = client.get("/")
    assert response.status_code == 200
    assert "manage.py ingest" in response.content.decode()


def test_home_lists_regions_with_reports_and_counts(client, make_report):
    """Regions that have reports are listed with their count; the total is stated."""
    xincheng = Region.objects.get(code="150102")
    make_report(region=xincheng)
    make_report(region=xincheng)
    make_report(region=Region.objects.get(code="450205"))
    page = client.get("/").content.decode()
    assert "目录收录 3 篇报告" in page
    assert "新城区" in page and "柳北区" in page
    assert "呼和浩特市" in page  # the region's ancestors give it context


def test_hidden_reports_are_not_counted(client, make_report):
    """A report staff hid is not shown or counted on the public site."""
    make_report(region=Region.objects.get(code="150102"), hidden=True, title="隐藏的报告")
    page = client.get("/").content.decode()
    assert "隐藏的报告" not in page and "新城区" not in page


def test_public_pages_refuse_writes(client):
    """The public site answers GET and HEAD only."""
    assert client.head("/").status_code == 200
    assert client.post("/").status_code == 405


def test_admin_requires_login(client):
    """An anonymous visitor to the admin is sent to the login page."""
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
