"""The public pages of the status-report app: dashboard, compare, trends, updates, rounds,
methodology, data and the Atom feed."""

from django.urls import path

from tracker import feeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("trends/", views.trends, name="trends"),
    path("methodology/", views.methodology, name="methodology"),
    path("data/", views.data, name="data"),
    path("updates/", views.updates, name="updates"),
    path("updates/feed/", feeds.UpdatesFeed(), name="updates_feed"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<slug:slug>/", views.round_detail, name="round_detail"),
]
