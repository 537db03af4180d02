"""Request-time account rules: session expiry, staff two-factor login, elevation for /admin/.

They sit after Django's AuthenticationMiddleware, django-otp's OTPMiddleware and the
messages middleware (config/settings/base.py). Each leaves anonymous requests alone without
touching the database.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .elevation import elevation_redirect, is_elevated

log = logging.getLogger(__name__)

AUTH_AT = "sangyo_auth_at"  # when the password was given (absolute expiry)
SEEN_AT = "sangyo_seen_at"  # the last request, to the minute (idle expiry)
OTP_PENDING = "sangyo_otp_pending"  # the user has an authenticator: ask for a code
SEEN_GRANULARITY = 60  # seconds; the session is written at most once a minute for this


@receiver(user_logged_in)
def _stamp_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[AUTH_AT] = now
    request.session[SEEN_AT] = now
    from .services import user_has_otp

    if user_has_otp(user):
        request.session[OTP_PENDING] = True
    else:
        request.session.pop(OTP_PENDING, None)


class SessionExpiryMiddleware:
    """Log out everybody SESSION_COOKIE_AGE seconds after login, and staff after
    SANGYO_SESSION_IDLE_MINUTES without a request; both land on the login page with a note."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if AUTH_SESSION_KEY in session:
            now = time.time()
            auth_at = session.get(AUTH_AT)
            seen_at = session.get(SEEN_AT)
            if auth_at is None or seen_at is None:
                session[AUTH_AT] = auth_at or now
                session[SEEN_AT] = now
            else:
                message = None
                if now - auth_at > settings.SESSION_COOKIE_AGE:
                    message = _("ログインの有効期限が切れました。もう一度ログインしてください。")
                elif (
                    now - seen_at > settings.SANGYO_SESSION_IDLE_MINUTES * 60
                    and request.user.is_city_staff
                ):
                    message = _(
                        "%(minutes)s分間操作がなかったため、ログアウトしました。"
                        "もう一度ログインしてください。"
                    ) % {"minutes": settings.SANGYO_SESSION_IDLE_MINUTES}
                if message:
                    log.info("session expired for user %s", session.get(AUTH_SESSION_KEY))
                    logout(request)
                    messages.warning(request, message)
                    return redirect_to_login(request.get_full_path())
                if now - seen_at >= SEEN_GRANULARITY:
                    session[SEEN_AT] = now
        return self.get_response(request)


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:login"),
        reverse("accounts:logout"),
        reverse("accounts:otp_verify"),
        reverse("accounts:otp_enrol"),
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
        reverse("healthz"),
        reverse("readyz"),
    )


def otp_pending(request) -> bool:
    """Whether the logged-in user still owes a two-factor code in this session."""
    if AUTH_SESSION_KEY not in request.session:
        return False
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return False
    if request.session.get(OTP_PENDING):
        return True
    return bool(settings.SANGYO_STAFF_2FA and user.is_city_staff)


class StaffTwoFactorMiddleware:
    """Until a code is confirmed, a user who owes one may only verify it, enrol (when they
    have no authenticator yet) or log out; every other page redirects to the code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if otp_pending(request) and not request.path.startswith(_exempt_paths()):
            target = request.get_full_path() if request.method == "GET" else ""
            url = reverse("accounts:otp_verify")
            return redirect(url + ("?" + urlencode({"next": target}) if target else ""))
        return self.get_response(request)


class AdminElevationMiddleware:
    """Django's admin needs a current elevation (elevation.py) when SANGYO_ELEVATION_REQUIRED
    is on. Users who are not administrators get the admin's own answer (its login page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SANGYO_ELEVATION_REQUIRED
            and request.path.startswith(reverse("admin:index"))
            and AUTH_SESSION_KEY in request.session
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_elevated(request)
        ):
            return elevation_redirect(request)
        return self.get_response(request)
