"""Staff pages of the support navigator, mounted at /staff/navigator/ (namespace
"navigator_staff")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.staff_index, name="index"),
    path("needs/", views.staff_needs, name="needs"),
    path("needs/<int:pk>/", views.staff_need_edit, name="need_edit"),
    path("synonyms/", views.staff_synonyms, name="synonyms"),
    path("synonyms/new/", views.staff_synonym_edit, name="synonym_create"),
    path("synonyms/<int:pk>/", views.staff_synonym_edit, name="synonym_edit"),
    path("outside/", views.staff_outside, name="outside"),
    path("outside/import/", views.staff_import, name="import"),
    path("reindex/", views.staff_reindex, name="reindex"),
]
