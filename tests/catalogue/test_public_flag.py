"""The `public` flag of extracted rows follows hiding and rejection; search never shows a non-public row."""

from __future__ import annotations

import pytest

from catalogue import search
from catalogue.models import Indicator, Initiative, Programme, Report
from tests.catalogue.admin_support import make_editor
from tests.catalogue.test_pages import add_report
from tests.ingest.samples import COUNTY_REPORT
from tests.ingest.test_versions import EDITED, ingest, write

pytestmark = pytest.mark.django_db


def flags(*reports) -> dict[tuple[str, str], bool]:
    """(report title, row title or label) -> public flag, for every row of `reports`."""
    out = {}
    for model, name in ((Programme, "title"), (Initiative, "title"), (Indicator, "label")):
        for title, row, public in model.objects.filter(report__in=reports).values_list(
            "report__title", name, "public"
        ):
            out[title, row] = public
    return out


@pytest.fixture
def two_reports(make_report):
    """Two public reports, each with a programme, two initiatives and two figures."""
    return add_report(make_report, title="甲报告"), add_report(make_report, title="乙报告")


@pytest.fixture
def editor_client(client):
    """A client logged in as an editor."""
    client.force_login(make_editor())
    return client


def test_rows_of_public_reports_start_public(two_reports):
    """Rows nobody hid or rejected are public."""
    assert all(flags(*two_reports).values())


def test_hiding_a_report_flips_only_its_rows(editor_client, two_reports):
    """The admin hide action makes every row of that report non-public and no other row."""
    hidden, other = two_reports
    editor_client.post(
        "/admin/catalogue/report/", {"action": "hide", "_selected_action": [hidden.pk]}
    )
    after = flags(*two_reports)
    assert not any(v for (title, _), v in after.items() if title == "甲报告")
    assert all(v for (title, _), v in after.items() if title == "乙报告")
    editor_client.post(
        "/admin/catalogue/report/", {"action": "unhide", "_selected_action": [hidden.pk]}
    )
    assert all(flags(*two_reports).values())


def test_rejecting_a_programme_flips_it_and_everything_under_it(editor_client, two_reports):
    """A rejected programme takes its initiatives and their figures with it, in its report only."""
    report = two_reports[0]
    programme = Programme.objects.get(report=report)
    editor_client.post(
        "/admin/catalogue/programme/", {"action": "reject", "_selected_action": [programme.pk]}
    )
    after = flags(*two_reports)
    everything = [
        "强化宣传教育",
        "开展主题宣讲",
        "建设红石榴驿站",
        "开展宣讲活动",
        "建成驿站",
        "服务群众",
    ]
    hidden = [row for (title, row), v in after.items() if not v and title == "甲报告"]
    assert sorted(hidden) == sorted(everything)
    assert all(v for (title, _), v in after.items() if title == "乙报告")


def test_rejecting_an_initiative_flips_it_and_its_figures_only(editor_client, two_reports):
    """A rejected initiative hides itself and the figures under it; its programme and siblings stay."""
    report = two_reports[0]
    initiative = Initiative.objects.get(report=report, title="建设红石榴驿站")
    editor_client.post(
        "/admin/catalogue/initiative/", {"action": "reject", "_selected_action": [initiative.pk]}
    )
    after = flags(*two_reports)
    assert sorted(row for (title, row), v in after.items() if not v) == sorted(
        [
            "建设红石榴驿站",
            *Indicator.objects.filter(initiative=initiative).values_list("label", flat=True),
        ]
    )
    editor_client.post(
        "/admin/catalogue/initiative/", {"action": "restore", "_selected_action": [initiative.pk]}
    )
    assert all(flags(*two_reports).values())


def test_search_never_shows_a_non_public_row(two_reports):
    """Rows of a hidden report and under a rejected initiative are neither found nor counted."""
    hidden, other = two_reports
    hidden.hidden = True
    hidden.save(update_fields=["hidden"])
    Initiative.objects.filter(report=other, title="建设红石榴驿站").update(rejected=True)
    results = search.search("红石榴驿站")
    for section in results.sections:
        if section.kind == "report":
            continue
        assert all(hit.obj.public for hit in section.hits), section.kind
        assert all(hit.obj.report_id == other.pk for hit in section.hits), section.kind
    initiatives = next(s for s in results.sections if s.kind == "initiative")
    assert (initiatives.count, initiatives.hits) == (0, [])


def test_new_rows_of_a_hidden_report_are_not_public_after_ingest(tmp_path):
    """An edited file of a report staff hid brings new rows that stay off the public site."""
    path = write(tmp_path / "county.txt", COUNTY_REPORT)
    ingest(str(path))
    Report.objects.update(hidden=True, staff_fields=["hidden"])
    write(path, EDITED)
    ingest(str(path))
    assert Indicator.objects.filter(figure="6个").exists()
    assert not Indicator.objects.filter(public=True).exists()
    assert not Initiative.objects.filter(public=True).exists()
