"""The OpenAPI schema: drf-spectacular's, with every error response the API can give."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from softlaw.api.serializers import ErrorSerializer

ERRORS = {
    "400": "A parameter or field is invalid: `errors` names each one.",
    "401": "No credentials, or a bad token.",
    "403": "Not allowed: for example a report of an economy you are not an officer of.",
    "404": "No such record that you can see, or a page past the end.",
    "409": "The report changed since you read it (stale version), or its review state does "
    "not allow this.",
    "412": "A conditional header (If-Match on GET) did not match.",
    "429": "Too many requests: wait for the number of seconds in Retry-After.",
}


class TrackerAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if self.method == "GET":
            codes = ["400", "404", "412", "429"]
            responses["304"] = {"description": "Not modified: your copy (ETag) is current."}
        else:
            codes = ["400", "401", "403", "404", "409", "429"]
        for code in codes:
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=ERRORS[code]),
                    code,
                    media_types=["application/json"],
                ),
            )
        return responses
