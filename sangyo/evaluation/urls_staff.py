from django.urls import path

from . import views

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("prepare/", views.staff_prepare, name="prepare"),
    path("sheets/<int:pk>/", views.staff_sheet, name="sheet"),
    path("sheets/<int:pk>/edit/", views.staff_edit, name="edit"),
    path("sheets/<int:pk>/transition/", views.staff_transition, name="transition"),
    path("sheets/<int:pk>/opinion/", views.staff_opinion, name="opinion"),
    path("sheets/<int:pk>/correct/", views.staff_correct, name="correct"),
    path("sheets/<int:pk>/follow-up/", views.staff_followup, name="followup"),
    path("committee/", views.staff_members, name="members"),
    path("committee/<int:pk>/", views.staff_member_edit, name="member_edit"),
    path("settings/<int:fy>/", views.staff_settings, name="settings"),
    path("reports/", views.staff_reports, name="reports"),
]
