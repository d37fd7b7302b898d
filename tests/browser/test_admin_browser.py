"""In a real browser: an editor logs in, corrects an indicator, and the public page shows it."""

import pytest
from django.contrib.auth.models import Group, User

from catalogue.models import Indicator, Region, Report

BODY = "一、强化宣传教育\n全年开展宣传活动130余场,覆盖群众2万人次。"


@pytest.fixture
def indicator() -> Indicator:
    """A public report with one machine-extracted indicator."""
    report = Report.objects.create(
        region=Region.objects.get(code="150102"),
        title="新城区民族团结进步创建工作",
        source_file="browser.txt",
        sha256="b" * 64,
        text=BODY,
        body=BODY,
        parser_version="test",
    )
    start = BODY.index("130余场")
    return Indicator.objects.create(
        report=report, key="n:1", start=start, end=start + 5, label="宣传活动", value=130,
        unit="场", qualifier="more_than", figure="130余场", quote="全年开展宣传活动130余场",
    )  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_corrects_an_indicator_and_the_public_report_shows_it(
    live_server, page, screenshot, indicator
):
    """Log in to the admin, change an indicator's label and value, find it on the report page."""
    user = User.objects.create_user("editor1", password="curate-carefully-42", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("input[name=username]", "editor1")
    page.fill("input[name=password]", "curate-carefully-42")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/catalogue/indicator/{indicator.pk}/change/")
    page.fill("input[name=label]", "文化宣讲场次")
    page.fill("input[name=value]", "150")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist li.success")
    screenshot("-admin")

    page.goto(f"{live_server.url}/reports/{indicator.report_id}/")
    links = page.locator(f'a[href="#q-{indicator.pk}"]')
    assert "文化宣讲场次" in links.first.inner_text()
    assert "宣传活动" not in links.first.inner_text()  # the machine label is gone
    screenshot()
    indicator.refresh_from_db()
    assert indicator.value == 150 and indicator.origin == "staff"
