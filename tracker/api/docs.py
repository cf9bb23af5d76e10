"""Interactive API docs served by the project itself (drf-spectacular-sidecar), with no request
to another host: they work offline and send no visitor's address to a third party.

Both pages run under the site's Content-Security-Policy: their one inline start-up script carries
the request's nonce, and the policy is widened for these two pages alone by what the viewers
need (styles they inject at run time, and Redoc's search worker), never by 'unsafe-inline' or
'unsafe-eval' for scripts."""

from django.template import engines
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.renderers import TemplateHTMLRenderer

# drf-spectacular's Swagger UI page, with the nonce on its inline start-up script.
SWAGGER_PAGE = """{% extends "drf_spectacular/swagger_ui.html" %}
{% block body %}
<div id="swagger-ui"></div>
<script src="{{ swagger_ui_bundle }}"></script>
<script src="{{ swagger_ui_standalone }}"></script>
<script nonce="{{ request.csp_nonce }}">
{% include template_name_js %}
</script>
{% endblock body %}
"""

# drf-spectacular's Redoc page loads Google Fonts in its head block; this one does not (Redoc
# falls back to the system fonts), and its start-up script carries the nonce. Redoc's bundle
# still links its maker's logo from a CDN: the policy's img-src refuses it before the request
# leaves the browser, and Redoc drops the image.
REDOC_PAGE = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}
<title>{{ title|default:"Redoc" }}</title>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{% load static %}<link rel="icon" href="{% static 'favicon.svg' %}">
<style>body { margin: 0; padding: 0; }</style>
{% endblock head %}
{% block body %}
<div id="redoc-container"></div>
<script src="{{ redoc_standalone }}"></script>
<script nonce="{{ request.csp_nonce }}">
  Redoc.init("{{ schema_url|escapejs }}", {{ settings|default:"{}"|safe }},
             document.getElementById("redoc-container"));
</script>
{% endblock body %}
"""

# Added to the site's policy (tracker/settings.py) for the docs pages only. Both viewers set
# styles from script (a nonce on style-src would switch 'unsafe-inline' off, so none is used);
# Redoc runs its search in a blob: worker.
DOCS_CSP_UPDATE = {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]}


class SelfHostedOnly:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response._csp_update = DOCS_CSP_UPDATE
        # drf-spectacular opens this up for OAuth2 sign-in pop-ups, which the API does not use.
        response["Cross-Origin-Opener-Policy"] = "same-origin"
        return response


class FromString(TemplateHTMLRenderer):
    page = ""

    def resolve_template(self, template_names):
        return engines["django"].from_string(self.page)


class OfflineRedocRenderer(FromString):
    page = REDOC_PAGE


class OfflineSwaggerRenderer(FromString):
    page = SWAGGER_PAGE


class OfflineRedocView(SelfHostedOnly, SpectacularRedocView):
    renderer_classes = [OfflineRedocRenderer]


class OfflineSwaggerView(SelfHostedOnly, SpectacularSwaggerView):
    renderer_classes = [OfflineSwaggerRenderer]
