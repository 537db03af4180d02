"""Web hardening that is not a Django setting: the Permissions-Policy header, rate limits on
public forms (and the 429 page they lead to), and the headers for serving user files.

See docs/security.md for the whole picture (CSP, headers, uploads, rate limits).
"""

from __future__ import annotations

import math
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

# Browser features no page of this site uses: a page (or something injected into one) may not
# ask for them.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"

# The policy for a user's file served back to a browser: it may not run, frame or fetch anything.
DOWNLOAD_CSP = "sandbox; default-src 'none'"


class SecurityHeadersMiddleware:
    """Adds the headers Django has no setting for (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def harden_download(response):
    """Headers for a user-supplied file sent back: a download that can never render as a page
    of this site (use on every view that streams an uploaded file)."""
    if not response.get("Content-Disposition", "").startswith("attachment"):
        raise ValueError("user files are served only as attachments")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- rate limits --------------------------------------------------------------------------


class RateLimited(Ratelimited):
    """Raised by `public_ratelimit`; carries how many seconds until the window ends."""

    def __init__(self, retry_after: int):
        super().__init__()
        self.retry_after = retry_after


# Used when settings.SANGYO_RATELIMITS does not name the group.
DEFAULT_RATELIMITS = {"public_form": "20/m", "search": "120/m"}


def _rate(group: str):
    def rate(_group, _request):
        configured = getattr(settings, "SANGYO_RATELIMITS", {})
        return configured.get(group, DEFAULT_RATELIMITS.get(group))

    return rate


def public_ratelimit(group: str, method: str | tuple[str, ...] = "POST"):
    """Limit a public view per client IP, with the rate `settings.SANGYO_RATELIMITS[group]`
    (e.g. "20/m"), counted in the shared cache. Only `method` requests count (POST: sending a
    form; use method="GET" for searches). Over the limit the request is answered 429 by
    `RateLimitMiddleware`. One line per view::

        @public_ratelimit("public_form")
        def register(request, pk): ...
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = get_usage(
                request,
                group=f"sangyo.{group}",
                key="ip",
                rate=_rate(group),
                method=method,
                increment=True,
            )
            if usage is not None and usage["should_limit"]:
                raise RateLimited(retry_after=max(1, int(usage["time_left"])))
            return view(request, *args, **kwargs)

        wrapped.sangyo_ratelimit_group = group
        return wrapped

    return decorator


def too_many_requests(request, exception=None):
    """The 429 page: in the visitor's language, saying when to try again."""
    retry_after = getattr(exception, "retry_after", None) or 60
    response = render(
        request,
        "429.html",
        {"retry_after": retry_after, "retry_minutes": max(1, math.ceil(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    """Turns django-ratelimit's `Ratelimited` (a PermissionDenied, which Django would answer
    403) into 429 Too Many Requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            return too_many_requests(request, exception)
        return None
