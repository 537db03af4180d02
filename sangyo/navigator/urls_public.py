"""Public pages of the support navigator, mounted at /navigator/ (namespace "navigator")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.questionnaire, name="index"),
    path("results/", views.results, name="results"),
    path("search/", views.search_page, name="search"),
]
