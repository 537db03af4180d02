"""Account pages: login, two-factor, elevation, sign-up, password reset and change.

Views parse input and call services (services.py); the rules about who owes a two-factor
code and when sessions end are in middleware.py.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_ratelimit.decorators import ratelimit

from . import services
from .elevation import grant, is_elevated
from .forms import (
    ElevateForm,
    EmailPasswordResetForm,
    LoginForm,
    OTPEnrolForm,
    OTPVerifyForm,
    ServicePasswordChangeForm,
    ServiceSetPasswordForm,
    SignupForm,
)
from .middleware import OTP_PENDING, otp_pending

TOTP_KEY_SESSION = "sangyo_totp_enrol_key"
ELEVATION_FAILURES = "sangyo_elevation_failures"


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _home_for(user) -> str:
    return reverse("staff_home") if user.is_city_staff else reverse("portal:calls")


class LoginView(auth_views.LoginView):
    """After logging in, staff land on the staff menu and businesses on their applications
    (unless the login was for a specific page, which `next` then opens). Failed attempts are
    counted by django-axes (lockout.py); a user who owes a two-factor code is then asked for
    it by StaffTwoFactorMiddleware."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_default_redirect_url(self):
        return _home_for(self.request.user)


# --- two-factor ---------------------------------------------------------------------------------


def _needs_token(request) -> bool:
    return bool(
        (settings.SANGYO_STAFF_2FA and request.user.is_city_staff)
        or services.user_has_otp(request.user)
    )


@login_required
def otp_verify(request):
    """The second step of login: a 6-digit code from the authenticator or a recovery code."""
    user = request.user
    next_url = _next_url(request, _home_for(user))
    if user.is_verified():
        return redirect(next_url)
    if not services.user_has_otp(user):
        if otp_pending(request):
            return redirect(reverse("accounts:otp_enrol") + "?" + urlencode({"next": next_url}))
        return redirect(next_url)
    form = OTPVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.otp_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            request.session.cycle_key()  # a new session id for the fully signed-in session
            otp_login(request, device)
            request.session.pop(OTP_PENDING, None)
            return redirect(next_url)
        form.add_error(
            "token",
            _(
                "確認コードが正しくないか、有効期限が切れています。"
                "続けて間違えると、次に試せるまでの待ち時間が長くなります。"
            ),
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@login_required
def otp_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm a
    first code. Replacing an authenticator needs the current one (a verified session)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = request.user
    if services.user_has_otp(user) and not user.is_verified():
        return redirect(reverse("accounts:otp_verify"))
    next_url = _next_url(request, _home_for(user))
    key = request.session.get(TOTP_KEY_SESSION)
    if not key:
        key = request.session[TOTP_KEY_SESSION] = services.totp_new_key()
    form = OTPEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(user=user, key=key, token=form.cleaned_data["token"])
        if codes is not None:
            del request.session[TOTP_KEY_SESSION]
            otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
            request.session.pop(OTP_PENDING, None)
            messages.success(request, _("2段階認証を有効にしました。"))
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
        form.add_error(
            "token",
            _(
                "確認コードが一致しません。認証アプリの時刻設定を確認し、新しいコードを入力してください。"
            ),
        )
    device = TOTPDevice(user=user, key=key, name="authenticator")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": next_url,
            "replacing": services.user_has_otp(user),
        },
    )


@require_POST
@login_required
def recovery_codes_regenerate(request):
    if not (services.user_has_otp(request.user) and request.user.is_verified()):
        return redirect("accounts:security")
    codes = services.recovery_codes_regenerate(user=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:security")},
    )


@require_POST
@login_required
def otp_disable(request):
    user = request.user
    if settings.SANGYO_STAFF_2FA and user.is_city_staff:
        messages.error(request, _("職員は2段階認証を無効にできません。"))
    elif services.user_has_otp(user) and user.is_verified():
        services.otp_disable(user=user, actor=user)
        messages.success(request, _("2段階認証を無効にしました。"))
    return redirect("accounts:security")


