"""The API lists count as the pages do: up to 10,000 for the whole list, FACET_BOUND filtered."""

from __future__ import annotations

import pytest

from catalogue.api.params import FILTERED_COUNT_CAP
from catalogue.models import Indicator, Region

pytestmark = pytest.mark.django_db

API = "/api/v1"


def indicators(make_report, n: int) -> None:
    """`n` indicators (unit 场次) of one Xincheng report."""
    report = make_report(region=Region.objects.get(code="150102"), body="甲" * (n + 1))
    Indicator.objects.bulk_create(
        Indicator(report=report, key=f"q{k}", position=k, start=k, end=k + 1, label="活动", value=k, unit="场次", figure=f"{k}场次", quote="甲")
        for k in range(n)
    )  # fmt: skip


def test_a_filtered_api_list_counts_up_to_its_bound_and_pages_on(client, make_report):
    """Past the filtered bound the count stops there and says so; the pages still go on."""
    indicators(make_report, FILTERED_COUNT_CAP + 5)
    size = 200
    first = client.get(f"{API}/indicators/?unit=场次&page_size={size}").json()
    assert first["count"] == FILTERED_COUNT_CAP and first["capped"] is True
    last_page = FILTERED_COUNT_CAP // size + 1
    last = client.get(f"{API}/indicators/?unit=场次&page_size={size}&page={last_page}").json()
    assert len(last["items"]) == 5 and last["next"] is None
    before = client.get(f"{API}/indicators/?unit=场次&page_size={size}&page={last_page - 1}")
    assert f"page={last_page}" in before.json()["next"]


def test_an_unfiltered_api_list_counts_past_the_filtered_bound(client, make_report):
    """The whole list counts beyond the filtered bound (up to 10,000)."""
    indicators(make_report, FILTERED_COUNT_CAP + 5)
    whole = client.get(f"{API}/indicators/").json()
    assert whole["count"] == FILTERED_COUNT_CAP + 5 and whole["capped"] is False
