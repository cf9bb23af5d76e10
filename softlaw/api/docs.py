"""Interactive API docs served by the project itself (drf-spectacular-sidecar), with no request
to another host: they work offline and send no visitor's address to a third party.

Both pages run under the site's Content-Security-Policy: their one inline start-up script carries
the request's nonce, and the policy is widened for these two pages alone by what the viewers
need (styles they inject at run time, and Redoc's search worker), never by 'unsafe-inline' or
'unsafe-eval' for scripts."""

from django.template import engines
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.renderers import TemplateHTMLRenderer

# drf-spectacular's Swagger UI and Redoc pages, written out in full rather than extended: its
# templates have no lang on <html> and no description, and its Redoc page loads Google Fonts (this
# one does not: Redoc falls back to the system fonts). Each start-up script carries the request's
# nonce. Redoc's bundle still links its maker's logo from a CDN: the policy's img-src refuses it
# before the request leaves the browser, and Redoc drops the image.
SWAGGER_PAGE = """{% load static %}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title|default:"Swagger" }}</title>
<meta name="description"
      content="The Soft-Law Tracker's API: every resource and filter, tried from the browser.">
<link rel="icon" href="{% static 'favicon.svg' %}" type="image/svg+xml">
<link rel="stylesheet" href="{{ swagger_ui_css }}">
<link rel="stylesheet" href="{% static 'css/api-docs.css' %}">
</head>
<body>
<p class="docs-note">These interactive docs use Swagger UI, a third-party viewer whose own markup
has accessibility problems this project cannot fix (buttons nested in other controls, text below
the contrast WCAG asks for). The same reference, readable with a screen reader and a keyboard, is on
<a href="{% url 'api-redoc' %}">the Redoc page</a>.</p>
<div id="swagger-ui"></div>
<script src="{{ swagger_ui_bundle }}"></script>
<script src="{{ swagger_ui_standalone }}"></script>
<script nonce="{{ request.csp_nonce }}">
{% include template_name_js %}
</script>
</body>
</html>
"""

REDOC_PAGE = """{% load static %}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title|default:"Redoc" }}</title>
<meta name="description"
      content="The Soft-Law Tracker's API reference: every resource, filter and field.">
<link rel="icon" href="{% static 'favicon.svg' %}" type="image/svg+xml">
<link rel="stylesheet" href="{% static 'css/api-docs.css' %}">
</head>
<body>
<div id="redoc-container"></div>
<script src="{{ redoc_standalone }}"></script>
<script nonce="{{ request.csp_nonce }}">
  Redoc.init("{{ schema_url|escapejs }}", {{ settings|default:"{}"|safe }},
             document.getElementById("redoc-container"));
</script>
</body>
</html>
"""

# Added to the site's policy (softlaw/settings.py) for the docs pages only. Both viewers set
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
