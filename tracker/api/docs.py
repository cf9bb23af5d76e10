"""Interactive API docs served by the project itself (drf-spectacular-sidecar), with no request
to another host: they work offline and leak no visitor to a third party."""

from django.template import engines
from drf_spectacular.views import SpectacularRedocView
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


class OfflineRedocRenderer(TemplateHTMLRenderer):
    def resolve_template(self, template_names):
        return engines["django"].from_string(REDOC_PAGE)


class OfflineRedocView(SpectacularRedocView):
    renderer_classes = [OfflineRedocRenderer]
