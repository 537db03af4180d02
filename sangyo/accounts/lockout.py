"""Login lock-out (django-axes): how attempts are keyed, audited and cleared.

Attempts are counted per e-mail address *and* IP address (AXES_LOCKOUT_PARAMETERS), so
someone guessing at one account from one place is stopped without locking the owner out
everywhere. Unknown addresses are counted exactly like existing ones: the lock-out page
cannot be used to find out whether an account exists.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from sangyo.core.audit import audit


def username_from_request(request, credentials) -> str:
    """Axes keys attempts by the e-mail as the login form normalises it (lower case)."""
    value = ""
    if credentials:
        value = credentials.get("username") or credentials.get("email") or ""
    if not value and request is not None:
        value = request.POST.get("username", "")
    return str(value).strip().lower()


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def _user_for(email: str):
    from .models import User

    return User.objects.filter(email=email).first() if email else None


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    email = username_from_request(request, credentials)
    audit(
        "accounts.login.failed",
        actor=email or "anonymous",
        target=_user_for(email),
        data={"email": email, "ip": client_ip(request)},
    )


@receiver(user_locked_out)
def audit_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    email = (username or "").strip().lower()
    audit(
        "accounts.login.locked_out",
        actor=email or "anonymous",
        target=_user_for(email),
        data={"email": email, "ip": ip_address or client_ip(request)},
    )


def lockout_response(request, original_response=None, credentials=None):
    """The lock-out page (429): the same for every address, existing or not."""
    from django.conf import settings
    from django.shortcuts import render

    return render(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": settings.SANGYO_LOGIN_COOLOFF_MINUTES},
        status=429,
    )
