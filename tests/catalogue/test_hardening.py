"""Hardening: admin logins are throttled and every page carries a strict Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from tests.catalogue.admin_support import make_editor
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


def _login(client, password: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "wang", "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_repeated_failed_admin_logins_lock_the_account_out(client):
    """After the allowed number of wrong passwords even the right one is refused for a while."""
    User.objects.create_user("wang", password="right-password-42", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wrong").status_code == 200  # the form again, with an error
    assert _login(client, "wrong").status_code == 429  # the last allowed failure locks
    response = _login(client, "right-password-42")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_good_login_before_the_limit_still_works(client):
    """A few typos do not lock a user out: the right password then logs in."""
    User.objects.create_user("wang", password="right-password-42", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "wrong")
    assert _login(client, "right-password-42").status_code == 302


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize(
    "url", ["/", "/reports/", "/indicators/", "/search/?q=宣讲", "/admin/login/"]
)
def test_pages_carry_a_policy_without_inline_code(client, make_report, url):
    """Scripts and styles may only come from our own origin; no page is framed."""
    add_report(make_report)
    policy = _policy(client.get(url))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"


@pytest.mark.parametrize(
    "url",
    ["/", "/regions/", "/regions/150102/", "/reports/", "/initiatives/", "/indicators/",
     "/compare/?unit=场次", "/search/?q=宣讲"],
)  # fmt: skip
def test_public_pages_have_no_inline_styles_or_scripts(client, make_report, url):
    """Pages obey the policy: no style attributes, <style> blocks or inline <script>."""
    report = add_report(make_report)
    for page_url in (url, f"/reports/{report.pk}/"):
        page = client.get(page_url).content.decode()
        assert not re.search(r"\sstyle=|<style|<script(?![^>]*\ssrc=)", page), page_url


def test_the_report_change_form_has_no_inline_styles(client, make_report):
    """The editors' marked-up report page keeps its colours under the policy (CSS in a file)."""
    report = add_report(make_report)
    client.force_login(make_editor())
    page = client.get(f"/admin/catalogue/report/{report.pk}/change/").content.decode()
    assert 'class="marked-body"' in page and "css/admin-report.css" in page
    assert not re.search(r"\sstyle=|<style", page)
