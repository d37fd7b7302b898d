"""Region pages stay bounded: the tree rendered once per version, sparklines of the latest
figures, and served processes that keep full garbage collections short."""

from __future__ import annotations

import gc
import io
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.test import RequestFactory

from catalogue.selectors import catalogue_version
from catalogue.selectors.timelines import SPARKLINE_POINTS
from config.wsgi import freeze_after_first_request
from tests.catalogue.admin_support import make_editor
from tests.catalogue.measure_support import Fig, measured_report

pytestmark = pytest.mark.django_db

XINCHENG = "150102"
XINCHENG_LINK = '<a href="/regions/150102/">新城区</a> <span class="count">{}</span>'


def events_report(make_report, year: int, value: int):
    """A Xincheng report of `year` with one yearly event count."""
    return measured_report(
        make_report,
        code=XINCHENG,
        published=date(year, 6, 1),
        figures=[Fig("events", "开展活动", f"{value}场次", value, "场次", "exact", "year")],
    )


def test_the_region_tree_shows_new_counts_after_a_staff_hide(client, make_report):
    """The cached tree is the current version's: hiding a report in the admin lowers the count."""
    first = events_report(make_report, 2022, 10)
    events_report(make_report, 2023, 20)
    assert XINCHENG_LINK.format(2) in client.get("/regions/").content.decode()
    client.force_login(make_editor())
    client.post("/admin/catalogue/report/", {"action": "hide", "_selected_action": [first.pk]})
    client.logout()
    assert XINCHENG_LINK.format(1) in client.get("/regions/").content.decode()
    english = client.get("/en/regions/").content.decode()
    assert '<a href="/en/regions/150102/">' in english and "新城区</a>" not in english


def test_ingest_renders_the_tree_in_every_language_before_a_reader_asks(tmp_path):
    """After ingest the tree of the new version is already in the shared cache, in both languages."""
    text = "呼和浩特市新城区2023年民族团结进步创建工作总结\n发布时间:2023年12月20日\n"
    (tmp_path / "a.txt").write_text(text + "新城区开展宣讲活动30场次。\n", encoding="utf-8")
    call_command("ingest", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    version = catalogue_version()
    chinese = cache.get(f"region-tree:zh-hans:{version}")
    english = cache.get(f"region-tree:en:{version}")
    assert XINCHENG_LINK.format(1) in chinese
    assert '<a href="/en/regions/150102/">' in english


def test_region_page_sparkline_draws_the_latest_figures_and_counts_them_all(client, make_report):
    """With more yearly figures than a sparkline draws, it joins the latest ones, and the link
    below still counts every figure."""
    total = SPARKLINE_POINTS + 4
    for n in range(total):
        events_report(make_report, 1990 + n, n + 1)
    page = client.get(f"/regions/{XINCHENG}/").content.decode()
    sparkline = re.search(r'<svg class="sparkline".*?</svg>', page, re.S).group(0)
    assert sparkline.count("<circle") == SPARKLINE_POINTS
    assert f"{1990 + total - 1}-06-01 {total}场次" in sparkline
    assert "1990-06-01 1场次" not in sparkline
    assert f"全部 {total} 个数字" in page


def test_a_served_process_freezes_its_startup_objects_after_the_first_request():
    """After its first response the WSGI application has moved the objects alive then out of the
    garbage collector's reach, so a full collection no longer walks them on a later request."""
    application = freeze_after_first_request(get_wsgi_application())
    gc.unfreeze()
    try:
        statuses = []
        environ = RequestFactory().get("/about/").environ
        response = application(environ, lambda status, headers: statuses.append(status))
        response.close()
        assert statuses == ["200 OK"]
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
