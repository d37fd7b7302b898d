"""Chinese full-text search: same segmentation as documents, ranked, highlighted, short-query fallback."""

import io
import re
from urllib.parse import quote_plus

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import search
from catalogue.models import Initiative, Report
from tests.catalogue.test_pages import BODY, add_report

pytestmark = pytest.mark.django_db

LISTS = {
    "report": "/reports/",
    "programme": "/programmes/",
    "initiative": "/initiatives/",
    "indicator": "/indicators/",
}


def test_search_finds_initiative_by_segmented_word_and_highlights_it(client, make_report):
    """红石榴 finds the initiative that mentions it, with the word marked in its snippet."""
    add_report(make_report)
    page = client.get("/search/?q=红石榴").content.decode()
    hits = page[page.index('id="h-initiative"') :]
    assert "<mark>红石榴</mark>" in hits
    initiative = Initiative.objects.get(title="建设红石榴驿站")
    assert f'href="/initiatives/{initiative.pk}/"' in hits


def test_all_query_words_must_match(client, make_report):
    """A two-word query finds rows having both words only."""
    add_report(make_report)
    page = client.get("/search/?q=红石榴 宣讲").content.decode()
    assert 'id="h-initiative"' not in page
    assert 'id="h-report"' in page  # the report text has both


def test_one_or_two_character_queries_match_substrings(client, make_report):
    """A single character finds rows containing it, and the page says substring matching was used."""
    add_report(make_report)
    page = client.get("/search/?q=榴").content.decode()
    assert "一两个字的检索按字串匹配" in page
    assert "<mark>榴</mark>" in page


def test_search_never_shows_hidden_or_rejected(client, make_report):
    """Hidden reports and rejected initiatives are not found."""
    add_report(make_report, hidden=True, title="隐藏")
    report = add_report(make_report)
    Initiative.objects.filter(report=report, title="建设红石榴驿站").update(rejected=True)
    page = client.get("/search/?q=红石榴").content.decode()
    assert 'id="h-initiative"' not in page and "隐藏" not in page


def test_search_escapes_the_query_and_the_text(client, make_report):
    """Markup in the query or the matched text is shown as text."""
    add_report(make_report, body=BODY + "红石榴<b>x</b>")
    page = client.get("/search/?q=<b>红石榴</b>").content.decode()
    assert "<b>x</b>" not in page and "<b>红石榴" not in page


def _section_count(page: str, kind: str) -> str:
    """The count the search page states for a kind ("0" when the kind has no section)."""
    match = re.search(rf'id="h-{kind}">[^<]*<span class="count">([^<]+)</span>', page)
    return match.group(1) if match else "0"


def _list_count(page: str) -> str:
    """The count a filtered list states ("共 N 条")."""
    return re.search(r"共 (\d+) 条", page).group(1)


SUBWORD_BODY = (
    "某市获评民族团结进步示范市。\n"
    "一、强化宣传教育\n"
    "一是开展主题宣讲,全年开展宣讲活动120余场次。"
    "二是建设红石榴驿站,建成驿站8个,服务群众5000人次。\n"
)


def _ingested_like(make_report, body: str = SUBWORD_BODY, **fields):
    """A report with extracted rows whose tokens are recomputed as `reindex_search` does."""
    report = add_report(make_report, body=body, **fields)
    call_command("reindex_search", stdout=io.StringIO())
    return report


@pytest.mark.parametrize("q", ["示范市", "进步示范市", "红石榴", "驿站", "石榴驿站"])
def test_a_part_of_a_long_word_finds_the_report(client, make_report, q):
    """A head or modifier of a long word (示范市 of 民族团结进步示范市) finds the report."""
    report = _ingested_like(make_report, title="年度总结")
    page = client.get("/search/", {"q": q}).content.decode()
    assert f'href="/reports/{report.pk}/"' in page
    assert f"<mark>{q}</mark>" in page


def test_a_run_whose_words_lie_apart_does_not_match(client, make_report):
    """示范市 needs the characters together: a report with 示范 and 市 apart is not found."""
    make_report(body="某市建设示范街区。\n", title="街区")
    call_command("reindex_search", stdout=io.StringIO())
    page = client.get("/search/", {"q": "示范市"}).content.decode()
    assert 'id="h-report"' not in page and "没有找到结果" in page


def test_long_queries_search_report_bodies(client, make_report):
    """A query of three or more characters finds a report whose body alone contains it."""
    body = "某旗开展牧区流动宣讲,覆盖全部嘎查。\n"
    report = make_report(body=body, title="年度总结")
    call_command("reindex_search", stdout=io.StringIO())
    page = client.get("/search/", {"q": "流动宣讲"}).content.decode()
    assert f'href="/reports/{report.pk}/"' in page


def test_reindex_search_brings_old_tokens_up_to_date(client, make_report):
    """Rows stored with old tokens are found by a sub-word after `manage.py reindex_search`."""
    report = add_report(make_report, body=SUBWORD_BODY, title="年度总结")
    Report.objects.filter(pk=report.pk).update(search_tokens="年度总结")
    assert 'id="h-report"' not in client.get("/search/?q=示范市").content.decode()
    out = io.StringIO()
    call_command("reindex_search", "--batch", "1", stdout=out)
    assert "Report: 1 rows, 1 updated" in out.getvalue()
    assert f'href="/reports/{report.pk}/"' in client.get("/search/?q=示范市").content.decode()


@pytest.mark.parametrize("q", ["红石榴", "红石榴 驿站", "示范市", "宣讲活动", "榴", "驿站"])
def test_each_kind_count_equals_its_filtered_list(client, make_report, q):
    """The count each kind shows on the search page is the count of its list filtered by q."""
    for n in range(23):  # more than a page of search hits
        _ = add_report(make_report, body=SUBWORD_BODY + f"第{n}次。", title=f"总结{n}")
    add_report(make_report, body=BODY, title="另一篇")
    call_command("reindex_search", stdout=io.StringIO())
    page = client.get("/search/", {"q": q}).content.decode()
    stated = 0
    for kind, url in LISTS.items():
        listed = _list_count(client.get(url, {"q": q}).content.decode())
        assert _section_count(page, kind) == listed, kind
        if listed != "0":
            assert f'href="{url}?q={quote_plus(q)}"' in page
        stated += int(listed)
    assert stated > 20


def test_counts_past_the_bound_say_so(client, make_report, monkeypatch):
    """Past the counting bound a kind's count reads "N+" and links to its full list."""
    monkeypatch.setattr(search, "COUNT_BOUND", 3)
    for n in range(5):
        add_report(make_report, title=f"总结{n}")
    call_command("reindex_search", stdout=io.StringIO())
    page = client.get("/search/", {"q": "红石榴"}).content.decode()
    assert _section_count(page, "initiative") == "3+"
    assert f'href="/initiatives/?q={quote_plus("红石榴")}"' in page


def test_query_runs_inside_other_runs_are_not_required(client, make_report):
    """红石榴 驿站 asks the database for 红石榴 and 驿站 only, never for 石榴 on its own."""
    add_report(make_report)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/search/", {"q": "红石榴 驿站 石榴"}).content.decode()
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "'红石榴'" in sql and "'驿站'" in sql and "'石榴'" not in sql
    assert 'id="h-initiative"' in page
