"""The versioned API under /api/v1/: resources, schema and offline docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from economies.api.views import EconomyViewSet
from instruments.api.views import CommitmentViewSet, ForumViewSet, InstrumentViewSet, ThemeViewSet
from tracker.api.docs import OfflineRedocView
from tracker.api.views import RegionalViewSet, ReportViewSet, ScoreViewSet, StatusViewSet

router = DefaultRouter()
router.include_format_suffixes = False  # ?format=csv, not /economies.csv
router.register("economies", EconomyViewSet, basename="economy")
router.register("forums", ForumViewSet, basename="forum")
router.register("themes", ThemeViewSet, basename="theme")
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("status", StatusViewSet, basename="status")
router.register("reports", ReportViewSet, basename="report")
router.register("scores", ScoreViewSet, basename="score")
router.register("regional", RegionalViewSet, basename="regional")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", OfflineRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
