"""Public indicator pages, mounted at /indicators/ (namespace "indicators")."""

from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("download.csv", views.download_csv, name="download_csv"),
    path("download.json", views.download_json, name="download_json"),
]
