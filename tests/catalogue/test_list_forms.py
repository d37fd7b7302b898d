"""The list pages' filter forms: every choice offered, the chosen one selected, few round trips."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Measure, Region, Theme

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
