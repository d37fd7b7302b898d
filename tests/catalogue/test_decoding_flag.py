"""Staff find the reports whose bytes ingest had to repair."""

import pytest

from .admin_support import make_editor

pytestmark = pytest.mark.django_db


def test_flag_filter_offers_decoding_repaired(client, make_report):
    """The admin flag filter lists reports flagged decoding_repaired, under a readable name."""
    client.force_login(make_editor())
    repaired = make_report(flags=["decoding_repaired"])
    make_report(flags=["title_derived"])
    listing = client.get("/admin/catalogue/report/", {"flag": "decoding_repaired"})
    assert list(listing.context["cl"].result_list) == [repaired]
    assert "编码已修复" in listing.content.decode()
