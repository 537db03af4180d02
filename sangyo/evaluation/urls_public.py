from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("opendata.schema.json", views.schema, name="schema"),
    path("<int:fy>/", views.year_page, name="year"),
    path("<int:fy>/opendata.csv", views.opendata_csv, name="opendata_csv"),
    path("<int:fy>/opendata.json", views.opendata_json, name="opendata_json"),
    path("sheets/<int:pk>/", views.sheet_page, name="sheet"),
    path("reports/<int:pk>/report.<str:kind>", views.report_file, name="report_file"),
]
