from django.urls import path

from . import views_public as v

app_name = "consult"

urlpatterns = [
    path("", v.index, name="index"),
    path("slots/<int:pk>/book/", v.book, name="book"),
    path("bookings/", v.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", v.cancel, name="cancel"),
]
