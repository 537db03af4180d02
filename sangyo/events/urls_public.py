from django.urls import path

from . import views

urlpatterns = [
    path("", views.event_list, name="list"),
    path("opendata.csv", views.opendata_csv, name="opendata"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/ics", views.event_ics, name="ics"),
    path("registered/<str:token>/", views.registration_done, name="done"),
    path("cancel/<str:token>/", views.registration_cancel, name="cancel"),
    path("survey/<str:token>/", views.survey, name="survey"),
]
