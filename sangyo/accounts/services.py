"""Writes to accounts. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from sangyo.core.audit import audit

from .models import Role, User


@transaction.atomic
def user_create(
    *, email: str, role: str, actor: Any, name: str = "", password: str | None = None
) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    user = User(email=User.objects.normalize_email(email).lower(), name=name, role=role)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit("accounts.user.created", actor=actor, target=user, data={"role": role})
    return user


@transaction.atomic
def user_set_role(*, user: User, role: str, actor: Any) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    if user.role == role:
        return user
    previous, user.role = user.role, role
    user.save(update_fields=["role"])
    audit(
        "accounts.user.role_changed", actor=actor, target=user, data={"from": previous, "to": role}
    )
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: Any) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit("accounts.user.password_changed", actor=actor, target=user)
    return user


# --- two-factor login -------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def totp_new_key() -> str:
    """A fresh TOTP secret (hex, as django-otp stores it). Nothing is saved until the user
    proves with a first code that their authenticator app holds it (`totp_confirm`)."""
    from django_otp.plugins.otp_totp.models import default_key

    return default_key()


@transaction.atomic
def totp_confirm(*, user: User, key: str, token: str) -> list[str] | None:
    """Activate a TOTP device with `key` if `token` is a current code for it.

    Returns the new recovery codes (shown to the user once), or None if the code is wrong.
    Any earlier TOTP device of the user is replaced.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(user=user, name="authenticator", key=key, confirmed=False)
    if not device.verify_token(token.strip()):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save()
    codes = _recovery_codes_replace(user)
    audit("accounts.otp.enrolled", actor=user, target=user)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Throw away the user's recovery codes and make ten new ones (each usable once)."""
    codes = _recovery_codes_replace(user)
    audit("accounts.otp.recovery_codes_regenerated", actor=user, target=user)
    return codes


@transaction.atomic
def otp_disable(*, user: User, actor: Any) -> None:
    """Remove the user's authenticator and recovery codes (business users may opt out;
    staff are enrolled again at their next login when two-factor login is enforced)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit("accounts.otp.disabled", actor=actor, target=user)


def otp_verify(*, user: User, token: str):
    """The device that accepts `token` (a 6-digit TOTP code or a one-time recovery code), or
    None. A recovery code is used up by this call. Failures are audited and throttled by
    django-otp (each failure doubles the wait before the next try)."""
    from django_otp import devices_for_user
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = "".join(token.split()).lower()
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            if not isinstance(device, kind):
                continue
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                if kind is StaticDevice:
                    audit("accounts.otp.recovery_code_used", actor=user, target=user)
                return device
        audit("accounts.otp.failed", actor=user, target=user)
    return None


def user_has_otp(user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- lock-out ---------------------------------------------------------------------------------


@transaction.atomic
def login_unlock(*, email: str, actor: Any) -> int:
    """Clear the failed logins recorded for `email` (from every address). Returns how many
    attempt records were removed; 0 when there were none (also for unknown addresses)."""
    from axes.utils import reset

    email = email.strip().lower()
    count = reset(username=email)
    audit(
        "accounts.login.unlocked",
        actor=actor,
        target=User.objects.filter(email=email).first(),
        data={"email": email, "attempts_cleared": count},
    )
    return count


# --- business sign-up -------------------------------------------------------------------------

SIGNUP_SALT = "sangyo.accounts.signup"


def signup_token(user: User) -> str:
    from django.core import signing

    return signing.TimestampSigner(salt=SIGNUP_SALT).sign(str(user.pk))


def signup_user_for_token(token: str) -> User | None:
    """The not-yet-activated user a sign-up link names, or None if the link is forged,
    older than SANGYO_SIGNUP_LINK_HOURS or already used."""
    from django.conf import settings
    from django.core import signing

    try:
        pk = signing.TimestampSigner(salt=SIGNUP_SALT).unsign(
            token, max_age=settings.SANGYO_SIGNUP_LINK_HOURS * 3600
        )
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return User.objects.filter(pk=pk, is_active=False, last_login__isnull=True).first()


def _mail(*, to: str, subject_template: str, body_template: str, context: dict) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    context = {"site_url": settings.SANGYO_SITE_URL, **context}
    subject = "".join(render_to_string(subject_template, context).splitlines())
    send_mail(subject, render_to_string(body_template, context), None, [to])


@transaction.atomic
def signup_request(*, email: str, name: str, password: str) -> User | None:
    """Register a business user, inactive until the e-mailed link is followed.

    If the address is already registered nothing is created and the owner gets a notice
    instead (or, if they never activated, a fresh link); the caller shows the same page
    either way so sign-up cannot be used to find out who has an account.
    """
    from django.urls import reverse

    email = User.objects.normalize_email(email).strip().lower()
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        if not existing.is_active and existing.last_login is None:
            link = reverse("accounts:signup_activate", args=[signup_token(existing)])
            _mail(
                to=email,
                subject_template="accounts/mail/signup_subject.txt",
                body_template="accounts/mail/signup_body.txt",
                context={"user": existing, "link": link},
            )
        else:
            _mail(
                to=email,
                subject_template="accounts/mail/signup_exists_subject.txt",
                body_template="accounts/mail/signup_exists_body.txt",
                context={"user": existing, "reset": reverse("accounts:password_reset")},
            )
        audit("accounts.signup.repeated", actor="anonymous", target=existing)
        return None
    user = User(email=email, name=name, role=Role.BUSINESS, is_active=False)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit("accounts.signup.requested", actor="anonymous", target=user)
    _mail(
        to=email,
        subject_template="accounts/mail/signup_subject.txt",
        body_template="accounts/mail/signup_body.txt",
        context={
            "user": user,
            "link": reverse("accounts:signup_activate", args=[signup_token(user)]),
        },
    )
    return user


@transaction.atomic
def signup_activate(*, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit("accounts.signup.activated", actor=user, target=user)
    return user


# --- password reset ---------------------------------------------------------------------------


@transaction.atomic
def password_reset_complete(*, user: User, password: str) -> User:
    """Set a new password from a reset link; failed logins for the address are cleared."""
    from axes.utils import reset

    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    reset(username=user.email)
    audit("accounts.password.reset", actor=user, target=user)
    return user


def password_reset_requested(*, email: str, ip: str) -> None:
    """Audit a reset request without saying whether the address has an account."""
    audit(
        "accounts.password.reset_requested",
        actor="anonymous",
        data={"email": email.strip().lower(), "ip": ip},
    )


# --- elevation --------------------------------------------------------------------------------


def elevation_grant_audit(*, user: User, minutes: int, path: str) -> None:
    audit(
        "accounts.elevation.granted",
        actor=user,
        target=user,
        data={"minutes": minutes, "next": path[:200]},
    )


def elevation_failed_logout(*, user: User) -> None:
    audit("accounts.elevation.failed", actor=user, target=user)
