from django.urls import path

from . import views_staff as v

urlpatterns = [
    path("", v.index, name="index"),
    path("desks/<int:pk>/", v.desk, name="desk"),
    path("slots/<int:pk>/book/", v.book, name="book"),
    path("cases/", v.cases, name="cases"),
    path("cases/<int:pk>/", v.case, name="case"),
    path("cases/<int:pk>/<slug:action>/", v.case_action, name="case_action"),
]
