from django.urls import path

from . import views

urlpatterns = [
    path("", views.diagnosis_list, name="list"),
    path("new/", views.locaben_new, name="new"),
    path("succession/new/", views.succession_new, name="succession_new"),
    path("<int:pk>/", views.diagnosis_detail, name="detail"),
    path("<int:pk>.pdf", views.diagnosis_pdf, name="pdf"),
]
