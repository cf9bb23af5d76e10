"""Interactive API docs served by the project itself (drf-spectacular-sidecar), with no request
to another host: they work offline and send no visitor's address to a third party."""

from django.template import engines
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.renderers import TemplateHTMLRenderer

# drf-spectacular's Redoc page loads Google Fonts in its head block; this one does not (Redoc
# falls back to the system fonts).
REDOC_PAGE = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}
<title>{{ title|default:"Redoc" }}</title>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>
{% endblock head %}
"""

# The browser may load nothing from another host: Redoc's bundle still links its maker's logo
# from a CDN, and this policy stops that request before it leaves the browser. Inline scripts
# and styles are the two viewers' own; Redoc runs its search in a blob: worker.
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'self'",
    ]
)


class SelfHostedOnly:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response


class OfflineRedocRenderer(TemplateHTMLRenderer):
    def resolve_template(self, template_names):
        return engines["django"].from_string(REDOC_PAGE)


class OfflineRedocView(SelfHostedOnly, SpectacularRedocView):
    renderer_classes = [OfflineRedocRenderer]


class OfflineSwaggerView(SelfHostedOnly, SpectacularSwaggerView):
    pass
