"""Every API error is JSON of one shape: {"detail": "…", "errors": {"parameter": ["…"]}}.

"detail" is one sentence a person can read; "errors" (on 400s) names each bad parameter or
field. The apps turn their own refusals into these (Conflict is a 409); the handler below gives
every error that shape.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The report changed since you read it."
    default_code = "conflict"


class NotModified(exceptions.APIException):
    """Raised before any work is done when the client's copy is current (answered with 304)."""

    status_code = status.HTTP_304_NOT_MODIFIED
    default_detail = ""


def messages_of(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [message for e in errors for message in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def _flatten(errors) -> dict[str, list[str]]:
    if isinstance(errors, dict):
        flat = {}
        for key, value in errors.items():
            if isinstance(value, dict):
                for inner, messages in _flatten(value).items():
                    flat[f"{key}.{inner}"] = messages
            else:
                flat[key] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return flat
    return {"non_field_errors": [str(m) for m in errors]}


def _summary(errors: dict[str, list[str]]) -> str:
    parts = []
    for name, messages in errors.items():
        text = " ".join(messages)
        parts.append(text if name == "non_field_errors" else f"{name}: {text}")
    return "Invalid request. " + " ".join(parts)


def api_exception_handler(exc, context):
    if isinstance(exc, NotModified):
        return Response(status=status.HTTP_304_NOT_MODIFIED)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(messages_of(exc))
    request = context.get("request")
    asked_format = request.query_params.get("format") if request is not None else None
    if isinstance(exc, Http404) and asked_format not in (None, "json", "csv"):
        # DRF answers an unknown ?format= with a bare 404.
        exc = exceptions.ValidationError({"format": ["Use json or csv."]})
    elif isinstance(exc, Http404):
        view = context.get("view")
        lookup = getattr(view, "lookup_field", None)
        kwargs = getattr(view, "kwargs", {}) or {}
        key = getattr(view, "lookup_url_kwarg", None) or lookup
        if view is not None and key in kwargs:
            model = view.get_queryset().model._meta.verbose_name
            exc = exceptions.NotFound(
                f"There is no {model} with {lookup} {str(kwargs[key])[:60]!r} that you can see."
            )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(response.data)
        response.data = {"detail": _summary(errors), "errors": errors}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = {"detail": str(detail or exc)}
    return response
