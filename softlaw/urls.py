"""Root URLs: public pages, data downloads, the versioned API and the admin. Each app's own
URLs are included by name, so the project's wiring imports no app."""

from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from softlaw.health import healthz


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, the feed)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("", include("tracker.page_urls")),
    path("economies/", include("economies.urls")),
    path("instruments/", include("instruments.urls")),
    path("data/download/", include("tracker.export_urls")),
    path("api/v1/", include("tracker.api.urls")),
    path("account/notices/", include("tracker.account_urls")),
    # Before the admin's own URLs: /admin/ itself sends each role to the page for its job.
    path("admin/", include("tracker.workspace_urls")),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
]
