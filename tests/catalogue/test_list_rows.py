"""List pages print precomputed rows: the same markup as the per-object item templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from catalogue import selectors
from catalogue.models import Indicator, Initiative, Measure, Programme, Region, Theme
from catalogue.selectors.list_rows import LIST_ROWS
from catalogue.selectors.lists import indicator_list_page, initiative_list_page

pytestmark = pytest.mark.django_db

SELECTORS = {
    "report": selectors.report_list,
    "programme": selectors.programme_list,
    "initiative": initiative_list_page,
    "indicator": indicator_list_page,
}


@pytest.fixture
def varied(make_report):
    """Rows that take every branch of the item templates, with text that needs escaping."""
    body = "甲" * 200
    dated = make_report(
        title='民族团结<b>"示范"</b> & 进步',
        region=Region.objects.get(code="150102"),
        published=date(2024, 3, 5),
        body=body,
    )
    undated = make_report(title="无地区报告", title_derived=True, region=None, body=body)
    theme = Theme.objects.create(slug="t-en", name="交往交流", name_en="Exchange <&>")
    plain = Theme.objects.create(slug="t-zh", name="只有中文")
    measure = Measure.objects.create(
        slug="m-a&b", name="活动<场次>", name_en="Events", kind="count"
    )
    for report in (dated, undated):
        programme = Programme.objects.create(
            report=report, key="p", start=0, end=100, title="项目<一>"
        )
        slogan = Initiative.objects.create(
            report=report,
            programme=programme,
            key="i1",
            start=0,
            end=10,
            title="口号甲",
            kind="slogan",
        )
        slogan.themes.set([theme, plain])
        Initiative.objects.create(
            report=report, programme=programme, key="i2", start=10, end=20, title="举措"
        )
        for k, (unit, chosen, period) in enumerate(
            [("场次", measure, "2023年上半年"), ("人", None, "")]
        ):
            Indicator.objects.create(
                report=report,
                programme=programme,
                initiative=slogan,
                key=f"q{k}",
                position=k,
                start=0,
                end=10,
                label=f"开展<{k}>",
                value=Decimal("150000"),
                unit=unit,
                qualifier="more_than",
                figure=f"15万余{unit}",
                measure=chosen,
                period=period,
                period_year=2023 if not period else None,
            )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("kind", SELECTORS)
def test_list_rows_print_what_the_item_template_prints(varied, kind, language):
    """A list page's rows read exactly as the same rows through the per-object item template."""
    request = RequestFactory().get("/")
    with translation.override(language):
        objects = list(SELECTORS[kind]())
        expected = "".join(
            render_to_string(f"catalogue/items/{kind}.html", {"object": o}, request=request)
            for o in objects
        )
        printed = render_to_string(
            f"catalogue/items/{kind}_rows.html", {"rows": LIST_ROWS[kind](objects)}, request=request
        )
    assert len(objects) >= 2
    assert printed == expected


def test_english_list_rows_use_english_names(client, varied):
    """On /en/ the rows name themes, measures and regions in English where they have it."""
    initiatives = client.get("/en/initiatives/").content.decode()
    indicators = client.get("/en/indicators/").content.decode()
    assert "Exchange &lt;&amp;&gt;" in initiatives and "只有中文" in initiatives
    assert ">Events</a>" in indicators and "/en/compare/?measure=m-a%26b" in indicators
    assert "Nei Mongol Autonomous Region › Huhehaote City › Xincheng District" in indicators
