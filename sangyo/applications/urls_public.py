"""Public program pages, mounted at /programs/ (namespace "programs")."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("", views_public.program_list, name="list"),
    path("catalogue/", views_public.certified_catalogue, name="catalogue"),
    path("<int:pk>/", views_public.program_detail, name="detail"),
]
