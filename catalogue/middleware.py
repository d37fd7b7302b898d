"""The site's middleware where Django's and its apps' do work a public page never needs.

A public page (a GET or HEAD outside the admin) reads no session, no user, no message
and writes no history: the session, authentication, message and history middleware are
skipped for it, and run as usual for the admin and for every other method (a login, an
edit). Django's admin checks still find them in MIDDLEWARE, as subclasses. Security
headers (CSP, X-Frame-Options, nosniff), CSRF and the login lockout (axes) run for every
request.

The Content-Security-Policy header is one string for the whole site: it is built once,
not for every response, unless a view changes the policy for its response or a template
asked for a nonce (then django-csp builds it as usual).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as BaseAuthentication
from django.contrib.messages.middleware import MessageMiddleware as BaseMessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as BaseSessionMiddleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from simple_history.middleware import HistoryRequestMiddleware


@cache
def _admin_prefix() -> str:
    return reverse("admin:index")


def is_public_read(request: HttpRequest) -> bool:
    """A GET or HEAD of a page outside the admin: it changes nothing and shows nobody's data."""
    return request.method in ("GET", "HEAD") and not request.path_info.startswith(_admin_prefix())


class _StaffOnly:
    """Mixin: run the middleware only for requests that are not public reads."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_public_read(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_StaffOnly, BaseSessionMiddleware):
    """Django's sessions, for the admin and non-GET requests only."""


class AuthenticationMiddleware(_StaffOnly, BaseAuthentication):
    """Django's request.user, for the admin and non-GET requests only."""


class MessageMiddleware(_StaffOnly, BaseMessageMiddleware):
    """Django's messages (the admin's "saved" notes), for the admin and non-GET requests only."""


def history_request(get_response: Callable[[HttpRequest], HttpResponseBase]):
    """simple_history's record of who changed a row, for the admin and non-GET requests only."""
    with_history = HistoryRequestMiddleware(get_response)

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if is_public_read(request):
            return get_response(request)
        return with_history(request)

    return middleware


# What a view or decorator (csp_update, csp_replace, csp_exempt, ...) may set on a response.
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace")
_PER_RESPONSE += tuple(f"{name}_ro" for name in _PER_RESPONSE)


@cache
def _site_headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, policy, exempt attribute, excluded path prefixes) of the site's policies."""
    headers = []
    for header, setting, exempt, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
    ):
        policy = build_policy(report_only=report_only)
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        if policy:
            headers.append((header, policy, exempt, tuple(prefixes)))
    return tuple(headers)


@receiver(setting_changed)
def _forget_site_headers(setting: str, **kwargs) -> None:
    """A changed policy setting (tests) is built anew."""
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _site_headers.cache_clear()


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of per response."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """The site's headers as django-csp would build them; django-csp itself when the
        response changes the policy or the page used a nonce."""
        changed = any(getattr(response, name, None) is not None for name in _PER_RESPONSE)
        if changed or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, policy, exempt, prefixes in _site_headers():
            if header in response or getattr(response, exempt, False):
                continue
            if not request.path_info.startswith(prefixes):
                response[header] = policy
        # As django-csp: a nonce asked for after the header was written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
