"""A report with thousands of extractions gives a page of bounded size, with a note saying so."""

import pytest

from catalogue.models import Indicator, Initiative, Programme
from catalogue.selectors import reports as selectors


def _big_report(make_report, n: int):
    """A report whose text has n figures, each extracted as an indicator of one initiative."""
    sentences = [f"开展第{i}次宣讲活动{i + 1}场次。" for i in range(n)]
    body = "一、宣传教育\n" + "".join(sentences)
    report = make_report(body=body)
    programme = Programme.objects.create(
        report=report, key="p", start=0, end=len(body), title="宣传教育"
    )
    initiative = Initiative.objects.create(
        report=report,
        key="i",
        programme=programme,
        start=7,
        end=len(body),
        title="宣讲",
        text="宣讲",
    )
    indicators, offset = [], body.index("开展")
    for i, sentence in enumerate(sentences):
        figure = f"{i + 1}场次"
        start = offset + sentence.index(figure)
        indicators.append(
            Indicator(
                report=report,
                key=f"q{i}",
                position=i,
                programme=programme,
                initiative=initiative,
                start=start,
                end=start + len(figure),
                label="宣讲活动",
                value=i + 1,
                unit="场次",
                figure=figure,
                quote=sentence,
            )
        )
        offset += len(sentence)
    Indicator.objects.bulk_create(indicators)
    return report


@pytest.mark.parametrize("n", [40, 120])
def test_report_page_shows_the_first_items_and_says_how_many_there_are(
    client, make_report, monkeypatch, django_assert_max_num_queries, n
):
    """Past the limit, the page lists the first indicators in text order and notes the total."""
    monkeypatch.setattr(selectors, "REPORT_ITEMS_SHOWN", 25)
    report = _big_report(make_report, n)
    with django_assert_max_num_queries(10):
        page = client.get(f"/reports/{report.pk}/").content.decode()
    assert page.count('class="k-indicator" id=') == 25
    assert f"指标 25/{n}" in page
    first = Indicator.objects.get(report=report, position=0)
    assert f'id="q-{first.pk}"' in page
    last = Indicator.objects.get(report=report, position=n - 1)
    assert f'id="q-{last.pk}"' not in page


def test_long_report_text_is_cut_with_a_note(client, make_report, monkeypatch):
    """A body longer than the page shows is cut there, and the page says how much is left out."""
    monkeypatch.setattr(selectors, "REPORT_TEXT_SHOWN", 200)
    report = _big_report(make_report, 60)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"正文太长,本页只显示前 200 个字(共 {len(report.body)} 个字)" in page
    assert "开展第59次宣讲活动" not in page


def test_ordinary_report_page_has_no_note(client, make_report):
    """A report within the limits is shown whole, without a truncation note."""
    report = _big_report(make_report, 10)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert page.count('class="k-indicator" id=') == 10
    assert "truncated" not in page
