"""The applicant portal, mounted at /apply/ (namespace "portal")."""

from django.urls import path

from . import views_portal as views

urlpatterns = [
    path("", views.calls, name="calls"),
    path("calls/<int:call_id>/", views.call, name="call"),
    path("calls/<int:call_id>/start/", views.start, name="start"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/save/", views.save, name="save"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/report/", views.report, name="report"),
    path("applications/<int:pk>/decision/", views.decision, name="decision"),
    path("applications/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path(
        "applications/<int:pk>/documents/<int:doc_id>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "applications/<int:pk>/documents/<int:doc_id>/delete/",
        views.document_delete,
        name="document_delete",
    ),
]
