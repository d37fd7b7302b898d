"""Search on the real seed reports: sub-words find the reports, and counts agree with the lists."""

import io
import re

import pytest
from django.core.management import call_command

from catalogue.models import Report

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

LISTS = {
    "report": "/reports/",
    "programme": "/programmes/",
    "initiative": "/initiatives/",
    "indicator": "/indicators/",
}


@pytest.fixture
def seeded(seeds_dir):
    """The seed reports ingested as `manage.py ingest` does."""
    call_command("ingest", str(seeds_dir), stdout=io.StringIO(), stderr=io.StringIO())
    assert Report.objects.exists()


def _report_links(page: str) -> set[int]:
    section = page[page.index('id="h-report"') :] if 'id="h-report"' in page else ""
    section = section[: section.find("</section>")]
    return {int(pk) for pk in re.findall(r'class="title" href="/reports/(\d+)/"', section)}


@pytest.mark.parametrize("q", ["示范市", "红石榴", "石榴籽"])
def test_a_sub_word_finds_every_report_containing_it(client, seeded, q):
    """`/search/?q=示范市` lists exactly the public reports whose title or body contains it."""
    expected = {
        r.pk for r in Report.objects.published() if q in r.title or q in r.body or q in r.summary
    }
    page = client.get("/search/", {"q": q}).content.decode()
    assert _report_links(page) == expected
    if q == "示范市":
        assert expected  # the seeds do mention it


@pytest.mark.parametrize(
    "q", ["民族", "示范市", "红石榴", "驿站", "宣讲", "铸牢中华民族共同体意识"]
)
def test_search_counts_equal_the_filtered_lists(client, seeded, q):
    """Every kind's count on the search page equals the count of its list filtered by q."""
    page = client.get("/search/", {"q": q}).content.decode()
    for kind, url in LISTS.items():
        listed = re.search(r"共 (\d+) 条", client.get(url, {"q": q}).content.decode()).group(1)
        stated = re.search(rf'id="h-{kind}">[^<]*<span class="count">([^<]+)</span>', page)
        assert (stated.group(1) if stated else "0") == listed, kind
