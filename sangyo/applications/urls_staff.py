"""Staff and reviewer screens of applications, mounted at /staff/applications/ (namespace
`applications_staff`)."""

from django.urls import path

from . import views_staff as views

urlpatterns = [
    path("", views.index, name="index"),
    path("budget/", views.budget, name="budget"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/open/", views.call_open, name="call_open"),
    path("calls/<int:pk>/close/", views.call_close, name="call_close"),
    path("calls/<int:pk>/ranking/", views.call_ranking, name="ranking"),
    path("calls/<int:pk>/reviewers/", views.assign_reviewer, name="assign_reviewer"),
    path(
        "calls/<int:pk>/reviewers/<int:assignment_pk>/remove/",
        views.unassign_reviewer,
        name="unassign_reviewer",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "applications/<int:pk>/transition/",
        views.application_transition,
        name="transition",
    ),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:application_pk>/<slug:stage>/", views.review, name="review"),
]
