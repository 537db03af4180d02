from django.contrib.auth import views as auth_views
from django.urls import path, reverse

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    """After logging in, staff land on the staff menu and businesses on their applications
    (unless the login was for a specific page, which `next` then opens)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_default_redirect_url(self):
        if self.request.user.is_city_staff:
            return reverse("staff_home")
        return reverse("portal:calls")


app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        LoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
