"""Staff pages for founder support, mounted at /staff/founders/ (namespace "founders")."""

from django.urls import path

from . import views_founders

urlpatterns = [
    path("", views_founders.founder_list, name="list"),
    path("<int:business_id>/", views_founders.founder_progress, name="progress"),
    path("certificates/<int:pk>.pdf", views_founders.certificate_pdf, name="certificate_pdf"),
]
