"""The lighter middleware of public pages: the same headers, and the admin still has its
sessions, CSRF, login and messages."""

from __future__ import annotations

import pytest
from csp.utils import build_policy
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import RequestFactory

from catalogue.middleware import CSPMiddleware, is_public_read
from tests.catalogue.test_pages import add_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "public"),
    [
        ("get", "/reports/1/", True),
        ("head", "/en/initiatives/", True),
        ("get", "/api/v1/reports/", True),
        ("get", "/admin/", False),
        ("get", "/admin/login/", False),
        ("post", "/admin/login/", False),
        ("post", "/reports/1/", False),
    ],
)
def test_only_gets_outside_the_admin_are_public_reads(method, path, public):
    """Sessions and users are skipped for GET/HEAD outside /admin/ only."""
    assert is_public_read(getattr(RequestFactory(), method)(path)) is public


def test_a_public_page_carries_the_policy_django_csp_builds(client, make_report):
    """The header built once is the one django-csp builds from the settings."""
    report = add_report(make_report)
    for url in ("/", f"/reports/{report.pk}/", "/admin/login/"):
        assert client.get(url)["Content-Security-Policy"] == build_policy()


def test_a_changed_policy_setting_is_sent_at_once(client, settings):
    """A new CONTENT_SECURITY_POLICY is what the next response carries."""
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'", "data:"]}}
    assert client.get("/about/")["Content-Security-Policy"] == "default-src 'self' data:"


@pytest.mark.parametrize(
    ("attribute", "value", "expected"),
    [
        ("_csp_update", {"img-src": ["https://tiles.example"]}, "https://tiles.example"),
        ("_csp_replace", {"script-src": ["'none'"]}, "script-src 'none'"),
    ],
)
def test_a_view_that_changes_the_policy_still_gets_its_change(attribute, value, expected):
    """Responses marked by django-csp's decorators get django-csp's own header."""
    response = HttpResponse("x")
    setattr(response, attribute, value)
    middleware = CSPMiddleware(lambda request: response)
    assert expected in middleware(RequestFactory().get("/about/"))["Content-Security-Policy"]


def test_an_exempt_response_gets_no_policy():
    """A response django-csp exempts (csp_exempt) carries no header."""
    response = HttpResponse("x")
    response._csp_exempt = True
    middleware = CSPMiddleware(lambda request: response)
    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/about/"))


def test_a_public_page_sets_no_cookie_even_for_a_signed_in_editor(client, make_report):
    """Public pages neither read nor write a session: no Set-Cookie, no Vary: Cookie."""
    report = add_report(make_report)
    client.force_login(User.objects.create_user("li", password="pw-12345678", is_staff=True))
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200 and not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_admin_keeps_sessions_csrf_and_messages(client):
    """Logging in sets the session, the admin form carries a CSRF token, a save leaves a message."""
    User.objects.create_superuser("wang", password="right-password-42")
    login = client.get("/admin/login/")
    assert "csrfmiddlewaretoken" in login.content.decode() and "csrftoken" in login.cookies
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "wang", "password": "right-password-42", "next": "/admin/"},
    )
    assert response.status_code == 302 and "sessionid" in response.cookies
    add = client.post("/admin/auth/group/add/", {"name": "编辑"}, follow=True)
    assert add.status_code == 200 and 'class="success"' in add.content.decode()


def test_a_post_without_csrf_token_is_refused(make_report):
    """CSRF still guards the admin: a POST without the token answers 403."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
