"""API of the learner's own progress: the same selectors as "Mes parcours"
(progress/views.py).

- ``GET /api/v1/me/enrolments/``: the logged-in learner's enrolments only,
  latest activity first, each with its progress and the grain to resume at.
- ``GET /api/v1/tutor/cohorts/``: the cohorts the user tutors or manages,
  with the tutor dashboard's headline figures.
- ``GET /api/v1/tutor/cohorts/{id}/progress/``: the cohort page's table, from
  the same selector (consented learners only); 404 for any other cohort.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.api import CourseProgressSerializer, CourseRefSerializer, UnitRefSerializer
from learning_platform.api_support import ApiPagination

from . import tutor_pages, tutor_selectors
from .selectors import dashboard_entries, enrolments_for
from .tutor_listing import sort_rows


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


class CohortSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="cohort.id")
    name = serializers.CharField(source="cohort.name")
    organisation = serializers.CharField(source="cohort.organisation.name")
    learners = serializers.IntegerField(help_text="Learners who consented.")
    pending = serializers.IntegerField(help_text="Invitations waiting for consent.")
    active_this_week = serializers.IntegerField()
    completion = serializers.IntegerField(help_text="Percent of assigned courses completed.")
    badges = serializers.IntegerField()


class TutorCohortListView(APIView):
    """A tutor or organisation manager: their cohorts (empty for others)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tutor_cohorts_list",
        responses=CohortSummarySerializer(many=True),
        tags=["tutor"],
    )
    def get(self, request: Request) -> Response:
        summaries = tutor_pages.dashboard_summaries(request.user)
        return Response(CohortSummarySerializer(summaries, many=True).data)


class AssignedCourseSerializer(serializers.Serializer):
    slug = serializers.CharField(source="course.slug")
    title = serializers.CharField(source="course.title")
    due_date = serializers.DateField(allow_null=True)


class CellSerializer(serializers.Serializer):
    percent = serializers.IntegerField()
    started = serializers.BooleanField()
    completed = serializers.BooleanField()
    best_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    badge = serializers.BooleanField()
    late = serializers.BooleanField()


class RowSerializer(serializers.Serializer):
    username = serializers.CharField(source="learner.username")
    name = serializers.CharField(source="learner.__str__")
    joined_at = serializers.DateTimeField(allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=tutor_selectors.FLAGS))
    failing_quizzes = serializers.ListField(child=serializers.CharField())
    cells = CellSerializer(many=True, help_text="One per assigned course, in order.")


class CohortProgressSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    courses = AssignedCourseSerializer(many=True)
    results = RowSerializer(many=True)


class TutorCohortProgressView(APIView):
    """A tutor of the cohort: its progress table, learners by name."""

    permission_classes = [IsAuthenticated]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="tutor_cohort_progress",
        responses=CohortProgressSerializer,
        tags=["tutor"],
    )
    def get(self, request: Request, cohort_id: int) -> Response:
        cohort = tutor_selectors.cohorts_for_tutor(request.user).filter(pk=cohort_id).first()
        if cohort is None:
            raise Http404
        table = tutor_pages.cohort_table_page(cohort)
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(sort_rows(table, "name"), request, self)
        response = paginator.get_paginated_response(RowSerializer(rows, many=True).data)
        response.data["courses"] = AssignedCourseSerializer(table.assignments, many=True).data
        return response
