"""The list pages' filter forms: every choice offered, the chosen one selected, few round trips."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue import filters
from catalogue.models import Indicator, Initiative, Measure, Region, Report, Theme

pytestmark = pytest.mark.django_db


def test_filter_selects_offer_every_choice_and_keep_the_chosen_one(client):
    """The theme, measure and province selects list every row, the chosen one selected."""
    Theme.objects.create(slug="t-one", name="主题一")
    Theme.objects.create(slug="t-two", name="主题二")
    Measure.objects.create(slug="m-one", name="度量一", kind="count")
    page = client.get("/indicators/?theme=t-two&province=150000").content.decode()
    for theme in Theme.objects.all():
        assert f'value="{theme.slug}"' in page
    for measure in Measure.objects.all():
        assert f'value="{measure.slug}"' in page
    assert page.count('<option value="') >= Region.objects.filter(level="province").count()
    assert '<option value="t-two" selected>主题二</option>' in page
    assert '<option value="150000" selected>' in page


@pytest.mark.parametrize("url", ["/reports/", "/initiatives/", "/indicators/?theme=t-one"])
def test_filter_choices_are_read_without_server_side_cursors(client, url):
    """Select choices come in one query each, not DECLARE/FETCH/CLOSE round trips."""
    Theme.objects.create(slug="t-one", name="主题一")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DECLARE")]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("filterset", "model"),
    [
        (filters.ReportFilter, Report),
        (filters.InitiativeFilter, Initiative),
        (filters.IndicatorFilter, Indicator),
    ],
)
def test_quick_selects_print_what_django_prints(filterset, model, language):
    """Each filter select prints exactly Django's own select markup, chosen values included."""
    Theme.objects.create(slug="t-one", name="主题<一>", name_en="One & two")
    Measure.objects.create(slug="m-one", name="度量一", name_en="Events", kind="count")
    data = {"theme": "t-one", "province": "150000", "level": "county", "o": "-published"}
    with translation.override(language):
        form = filterset(data, queryset=model.objects.none()).form
        selects = [f for f in form if f.field.widget.template_name == filters.QUICK_SELECT]
        quick = [str(f) for f in selects]
        for f in selects:
            f.field.widget.template_name = forms.Select.template_name
        assert quick == [str(f) for f in selects]
    assert len(selects) >= 3 and any(" selected>" in html for html in quick)
