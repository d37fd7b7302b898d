"""Permalinks in a real headless Chromium: from a report to a figure's page and back."""

import importlib

import pytest

from tests.catalogue.test_pages import add_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def report(db, make_report):
    """One invented report of 新城区, with the division table reloaded if a flush emptied it."""
    from django.apps import apps
    from django.db import connection

    from catalogue.models import Region

    if not Region.objects.exists():
        load = importlib.import_module("catalogue.migrations.0002_load_divisions").load
        load(apps, connection.schema_editor())
    return add_report(make_report, code="150102", title="新城区创建工作报道")


def test_indicator_permalink_from_report_page_and_back(live_server, page, screenshot, report):
    """The report's # link opens the figure's page with its citation; back lands on the figure."""
    indicator = report.indicators.get(label="服务群众")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.get_by_role("link", name="永久链接: 服务群众").click()
    page.wait_for_url(f"**/indicators/{indicator.pk}/")
    assert page.locator("h1").inner_text() == "服务群众 5000人次"
    assert page.locator("blockquote.sentence mark").inner_text() == "服务群众5000人次"
    cite = page.locator("code.cite-gbt").inner_text()
    assert "新城区创建工作报道[EB/OL]" in cite and cite.endswith(f"/indicators/{indicator.pk}/.")
    screenshot()
    page.get_by_role("link", name="在报告原文中查看").click()
    page.wait_for_url(f"**/reports/{report.pk}/#q-{indicator.pk}")
    target = page.locator(":target")
    assert target.inner_text() == "5000人次" and target.is_visible()  # the figure itself
    page.go_back()
    page.wait_for_url(f"**/indicators/{indicator.pk}/")
    page.go_back()
    page.wait_for_url(f"**/reports/{report.pk}/")
    assert page.locator("h1").inner_text() == "新城区创建工作报道"
