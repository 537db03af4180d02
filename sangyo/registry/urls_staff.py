"""The registry's staff screens, mounted at /staff/businesses/ (namespace "registry"), and
the business side's own pages under my/. The import screens live in urls_imports."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.business_list, name="business_list"),
    path("export/", views.business_export, name="business_export"),
    path("new/", views.business_create, name="business_create"),
    path("<int:pk>/", views.business_detail, name="business_detail"),
    path("<int:pk>/edit/", views.business_edit, name="business_edit"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("contacts/<int:cid>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:cid>/anonymize/", views.contact_anonymize, name="contact_anonymize"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("merge/", views.business_merge, name="business_merge"),
    path("partners/", views.partners, name="partners"),
    path("my/", views.my_businesses, name="my_businesses"),
    path("my/<int:pk>/delegate/", views.my_delegate, name="my_delegate"),
]