@login_required
def security(request):
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "has_otp": services.user_has_otp(user),
            "otp_required": bool(settings.SANGYO_STAFF_2FA and user.is_city_staff),
            "codes_left": services.recovery_codes_left(user),
            "elevated": is_elevated(request),
        },
    )


# --- elevation ----------------------------------------------------------------------------------


@login_required
def elevate(request):
    """Confirm the password (and a code) again for SANGYO_ELEVATION_MINUTES of admin work."""
    user = request.user
    next_url = _next_url(request, reverse("accounts:security"))
    need_token = _needs_token(request)
    form = ElevateForm(request.POST or None, need_token=need_token)
    if request.method == "POST" and form.is_valid():
        ok = user.check_password(form.cleaned_data["password"])
        if ok and need_token:
            ok = services.otp_verify(user=user, token=form.cleaned_data["token"]) is not None
        if ok:
            request.session.pop(ELEVATION_FAILURES, None)
            minutes = grant(request)
            services.elevation_grant_audit(user=user, minutes=minutes, path=next_url)
            return redirect(next_url)
        failures = request.session.get(ELEVATION_FAILURES, 0) + 1
        request.session[ELEVATION_FAILURES] = failures
        if failures >= settings.SANGYO_LOGIN_FAILURE_LIMIT:
            services.elevation_failed_logout(user=user)
            logout(request)
            messages.error(request, _("確認に続けて失敗したため、ログアウトしました。"))
            return redirect("accounts:login")
        form.add_error(None, _("パスワードまたは確認コードが正しくありません。"))
    return render(
        request,
        "accounts/elevate.html",
        {"form": form, "next": next_url, "minutes": settings.SANGYO_ELEVATION_MINUTES},
    )


# --- sign-up ------------------------------------------------------------------------------------


@ratelimit(key="ip", rate=lambda g, r: settings.SANGYO_SIGNUP_RATE, method="POST", block=False)
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "短時間に多くの登録が行われました。しばらく時間をおいてからもう一度お試しください。"
                ),
            )
        elif form.is_valid():
            data = form.cleaned_data
            services.signup_request(
                email=data["email"], name=data["name"], password=data["password1"]
            )
            return render(request, "accounts/signup_sent.html", {"email": data["email"]})
    return render(
        request,
        "accounts/signup.html",
        {"form": form},
        status=429 if getattr(request, "limited", False) else 200,
    )


def signup_activate(request, token: str):
    """The link from the sign-up mail: a button activates the account and logs in (a button,
    so mail scanners that open links do not activate accounts)."""
    user = services.signup_user_for_token(token)
    if user is None:
        return render(request, "accounts/signup_invalid.html", status=400)
    if request.method == "POST":
        services.signup_activate(user=user)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("登録が完了しました。ようこそ。"))
        return redirect("portal:calls")
    return render(request, "accounts/signup_activate.html", {"signup_user": user})


# --- password reset and change -----------------------------------------------------------------


@method_decorator(
    ratelimit(
        key="ip", rate=lambda g, r: settings.SANGYO_PASSWORD_RESET_RATE, method="POST", block=False
    ),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset: the same answer whether or not the address has an account."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/mail/password_reset_body.txt"
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    form_class = EmailPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Links point at the configured public address, never at the request's Host header.
        self.extra_email_context = {"site_url": settings.SANGYO_SITE_URL}
        if getattr(self.request, "limited", False):
            form.add_error(
                None,
                _(
                    "短時間に多くの再設定の依頼がありました。しばらく時間をおいてからお試しください。"
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        services.password_reset_requested(
            email=form.cleaned_data["email"], ip=self.request.META.get("REMOTE_ADDR", "")
        )
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = ServiceSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ServicePasswordChangeForm
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("パスワードを変更しました。"))
        return response
