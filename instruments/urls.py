"""The instrument pages: the list and one instrument's page."""

from django.urls import path

from instruments import views

urlpatterns = [
    path("", views.instrument_list, name="instrument_list"),
    path("<slug:slug>/", views.instrument_detail, name="instrument_detail"),
]
