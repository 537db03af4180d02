"""Import screens of the registry, under /staff/businesses/imports/ (namespace `registry`)."""

from django.urls import path

from . import views_imports as views

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/nta/", views.nta_upload, name="import_nta"),
    path("imports/generic/", views.generic_upload, name="import_generic"),
    path("imports/generic/<str:token>/map/", views.generic_map, name="import_generic_map"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
]
