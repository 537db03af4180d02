"""Staff pages for indicators, mounted at /staff/indicators/."""

from django.urls import path

from . import staff_views as views

app_name = "indicators_staff"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/observe/", views.observe, name="observe"),
    path("<int:pk>/revise/", views.revise, name="revise"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("import/", views.import_file, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:job_id>/", views.import_result, name="import_result"),
    path("import/estat/", views.import_estat, name="import_estat"),
]
