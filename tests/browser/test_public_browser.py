"""The public catalogue in a real headless Chromium: browse, filter, search, export, compare."""

import csv
import importlib
import io

import pytest

from tests.catalogue.test_pages import add_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def divisions(db):
    """The division table, reloaded if an earlier transactional test flushed it."""
    from django.apps import apps
    from django.db import connection

    from catalogue.models import Region

    if not Region.objects.exists():
        load = importlib.import_module("catalogue.migrations.0002_load_divisions").load
        load(apps, connection.schema_editor())


@pytest.fixture
def catalogue(divisions, make_report):
    """Two invented reports: 新城区 (with 红石榴驿站) and 柳北区 (a larger 场次 figure)."""
    xincheng = add_report(make_report, code="150102", title="新城区创建工作报道")
    add_report(
        make_report,
        code="450205",
        title="柳北区创建工作报道",
        figures=[("开展宣讲活动", "120余场次", 300, "场次", "more_than", 0)],
    )
    return xincheng


def test_browse_from_home_to_a_highlighted_sentence(live_server, page, screenshot, catalogue):
    """Home → tree → 新城区 → report; clicking a figure scrolls to and highlights the figure."""
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="地区", exact=True).first.click()
    page.get_by_role("link", name="新城区", exact=True).click()
    assert page.locator("h1").inner_text().startswith("新城区")
    page.get_by_role("link", name="新城区创建工作报道").first.click()
    indicator = catalogue.indicators.get(label="服务群众")
    page.locator(f'a.indicator-link[href="#q-{indicator.pk}"]').click()
    target = page.locator(":target")
    assert target.get_attribute("id") == f"q-{indicator.pk}"
    assert target.inner_text() == "5000人次"
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 176, 0)"
    assert target.is_visible()
    screenshot()


def test_filter_indicators_by_unit_and_region(live_server, page, screenshot, catalogue):
    """Typing a region code and a unit into the filter form narrows the list and says so."""
    page.goto(live_server.url + "/indicators/")
    assert page.locator("li.indicator").count() == 4
    page.get_by_label("地区(含下级)").fill("150100")
    page.get_by_role("textbox", name="单位").fill("场次")
    page.get_by_role("button", name="应用筛选").click()
    assert page.locator("li.indicator").count() == 1
    assert "新城区" in page.locator("li.indicator").inner_text()
    assert "呼和浩特市及下级" in page.locator("p.summary").inner_text()
    screenshot()


def test_search_finds_the_initiative(live_server, page, screenshot, catalogue):
    """Searching 红石榴 from the home page leads to the 建设红石榴驿站 initiative."""
    page.goto(live_server.url + "/")
    page.get_by_label("检索报告、工作项目、举措和指标").fill("红石榴")
    page.get_by_label("检索报告、工作项目、举措和指标").press("Enter")
    assert page.locator("li.hit-initiative mark").first.inner_text() == "红石榴"
    page.locator("li.hit-initiative a.title").first.click()
    assert page.locator("h1").inner_text() == "建设红石榴驿站"
    assert (
        "新城区" in page.locator("dl.meta-table").inner_text()
        or "柳北区" in page.locator("dl.meta-table").inner_text()
    )
    screenshot()


def test_download_csv_of_the_filtered_list(live_server, page, screenshot, catalogue, tmp_path):
    """The CSV link downloads the filtered rows, UTF-8 with a BOM."""
    page.goto(live_server.url + "/indicators/?unit=场次")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "indicators.csv"
    info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["region_name"] for r in rows) == ["新城区", "柳北区"]
    assert {r["unit"] for r in rows} == {"场次"}
    screenshot()


def test_switch_to_english(live_server, page, screenshot, catalogue):
    """The language link shows the same page in English, and back."""
    page.goto(live_server.url + "/indicators/?unit=场次")
    page.get_by_role("link", name="English").click()
    assert page.url.startswith(live_server.url + "/en/indicators/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Indicators"
    assert page.locator("li.indicator").count() == 2
    screenshot()
    page.get_by_role("link", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
