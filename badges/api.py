"""API of the learner's own badges: the same selectors and Open Badges
documents as "Mes badges" (badges/views.py).

- ``GET /api/v1/me/badges/``: the logged-in learner's awards, newest first,
  with their public assertion URLs (once claimed with an e-mail).
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.api import CourseRefSerializer
from learning_platform.api_support import ApiPagination

from . import openbadges, selectors
from .models import Assertion


class AssertionSerializer(serializers.Serializer):
    """A badge awarded to the learner (an Open Badges 2.0 assertion)."""

    uuid = serializers.UUIDField()
    name = serializers.CharField(source="badge_class.name")
    description = serializers.CharField(source="badge_class.description")
    course = CourseRefSerializer(source="badge_class.course")
    issued_on = serializers.DateTimeField()
    claimed = serializers.BooleanField(
        source="is_claimed",
        help_text="Tied to an e-mail and publicly verifiable (claim it on the My badges page).",
    )
    revoked = serializers.BooleanField(source="is_revoked")
    revocation_reason = serializers.CharField()
    image_url = serializers.SerializerMethodField()
    assertion_url = serializers.SerializerMethodField(
        help_text="The public Open Badges assertion: JSON-LD for verifiers, a verification "
        "page for browsers. Null until claimed; once revoked it answers 410."
    )
    download_png_url = serializers.SerializerMethodField(
        help_text="The image with the assertion baked in; null unless claimed and not revoked."
    )
    download_svg_url = serializers.SerializerMethodField()

    def get_image_url(self, award: Assertion) -> str:
        return openbadges.badge_class_image_url(award.badge_class)

    def get_assertion_url(self, award: Assertion) -> str | None:
        return openbadges.assertion_url(award) if award.is_claimed else None

    def get_download_png_url(self, award: Assertion) -> str | None:
        return self._download(award, "badges:download_png")

    def get_download_svg_url(self, award: Assertion) -> str | None:
        return self._download(award, "badges:download_svg")

    @staticmethod
    def _download(award: Assertion, name: str) -> str | None:
        # Public downloads exist for claimed awards only, and end with a revocation.
        if not award.is_claimed or award.is_revoked:
            return None
        return openbadges.absolute(reverse(name, args=[award.uuid]))


class BadgeListView(APIView):
    """The logged-in learner: their own badges only."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="me_badges_list", responses=AssertionSerializer(many=True), tags=["me"]
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            selectors.assertions_for(learner=request.user), request, self
        )
        data = AssertionSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)
