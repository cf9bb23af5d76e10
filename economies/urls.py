"""The economy pages: the list and one economy's page."""

from django.urls import path, re_path

from economies import views

urlpatterns = [
    path("", views.economy_list, name="economy_list"),
    # Three letters only (ISO alpha-3, either case): anything else is a 404 before any query.
    re_path(r"^(?P<code>[A-Za-z]{3})/$", views.economy_detail, name="economy_detail"),
]
