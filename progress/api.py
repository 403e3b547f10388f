"""API of the learner's own progress: the same selectors as "Mes parcours"
(progress/views.py).

- ``GET /api/v1/me/enrolments/``: the logged-in learner's enrolments only,
  latest activity first, each with its progress and the grain to resume at.

TODO(tutors): the tutor endpoints (``GET /api/v1/tutor/cohorts/``, a tutor's
own cohorts; ``GET /api/v1/tutor/cohorts/{id}/progress/``, a cohort's progress
table) go here once progress/tutor_selectors.py has landed. They must call
those selectors, as the tutor pages do, and answer 404 for a cohort the
tutor does not follow.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.api import CourseProgressSerializer, CourseRefSerializer, UnitRefSerializer
from learning_platform.api_support import ApiPagination

from .selectors import dashboard_entries, enrolments_for


class EnrolmentSerializer(serializers.Serializer):
    """A course the learner has entered, and where they stand in it."""

    course = CourseRefSerializer()
    started_at = serializers.DateTimeField(source="enrolment.started_at")
    last_activity_at = serializers.DateTimeField(source="enrolment.last_activity_at")
    completed_at = serializers.DateTimeField(source="enrolment.completed_at", allow_null=True)
    progress = CourseProgressSerializer()
    resume_unit = UnitRefSerializer(
        allow_null=True, help_text="The first grain not done yet; null once all are."
    )


class EnrolmentListView(APIView):
    """The logged-in learner: their own enrolments only."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="me_enrolments_list",
        responses=EnrolmentSerializer(many=True),
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(enrolments_for(learner=request.user), request, self)
        entries = dashboard_entries(learner=request.user, enrolments=page)
        for entry in entries:
            if entry.resume_unit is not None:
                entry.resume_unit.course = entry.course  # for its URL, without a query
        data = EnrolmentSerializer(entries, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)
