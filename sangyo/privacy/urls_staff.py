from django.urls import path

from . import views_staff as views

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/apply/", views.request_apply, name="apply"),
    path("<int:pk>/download/", views.download, name="download"),
]
