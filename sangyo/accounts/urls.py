from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.otp_verify, name="otp_verify"),
    path("two-factor/setup/", views.otp_enrol, name="otp_enrol"),
    path(
        "security/recovery-codes/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("security/two-factor/disable/", views.otp_disable, name="otp_disable"),
    path("security/", views.security, name="security"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("elevate/", views.elevate, name="elevate"),
    path("signup/", views.signup, name="signup"),
    path("signup/activate/<str:token>/", views.signup_activate, name="signup_activate"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
