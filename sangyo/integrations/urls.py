"""Staff pages for API tokens, mounted at /staff/integrations/."""

from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]
