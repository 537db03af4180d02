from django.urls import path

from . import views

urlpatterns = [
    path("", views.board, name="board"),
    path("postings/new/", views.posting_create, name="posting_create"),
    path("postings/<int:pk>/", views.posting_detail, name="posting"),
    path("postings/<int:pk>/manage/", views.posting_manage, name="posting_manage"),
    path("mine/", views.mine, name="mine"),
    path("interests/<int:pk>/", views.interest_thread, name="interest"),
    path("interests/<int:pk>/deal/", views.deal_report, name="deal"),
    path("report/<str:target>/<int:pk>/", views.report, name="report"),
    path("properties/", views.property_list, name="properties"),
    path("properties/<int:pk>/", views.property_detail, name="property"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/applications/", views.job_applications, name="job_applications"),
    path("applications/<int:pk>/status/", views.application_update, name="application_update"),
    path("applied/<str:token>/", views.application_status, name="application_status"),
]
