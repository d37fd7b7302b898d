"""Row pages rendered once per catalogue version: cheap to repeat, never stale after a change."""

from __future__ import annotations

import pytest

from catalogue.models import Indicator, Initiative, Programme, Report
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


ROWS = {
    "reports": lambda report: report.pk,
    "programmes": lambda report: Programme.objects.get(report=report).pk,
    "initiatives": lambda report: report.initiatives.first().pk,
    "indicators": lambda report: Indicator.objects.filter(report=report).first().pk,
}


@pytest.mark.parametrize("kind", ROWS)
def test_a_repeated_row_page_costs_one_query(client, make_report, django_assert_num_queries, kind):
    """The second reader of a row page gets the same page for one query (the version)."""
    report = add_report(make_report)
    pk = ROWS[kind](report)
    first = client.get(f"/{kind}/{pk}/").content
    with django_assert_num_queries(1):  # no session, user or message lookups either
        again = client.get(f"/{kind}/{pk}/")
    assert again.content == first
    assert not again.cookies  # an anonymous reader is given no cookie


def test_a_hidden_report_is_gone_at_once(client, make_report):
    """Hiding a report by a bulk update (no save signal) takes its kept page down too."""
    report = add_report(make_report)
    urls = [f"/{kind}/{pk(report)}/" for kind, pk in ROWS.items()]
    assert [client.get(url).status_code for url in urls] == [200] * 4
    Report.objects.filter(pk=report.pk).update(hidden=True)
    assert [client.get(url).status_code for url in urls] == [404] * 4


def test_a_correction_shows_on_the_next_request(client, make_report):
    """A title corrected in bulk and an initiative rejected show on the very next request."""
    report = add_report(make_report)
    rejected = Initiative.objects.get(report=report, title="建设红石榴驿站")
    assert "建设红石榴驿站" in client.get(f"/reports/{report.pk}/").content.decode()
    Programme.objects.filter(report=report).update(title="改过的工作项目")
    Initiative.objects.filter(pk=rejected.pk).update(rejected=True)
    Indicator.objects.filter(report=report, label="开展宣讲活动").update(label="改过的指标")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "改过的工作项目" in page and "改过的指标" in page
    assert f'href="/initiatives/{rejected.pk}/"' not in page


def test_each_language_has_its_own_page(client, make_report):
    """The English page of a row is English even right after the Chinese one was kept."""
    report = add_report(make_report)
    assert "工作项目、举措与指标" in client.get(f"/reports/{report.pk}/").content.decode()
    english = client.get(f"/en/reports/{report.pk}/").content.decode()
    assert "工作项目、举措与指标" not in english and 'lang="en"' in english


@pytest.mark.parametrize("kind", ["programmes", "initiatives", "indicators"])
def test_a_kept_page_cites_the_address_it_was_read_at(client, make_report, kind):
    """The citation of a kept row page names the host the reader asked, not the first's."""
    pk = ROWS[kind](add_report(make_report))
    client.get(f"/{kind}/{pk}/", HTTP_HOST="localhost")
    page = client.get(f"/{kind}/{pk}/", HTTP_HOST="127.0.0.1").content.decode()
    assert f"http://127.0.0.1/{kind}/{pk}/" in page
    assert "http://localhost/" not in page
