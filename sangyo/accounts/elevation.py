"""Time-limited elevation ("sudo mode") for administrative actions.

An administrator who is already logged in confirms their password again (and a two-factor
code when they have an authenticator or staff two-factor login is on) and may then use
administrative pages for SANGYO_ELEVATION_MINUTES. The grant lives in the session, so it
ends with logout too, and every grant is audited (accounts.elevation.granted).

    @elevation_required
    def business_merge(request): ...
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "sangyo_elevated_until"


def is_elevated(request) -> bool:
    return float(request.session.get(SESSION_KEY, 0)) > time.time()


def grant(request) -> int:
    """Record an elevation in the session; returns its length in minutes."""
    minutes = settings.SANGYO_ELEVATION_MINUTES
    request.session[SESSION_KEY] = time.time() + minutes * 60
    return minutes


def elevation_remaining_seconds(request) -> int:
    return max(0, int(float(request.session.get(SESSION_KEY, 0)) - time.time()))


def elevation_redirect(request):
    """Send the user to confirm their password, then back to where they were going (for a
    POST, the page the form was on)."""
    target = request.get_full_path()
    if request.method != "GET":
        referer = request.headers.get("referer", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = referer
    return redirect(reverse("accounts:elevate") + "?" + urlencode({"next": target}))


def elevation_required(view):
    """Require a current elevation for `view` (when SANGYO_ELEVATION_REQUIRED is on).
    Put it under the view's own access check so others still get that check's answer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if settings.SANGYO_ELEVATION_REQUIRED and not is_elevated(request):
            return elevation_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped
