"""Staff curation in the admin: corrections are staff-owned, visible, searchable and recorded."""

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from catalogue.models import Indicator, Initiative, Origin, Programme, Region, Report, Theme
from tests.ingest.samples import COUNTY_REPORT

from .admin_support import make_editor, post_change

pytestmark = pytest.mark.django_db

BODY = "一、强化宣传教育\n全年开展宣传活动130余场,覆盖群众2万人次。\n二、推进互嵌\n建成互嵌式社区12个。"


@pytest.fixture
def editor_client(client):
    """A client logged in as an editor."""
    client.force_login(make_editor())
    return client


@pytest.fixture
def report(make_report):
    """A report with one programme, one initiative and two indicators, as ingest leaves them."""
    report = make_report(body=BODY, region=Region.objects.get(code="150102"), summary="导语")
    programme = Programme.objects.create(
        report=report, key="p:1", start=0, end=31, title="强化宣传教育"
    )
    Initiative.objects.create(
        report=report,
        key="i:1",
        programme=programme,
        start=9,
        end=31,
        title="宣传活动",
        text="全年开展宣传活动130余场",
    )
    start = BODY.index("130余场")
    Indicator.objects.create(
        report=report,
        key="n:1",
        programme=programme,
        start=start,
        end=start + 5,
        label="宣传活动",
        value=130,
        unit="场",
        qualifier="more_than",
        figure="130余场",
        quote="全年开展宣传活动130余场",
    )
    start = BODY.index("12个")
    Indicator.objects.create(
        report=report,
        key="n:2",
        start=start,
        end=start + 3,
        label="互嵌式社区",
        value=12,
        unit="个",
        figure="12个",
        quote="建成互嵌式社区12个",
    )
    return report


