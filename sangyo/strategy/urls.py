from django.urls import path

from . import views

# The same pages serve the current strategy under /strategy/ and any loaded strategy under
# /strategies/<code>/, so a past plan stays readable at a stable address.
pages = [
    path("", views.tree, name="tree"),
    path("visions/<str:code>/", views.vision_detail, name="vision"),
    path("measures/<str:number>/", views.measure_detail, name="measure"),
    path("ordinance/", views.ordinance, name="ordinance"),
    path("situation/", views.situation, name="situation"),
]

current_patterns = (pages, "strategy")
by_code_patterns = ([path("", views.strategy_list, name="list")], "strategies")
coded_patterns = (pages, "strategies_by_code")
