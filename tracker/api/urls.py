"""The versioned API under /api/v1/: resources, schema and offline docs."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from economies.api.views import EconomyViewSet
from instruments.api.views import CommitmentViewSet, ForumViewSet, InstrumentViewSet, ThemeViewSet
from softlaw.api.docs import OfflineRedocView, OfflineSwaggerView
from tracker.api.views import (
    RegionalViewSet,
    ReportViewSet,
    RoundViewSet,
    ScoreViewSet,
    StatusViewSet,
)

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
router.register("rounds", RoundViewSet, basename="round")


def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/ (a code containing a slash, a mistyped resource): a JSON
    404 like the API's others, not an HTML page."""
    return JsonResponse(
        {"detail": f"There is nothing at {request.path[:200]}: see /api/v1/ for the resources."},
        status=404,
    )


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", OfflineSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", OfflineRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
    re_path(r"^.*/$", not_found),
]
