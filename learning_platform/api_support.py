"""What every API endpoint shares: one error format, pagination, the schema
class that documents the errors, and the JSON 404 for unknown API paths.

Every error has the same body, whatever raised it::

    {"message": "A sentence for a person.", "errors": {"field": ["..."]}}

``errors`` is empty unless the request had invalid fields; nested fields
are joined with dots (``answers.0.question``), and errors about the whole
request are under ``non_field_errors``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .inputs import parse_int


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    message = serializers.CharField(help_text="What went wrong, in the user's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per invalid field; empty when no field is at fault.",
    )


class RequestInvalid(exceptions.ValidationError):
    """A 400 with a message of its own beside the field errors."""

    def __init__(self, message: str, errors: dict):
        super().__init__(errors)
        self.message = message


class Conflict(exceptions.APIException):
    """The request clashes with the resource's state (409)."""

    status_code = 409
    default_detail = _lazy("The request conflicts with the current state.")
    default_code = "conflict"


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as ``{"a.0.b": ["..."]}``."""
    key = prefix or api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, dict):
        result: dict[str, list[str]] = {}
        for name, value in detail.items():
            if prefix and name == api_settings.NON_FIELD_ERRORS_KEY:
                path = prefix  # about the nested object as a whole
            else:
                path = f"{prefix}.{name}" if prefix else str(name)
            result.update(_flatten(value, path))
        return result
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {key: [str(item) for item in detail]} if detail else {}
        result = {}
        for index, item in enumerate(detail):
            result.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return result
    return {key: [str(detail)]}


def exception_handler(exc, context):
    """DRF's handler (status, headers such as WWW-Authenticate and
    Retry-After), with the body in the one error format."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a server error, reported as such
    if isinstance(exc, exceptions.ValidationError):
        message = getattr(exc, "message", None) or _("Some fields are not valid.")
        errors = _flatten(exc.detail)
    else:
        # DRF's body for the others (Http404 and PermissionDenied converted): {"detail": ...}
        message = str(response.data.get("detail", "")) if isinstance(response.data, dict) else ""
        message = message or _("The request could not be served.")
        errors = {}
    response.data = {"message": message, "errors": errors}
    return response


class NotFoundView(APIView):
    """Anyone: an API path that does not exist, whatever the method: a 404 in
    the error format, after the same authentication (and CSRF check) as any
    endpoint, not Django's HTML page."""

    permission_classes = [AllowAny]
    schema = None  # not an endpoint

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    options = http_method_not_allowed


class ApiPagination(PageNumberPagination):
    """``?page=2&page_size=50``; a page past the end is a 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    # Both numbers read by learning_platform.inputs, as everywhere: DRF's
    # int() would take "٣" for 3.
    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or 1
        if raw in self.last_page_strings:
            return raw
        return parse_int(raw, minimum=1) or 0  # 0: DRF's "invalid page", a 404

    def get_page_size(self, request):
        size = parse_int(request.query_params.get(self.page_size_query_param), minimum=1)
        return min(size, self.max_page_size) if size else self.page_size


class ApiSchema(AutoSchema):
    """Documents, on every operation, the errors it can answer with, in the
    error format: 401 (missing or bad credentials), 429 (throttled); 404 with
    a path parameter or a page number; 400, 403 (CSRF, for session clients)
    and 415 with a request body. Views declare the others (400 on bad
    filters, 409)."""

    ERRORS = {
        "400": "The request is not valid: see `errors`.",
        "401": "Authentication is missing or not valid (see WWW-Authenticate).",
        "403": "Not allowed (for a session client: the CSRF token is missing or wrong).",
        "404": "Not found, or not yours.",
        "415": "The body is not JSON.",
        "429": "Too many requests: wait the Retry-After seconds.",
    }

    def _error_codes(self) -> list[str]:
        codes = ["401", "429"]
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("403")
            if self.get_request_serializer() is not None:
                codes += ["400", "415"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=self.ERRORS[code]), code
                )
        return dict(sorted(responses.items()))


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "learning_platform.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal API token, created on the profile page (/accounts/profile/): "
                "`Authorization: Bearer lp_…`. `Token lp_…` works too."
            ),
        }


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """A read-only absolute URL built from the object: ``build(obj)`` gives
    the path (or None, with ``allow_null``)."""

    def __init__(self, build, **kwargs):
        self.build = build
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        path = self.build(value)
        if path is None:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


def form_errors(form) -> dict[str, list[str]]:
    """A Django form's errors in the API's ``errors`` shape."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field): [
            str(message) for message in messages
        ]
        for field, messages in form.errors.items()
    }
