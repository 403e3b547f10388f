"""The REST API: its root, its URLs, the schema and its docs, and the
user's own API tokens. Each app's endpoints live in its ``api.py``.

Included at ``/api/`` by learning_platform/urls.py:

- ``/api/v1/``: the endpoints (``api:<name>``).
- ``/api/schema/``: the OpenAPI 3 schema (drf-spectacular).
- ``/api/docs/``: Swagger UI, served by the app (drf-spectacular-sidecar)
  with its init script as a file of its own: the site's CSP forbids inline
  script.

Tokens are created on the profile page only (the key is shown there once);
the API lists them and revokes them, so that a leaked token cannot mint
others.
"""

from django.http import Http404
from django.urls import include, path, re_path, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .api_support import ApiPagination, NotFoundView
from .models import ApiToken
from .selectors import api_tokens_for
from .services import api_token_revoke


class ApiRootSerializer(serializers.Serializer):
    courses = serializers.URLField(help_text="The catalogue.")
    competence_areas = serializers.URLField()
    my_enrolments = serializers.URLField()
    my_badges = serializers.URLField()
    my_tokens = serializers.URLField()
    schema = serializers.URLField(help_text="This API's OpenAPI 3 schema.")
    docs = serializers.URLField()


class ApiRootView(APIView):
    """Anyone: where to start."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="root", responses=ApiRootSerializer, tags=["root"])
    def get(self, request: Request) -> Response:
        names = {
            "courses": "api:course-list",
            "competence_areas": "api:competence-area-list",
            "my_enrolments": "api:enrolment-list",
            "my_badges": "api:badge-list",
            "my_tokens": "api:token-list",
            "schema": "api:schema",
            "docs": "api:docs",
        }
        return Response({key: request.build_absolute_uri(reverse(n)) for key, n in names.items()})


class ApiTokenSerializer(serializers.Serializer):
    """One of the user's tokens. The token itself is never shown again."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The token's first characters.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(
        allow_null=True, help_text="To the minute; null if never used."
    )


class ApiTokenListView(APIView):
    """The logged-in user: their own tokens in use."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="me_tokens_list", responses=ApiTokenSerializer(many=True), tags=["me"]
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(api_tokens_for(user=request.user), request, self)
        return paginator.get_paginated_response(ApiTokenSerializer(page, many=True).data)


class ApiTokenDetailView(APIView):
    """The logged-in user, for their own token; anyone else's is a 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="me_tokens_revoke",
        description="Revoke the token: it stops working at once.",
        request=None,
        responses={204: None},
        tags=["me"],
    )
    def delete(self, request: Request, token_id: int) -> Response:
        try:
            token = api_tokens_for(user=request.user).get(pk=token_id)
        except ApiToken.DoesNotExist as exc:
            raise Http404 from exc
        api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Anyone: Swagger UI, without inline script or style."""

    template_name = "api/swagger_ui.html"


# Each app's endpoints, by dotted path: this module, at the bottom of the
# chain, imports no view of the apps above it.
v1 = [
    path("", ApiRootView.as_view(), name="root"),
    path("", include("courses.api_urls")),
    path("", include("quizzes.api_urls")),
    path("", include("progress.api_urls")),
    path("", include("badges.api_urls")),
    path("me/tokens/", ApiTokenListView.as_view(), name="token-list"),
    path("me/tokens/<id:token_id>/", ApiTokenDetailView.as_view(), name="token-detail"),
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    # Any other path under /api/: a 404 in the API's error format, not an HTML page.
    re_path(r"^(?P<path>[\s\S]*)$", NotFoundView.as_view()),  # newlines included
]