def test_editor_group_can_curate_but_not_manage_users(client):
    """The editor group exists after migrate; an editor reaches catalogue admin, not users or groups."""
    group = Group.objects.get(name="editor")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_report", "change_indicator", "add_indicator", "view_region"} <= codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_permission"))}
    client.force_login(make_editor())
    assert client.get("/admin/catalogue/indicator/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_anonymous_admin_visitor_is_sent_to_login(client):
    """Someone not logged in is redirected to the admin login page."""
    response = client.get("/admin/catalogue/report/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_make_editor_creates_a_staff_account_in_the_group(capsys):
    """`manage.py make_editor NAME` leaves a staff, non-superuser account in the editor group."""
    call_command("make_editor", "wang")
    from django.contrib.auth.models import User

    user = User.objects.get(username="wang")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name="editor").exists()
    assert "changepassword wang" in capsys.readouterr().out


def test_report_page_marks_spans_and_shows_markup_as_text(editor_client, make_report):
    """The report page shows its text with extracted spans marked; HTML in a report is escaped."""
    body = "开展<script>alert(1)</script>活动5场。"
    report = make_report(body=body)
    start = body.index("5场")
    Indicator.objects.create(
        report=report, key="n", start=start, end=start + 2, label="活动", value=5, unit="场",
        figure="5场", quote=body,
    )  # fmt: skip
    page = editor_client.get(f"/admin/catalogue/report/{report.pk}/change/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert '<mark class="span-indicator" data-kind="indicator" title="活动">5场</mark>' in page


def test_correcting_an_indicator_makes_it_staff_owned_and_searchable(editor_client, report):
    """A changed value and label are kept as staff-owned, and search finds the new label."""
    indicator = report.indicators.get(key="n:2")
    url = f"/admin/catalogue/indicator/{indicator.pk}/change/"
    response = post_change(editor_client, url, value="15", label="嵌入式社区")
    assert response.status_code == 302, response.context["adminform"].form.errors
    indicator.refresh_from_db()
    assert indicator.value == Decimal(15) and indicator.origin == Origin.STAFF
    assert "嵌入式" in indicator.search_tokens.split() or "嵌入" in indicator.search_tokens
    listing = editor_client.get("/admin/catalogue/indicator/", {"q": "嵌入式社区"})
    assert list(listing.context["cl"].result_list) == [indicator]


def test_unchanged_save_leaves_a_machine_row_to_the_machine(editor_client, report):
    """Saving a form without changes does not take the row away from ingest."""
    indicator = report.indicators.get(key="n:2")
    post_change(editor_client, f"/admin/catalogue/indicator/{indicator.pk}/change/")
    indicator.refresh_from_db()
    assert indicator.origin == Origin.MACHINE


def test_changing_a_report_region_lists_it_as_staff_field(editor_client, report):
    """A corrected region is recorded in staff_fields, which ingest skips."""
    url = f"/admin/catalogue/report/{report.pk}/change/"
    response = post_change(editor_client, url, region="450205")
    assert response.status_code == 302, response.context["adminform"].form.errors
    report.refresh_from_db()
    assert report.region_id == "450205"
    assert "region" in report.staff_fields
    assert "title" not in report.staff_fields


def test_changing_a_report_title_updates_its_search_tokens(editor_client, report):
    """A corrected title is searchable at once."""
    url = f"/admin/catalogue/report/{report.pk}/change/"
    post_change(editor_client, url, title="柳北区民族团结进步创建工作总结")
    report.refresh_from_db()
    assert "柳北区" in report.search_tokens.split()
    assert {"title", "search_tokens"} <= set(report.staff_fields)


def test_inline_edits_on_the_report_page_are_staff_owned(editor_client, report):
    """Editing an indicator and rejecting a programme beside the report text claims both rows."""
    url = f"/admin/catalogue/report/{report.pk}/change/"
    page = editor_client.get(url)
    indicators = page.context["inline_admin_formsets"][2].formset
    row = next(f.prefix for f in indicators.forms if f.instance.key == "n:1")
    programmes = page.context["inline_admin_formsets"][0].formset
    response = post_change(
        editor_client,
        url,
        **{f"{row}-value": "131", f"{programmes.forms[0].prefix}-rejected": True},
    )
    assert response.status_code == 302
    changed = report.indicators.get(key="n:1")
    assert changed.value == 131 and changed.origin == Origin.STAFF
    assert report.indicators.get(key="n:2").origin == Origin.MACHINE
    assert report.programmes.get().rejected


def test_staff_add_a_missed_indicator_with_its_quote(editor_client, report):
    """A hand-added indicator gets a staff key and the offsets of its quote in the text."""
    response = editor_client.post(
        "/admin/catalogue/indicator/add/",
        {
            "report": report.pk,
            "label": "覆盖群众",
            "value": "20000",
            "unit": "人次",
            "qualifier": "exact",
            "quote": "覆盖群众2万人次",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Indicator.objects.get(label="覆盖群众")
    assert added.key.startswith("staff:") and added.origin == Origin.STAFF
    assert report.body[added.start : added.end] == "覆盖群众2万人次"
    assert added.figure == "20000人次"
    assert added.position == 1  # between the two machine indicators, in text order
    assert "覆盖" in added.search_tokens


def test_an_indicator_whose_quote_is_not_in_the_report_is_refused(editor_client, report):
    """A quote that is not in the report's text is a form error, and nothing is saved."""
    response = editor_client.post(
        "/admin/catalogue/indicator/add/",
        {"report": report.pk, "label": "x", "value": "1", "unit": "个", "qualifier": "exact",
         "quote": "报告里没有这句话"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "找不到这段原文" in response.content.decode()
    assert report.indicators.count() == 2


def test_machine_rows_cannot_be_deleted_but_staff_added_ones_can(editor_client, report):
    """A wrong machine row is rejected (deleting would return on ingest); a staff row may go."""
    machine = report.indicators.get(key="n:1")
    assert editor_client.get(f"/admin/catalogue/indicator/{machine.pk}/delete/").status_code == 403
    staff = Indicator.objects.create(
        report=report, key="staff:x", origin="staff", start=0, end=1, label="x", value=1,
        unit="个", figure="1个", quote="一",
    )  # fmt: skip
    response = editor_client.post(f"/admin/catalogue/indicator/{staff.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=staff.pk).exists()


def test_reject_action_hides_rows_from_public_querysets(editor_client, report):
    """Rejected rows and rows of hidden reports are absent from the public querysets."""
    rejected = report.indicators.get(key="n:1")
    editor_client.post(
        "/admin/catalogue/indicator/",
        {"action": "reject", "_selected_action": [rejected.pk]},
    )
    rejected.refresh_from_db()
    assert rejected.rejected and rejected.origin == Origin.STAFF
    assert list(Indicator.objects.public()) == [report.indicators.get(key="n:2")]
    editor_client.post(
        "/admin/catalogue/report/", {"action": "hide", "_selected_action": [report.pk]}
    )
    assert not Indicator.objects.public().exists()
    assert not Programme.objects.public().exists()
    assert not Initiative.objects.public().exists()
    assert not Report.objects.published().exists()


def test_review_action_is_recorded_with_its_author(editor_client, report):
    """Marking reviewed saves the status and the history names who did it."""
    editor_client.post(
        "/admin/catalogue/report/", {"action": "mark_reviewed", "_selected_action": [report.pk]}
    )
    report.refresh_from_db()
    assert report.review_status == Report.Review.REVIEWED
    latest = report.history.latest()
    assert latest.history_user.username == "editor1"
    page = editor_client.get(f"/admin/catalogue/report/{report.pk}/history/").content.decode()
    assert "editor1" in page


def test_an_edit_can_be_reverted_from_history(editor_client, report):
    """Reverting to an earlier version restores the value and keeps the row staff-owned."""
    indicator = report.indicators.get(key="n:2")
    url = f"/admin/catalogue/indicator/{indicator.pk}/change/"
    post_change(editor_client, url, value="99")  # creates the first history row with the edit
    first = indicator.history.earliest()
    revert_url = f"/admin/catalogue/indicator/{indicator.pk}/history/{first.history_id}/"
    post_change(editor_client, revert_url, value="12")
    indicator.refresh_from_db()
    assert indicator.value == 12 and indicator.origin == Origin.STAFF


def test_flag_filter_finds_reports_ingest_flagged(editor_client, make_report):
    """The flag filter lists only reports carrying that flag."""
    flagged = make_report(flags=["region_undecided"])
    make_report(flags=["title_derived"])
    listing = editor_client.get("/admin/catalogue/report/", {"flag": "region_undecided"})
    assert list(listing.context["cl"].result_list) == [flagged]


def test_province_filter_and_chinese_search_on_reports(editor_client, make_report):
    """Reports are found by province and by a Chinese word in the title or region name."""
    nmg = make_report(region=Region.objects.get(code="150102"), title="新城区创建工作")
    gx = make_report(region=Region.objects.get(code="450205"), title="柳北区创建工作")
    assert list(editor_client.get("/admin/catalogue/report/", {"province": "45"}).context[
        "cl"].result_list) == [gx]  # fmt: skip
    assert list(editor_client.get("/admin/catalogue/report/", {"q": "新城"}).context[
        "cl"].result_list) == [nmg]  # fmt: skip


def test_initiative_themes_can_be_corrected(editor_client, report):
    """Changing an initiative's themes makes it staff-owned so ingest keeps the staff's themes."""
    theme = Theme.objects.create(slug="test-publicity", name="测试主题")
    initiative = report.initiatives.get()
    url = f"/admin/catalogue/initiative/{initiative.pk}/change/"
    response = post_change(editor_client, url, themes=[str(theme.pk)])
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiative.refresh_from_db()
    assert list(initiative.themes.all()) == [theme]
    assert initiative.origin == Origin.STAFF


def test_a_correction_of_an_ingested_row_can_be_reverted_to_the_machine_value(
    editor_client, tmp_path
):
    """Ingest records no history for the rows it inserts; the first staff edit keeps the
    machine's values as a version, so reverting restores what ingest extracted."""
    (tmp_path / "r.txt").write_text(COUNTY_REPORT, encoding="utf-8")
    call_command("ingest", str(tmp_path), stdout=io.StringIO())
    indicator = Indicator.objects.get(figure="80余场次")
    url = f"/admin/catalogue/indicator/{indicator.pk}/change/"
    post_change(editor_client, url, value="81")
    versions = list(indicator.history.order_by("history_date"))
    assert [v.value for v in versions] == [80, 81]
    assert versions[0].history_user is None and versions[1].history_user.username == "editor1"
    revert = editor_client.get(
        f"/admin/catalogue/indicator/{indicator.pk}/history/{versions[0].history_id}/"
    )
    assert revert.context["adminform"].form.initial["value"] == 80
