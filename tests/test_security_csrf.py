"""CSRF everywhere: every URL of the site refuses a POST without a CSRF token (403 from
Django's CSRF check, before any view code runs), except the token-authenticated API routes,
which django-ninja builds CSRF-exempt (a bearer token is not sent by the browser on its own,
so there is nothing to forge; cookie-authenticated API routes check CSRF in ninja).

The test walks the URL resolver, so a new view is covered the day it is added.
"""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponseForbidden
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver

API_PREFIX = "api/v1/"
MARK = "csrf-refused-by-middleware"

SAMPLE = {"int": "1", "slug": "x", "str": "x", "path": "1", "uuid": "0" * 32}


def csrf_failure(request, reason=""):
    return HttpResponseForbidden(MARK)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p.callback


def _sample_url(route: str) -> str:
    # Route syntax: <int:pk>, <code>; regex syntax (admin): (?P<app_label>auth|…), ^, $
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "x"), route)
    url = re.sub(
        r"\(\?P<\w+>([^)]*)\)",
        lambda m: m.group(1).split("|")[0] if "|" in m.group(1) else "x",
        url,
    )
    return "/" + url.replace("^", "").replace("$", "")


def all_routes():
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda rc: rc[0])


def test_csrf_exempt_only_for_the_token_api():
    exempt = [r for r, cb in all_routes() if getattr(cb, "csrf_exempt", False)]
    assert exempt, "the API's token routes were expected to be exempt (ninja builds them so)"
    assert [r for r in exempt if not r.startswith(API_PREFIX)] == []


@pytest.mark.django_db
@override_settings(CSRF_FAILURE_VIEW="tests.test_security_csrf.csrf_failure")
@pytest.mark.parametrize("as_user", [None, "officer"])
def test_every_post_without_token_is_refused(tsukuba, users, as_user):
    client = Client(enforce_csrf_checks=True)
    if as_user:
        client.force_login(users[as_user])
    unprotected = []
    for route, callback in all_routes():
        if getattr(callback, "csrf_exempt", False):
            continue
        url = _sample_url(route)
        response = client.post(url, {"x": "1"})
        if not (response.status_code == 403 and response.content.decode() == MARK):
            unprotected.append(f"{url} → {response.status_code}")
    assert unprotected == []


def test_sample_urls_resolve():
    """The walk really reaches the views (a sample URL that 404s would prove nothing)."""
    from django.urls import Resolver404, resolve

    broken = []
    for route, _callback in all_routes():
        try:
            resolve(_sample_url(route))
        except Resolver404:
            broken.append(route)
    assert broken == []
