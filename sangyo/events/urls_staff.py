from django.urls import path

from . import views

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("new/", views.staff_edit, name="create"),
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/edit/", views.staff_edit, name="edit"),
    path("<int:pk>/checkin/", views.staff_checkin, name="checkin"),
    path("<int:pk>/registrations/<int:rid>/decide/", views.staff_decide, name="decide"),
]
