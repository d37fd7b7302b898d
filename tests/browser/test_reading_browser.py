"""Reading in a real Chromium: a phone's first screen, English chrome, the targeted figure,
and the README's screenshots (docs/screenshots/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.test_compare_browser import measures, participants  # noqa: F401  (fixtures)
from tests.catalogue.test_pages import add_report
from tests.catalogue.test_reading import shared_sentence_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"
HAN = re.compile(r"[\u3400-\u9fff]")
PHONE = {"width": 390, "height": 844}

# The interface around the data: what a reader of English must be able to read. Titles,
# quotes, units and the report text are data and stay as published.
CHROME = """() => {
  const data = "h1.data, .body, .items, .hits, .structure ol, .structure ul, table.data tbody, .facet ul";
  const chrome = "header.site, footer.site, nav, label, button, summary, h2, h3, thead th, dt, .legend, select option, figcaption, .lead";
  const texts = [];
  for (const el of document.querySelectorAll(chrome)) {
    if (el.closest(data)) continue;
    const copy = el.cloneNode(true);
    copy.querySelectorAll(data + ", [lang=zh-Hans], input").forEach((c) => c.remove());
    texts.push(el.tagName + ": " + copy.textContent.replace(/\\s+/g, " ").trim());
  }
  return texts;
}"""


@pytest.fixture
def catalogue(division_table, make_report):
    """Two invented reports, one of them with two figures in a sentence, and a larger list."""
    shared = shared_sentence_report(make_report)
    add_report(make_report, code="450205", title="柳北区创建工作报道")
    for n in range(12):
        add_report(make_report, code="150102", title=f"新城区第{n}篇报道")
    return shared


def test_phone_shows_the_first_result_in_the_first_screen(live_server, browser, catalogue):
    """At 390x844 the filters fold behind a button and the first result is fully on screen."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    for path in ("/indicators/", "/reports/", "/en/initiatives/"):
        page.goto(live_server.url + path)
        first = page.locator("ul.items > li").first.bounding_box()
        assert first["y"] + first["height"] <= PHONE["height"], path
        assert not page.locator(".filters form").is_visible()
    page.locator("details.filter-panel > summary").click()
    assert page.locator(".filters form").is_visible()
    context.close()


def test_wide_screen_shows_the_filters_without_a_click(live_server, page, catalogue):
    """From 700 px up the filters are simply there, with no button to open."""
    page.goto(live_server.url + "/indicators/")
    assert page.locator(".filters form").is_visible()
    assert not page.locator("details.filter-panel > summary").is_visible()


def test_opening_a_figure_anchor_highlights_that_figure_not_its_neighbour(
    live_server, page, catalogue
):
    """At #q-<id> the figure itself is highlighted; the other figure of its sentence is not."""
    first, second = catalogue.indicators.order_by("position")
    page.goto(f"{live_server.url}/reports/{catalogue.pk}/#q-{second.pk}")
    target = page.locator(":target")
    assert target.inner_text() == "5000人次"
    colour = "el => getComputedStyle(el).backgroundColor"
    assert target.evaluate(colour) == "rgb(255, 176, 0)"
    assert page.locator(f"#q-{first.pk}").evaluate(colour) == "rgb(255, 243, 191)"
    assert page.locator(".k-sentence").evaluate(colour) == "rgb(255, 248, 219)"
    assert page.locator(".body").evaluate("el => getComputedStyle(el).fontWeight") == "400"


def test_english_pages_have_no_chinese_interface_text(live_server, page, participants, catalogue):  # noqa: F811
    """Header, navigation, footer, labels, headings and buttons of /en/ pages are all English."""
    report = catalogue
    initiative = report.initiatives.first()
    paths = [
        "/en/",
        "/en/regions/",
        "/en/regions/150102/",
        "/en/reports/",
        f"/en/reports/{report.pk}/",
        "/en/programmes/",
        f"/en/initiatives/{initiative.pk}/",
        "/en/initiatives/",
        "/en/indicators/?o=-value",
        "/en/compare/?measure=participants&level=county",
        "/en/measures/",
        "/en/search/?q=驿站",
        "/en/about/",
    ]
    chinese = []
    for path in paths:
        page.goto(live_server.url + path)
        chinese += [f"{path} {text}" for text in page.evaluate(CHROME) if HAN.search(text)]
    assert chinese == [], "\n".join(chinese)


def test_readme_screenshots_of_a_region_and_the_compare_page(live_server, browser, participants):  # noqa: F811
    """The README's pictures: a region page and the compare page, taken at a phone's width."""
    DOCS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    for name, path in (
        ("region", "/regions/150100/"),
        ("compare", "/compare/?measure=participants&level=county"),
    ):
        page.goto(live_server.url + path)
        page.screenshot(path=str(DOCS / f"{name}.png"), full_page=False)
        assert (DOCS / f"{name}.png").stat().st_size > 5_000
    context.close()
