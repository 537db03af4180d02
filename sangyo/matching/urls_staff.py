from django.urls import path

from . import views_staff as views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("postings/", views.posting_list, name="postings"),
    path("postings/<int:pk>/", views.posting_detail, name="posting"),
    path("postings/<int:pk>/moderate/", views.posting_moderate, name="posting_moderate"),
    path("interests/<int:pk>/introduce/", views.introduce, name="introduce"),
    path("introductions/", views.introductions, name="introductions"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/moderate/", views.job_moderate, name="job_moderate"),
    path("applications/<int:pk>/status/", views.application_update, name="application_update"),
    path("placements/", views.placements, name="placements"),
    path("properties/", views.property_list, name="properties"),
    path("properties/new/", views.property_edit, name="property_create"),
    path("properties/<int:pk>/", views.property_detail, name="property"),
    path("properties/<int:pk>/edit/", views.property_edit, name="property_edit"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/resolve/", views.report_resolve, name="report_resolve"),
    path("rules/", views.rules, name="rules"),
]
