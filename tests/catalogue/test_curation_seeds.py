"""End to end on the real seed reports: staff corrections in the admin survive `ingest --force`."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from catalogue.models import Indicator, Initiative, Origin, Programme, Report

from .admin_support import make_editor, post_change

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def ingest(*args) -> None:
    call_command("ingest", *map(str, args), stdout=io.StringIO(), stderr=io.StringIO())


def counts() -> tuple[int, int, int, int]:
    return tuple(m.objects.count() for m in (Report, Programme, Initiative, Indicator))


@pytest.fixture
def curated(client, seeds_dir):
    """Seeds ingested; an editor corrected an indicator and a report's region and rejected one."""
    ingest(seeds_dir)
    editor = make_editor()
    client.force_login(editor)
    report = next(r for r in Report.objects.order_by("pk") if r.indicators.count() >= 2)
    corrected, rejected = report.indicators.order_by("position")[:2]
    region = "450205" if report.region_id != "450205" else "150102"

    for response in (
        post_change(
            client,
            f"/admin/catalogue/indicator/{corrected.pk}/change/",
            value="4321",
            label="人工校正的指标",
        ),
        post_change(client, f"/admin/catalogue/report/{report.pk}/change/", region=region),
        post_change(client, f"/admin/catalogue/indicator/{rejected.pk}/change/", rejected=True),
    ):
        assert response.status_code == 302, response.context["adminform"].form.errors
    return {
        "client": client,
        "report": report,
        "corrected": corrected,
        "rejected": rejected,
        "region": region,
        "counts": counts(),
        "seeds": seeds_dir,
    }


def test_corrections_survive_forced_reingest(curated):
    """After `ingest --force` the corrections stand, the rejection holds and nothing is duplicated."""
    ingest("--force", curated["seeds"])
    corrected, rejected, report = curated["corrected"], curated["rejected"], curated["report"]
    corrected.refresh_from_db()
    rejected.refresh_from_db()
    report.refresh_from_db()
    assert corrected.value == Decimal(4321) and corrected.label == "人工校正的指标"
    assert corrected.origin == Origin.STAFF
    assert report.region_id == curated["region"]
    assert rejected.rejected
    assert report.indicators.filter(quote=rejected.quote, figure=rejected.figure).count() == 1
    assert counts() == curated["counts"]


def test_history_names_the_editor_for_each_edit(curated):
    """The admin history pages show both edits with the editor's name."""
    client = curated["client"]
    ingest("--force", curated["seeds"])
    for url in (
        f"/admin/catalogue/indicator/{curated['corrected'].pk}/history/",
        f"/admin/catalogue/report/{curated['report'].pk}/history/",
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "editor1" in page.content.decode()
    edits = curated["corrected"].history.filter(history_user__username="editor1")
    assert [h.value for h in edits] == [Decimal(4321)]
    report_edits = curated["report"].history.filter(history_user__username="editor1")
    assert [h.region_id for h in report_edits] == [curated["region"]]


def test_public_data_shows_corrections_and_not_the_rejected(curated, client):
    """Public querysets and the public report page show the corrected values, never the rejected row."""
    ingest("--force", curated["seeds"])
    report, corrected, rejected = curated["report"], curated["corrected"], curated["rejected"]
    public = Indicator.objects.public().filter(report=report)
    assert public.get(pk=corrected.pk).value == Decimal(4321)
    assert not public.filter(pk=rejected.pk).exists()
    assert Report.objects.published().get(pk=report.pk).region_id == curated["region"]

    client.logout()
    page = client.get(f"/reports/{report.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "人工校正的指标" in html
    assert f'href="#q-{corrected.pk}"' in html
    assert f'href="#q-{rejected.pk}"' not in html


def test_editor_is_refused_user_management(curated):
    """An editor cannot open user management."""
    assert curated["client"].get("/admin/auth/user/").status_code == 403


def test_reextract_action_keeps_corrections(curated):
    """Re-extracting from the stored text with the current parser keeps staff work and adds nothing."""
    client, report = curated["client"], curated["report"]
    response = client.post(
        "/admin/catalogue/report/",
        {"action": "reextract", "_selected_action": [r.pk for r in Report.objects.all()]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("0 篇失败" in m for m in messages), messages
    curated["corrected"].refresh_from_db()
    curated["rejected"].refresh_from_db()
    report.refresh_from_db()
    assert curated["corrected"].value == Decimal(4321)
    assert curated["rejected"].rejected
    assert report.region_id == curated["region"]
    assert counts() == curated["counts"]
