from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export_request, name="export"),
    path("deletion/", views.deletion_request, name="deletion"),
    path("requests/<int:pk>/download/", views.download, name="download"),
]
