"""API of the catalogue, the course page and the grains: the same selectors
and services as the HTML views (courses/views.py), the same visibility.

- ``GET /api/v1/courses/``: anyone; published courses with the catalogue's
  filters (``q``, ``level``, ``area``), and the learner's progress.
- ``GET /api/v1/courses/{slug}/``: anyone for a published course, its
  authors and staff for a draft; the grains in order.
- ``GET /api/v1/courses/{slug}/units/{unit_slug}/``: logged in; a grain's
  content. As on the unit page, opening a grain of a published course
  enrols the learner and remembers the grain for resuming.
- ``GET /api/v1/competence-areas/``: anyone; the codes the ``area`` filter takes.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from learning_platform.api_support import (
    ApiPagination,
    ErrorSerializer,
    LinkField,
    RequestInvalid,
    form_errors,
)
from quizzes.api import QuizMetaSerializer, quiz_meta

from .forms import CatalogueFilterForm
from .models import Course, Unit
from .pages import catalogue_progress, course_page, unit_page, unit_place_or_404
from .selectors import catalogue_courses, competence_areas, competence_framework


def _course_api_path(course: Course) -> str:
    return reverse("api:course-detail", args=[course.slug])


def _unit_api_path(unit: Unit) -> str:
    return reverse("api:unit-detail", args=[unit.course.slug, unit.slug])


class CompetenceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="DigComp 2.2 code, e.g. 4.2 (area 4).")
    name = serializers.CharField(help_text="In the request's language (fr or en).")


class CompetenceAreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    competences = CompetenceSerializer(many=True, source="competences.all")


class CourseProgressSerializer(serializers.Serializer):
    """Where the learner stands in a course: required grains done."""

    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Rounded down; 100 only when all are done.")
    remaining = serializers.IntegerField()
    started = serializers.BooleanField()
    completed = serializers.BooleanField()


class CourseRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    level = serializers.ChoiceField(choices=Course.Level.choices)
    url = LinkField(_course_api_path, help_text="This course in the API.")
    web_url = LinkField(lambda course: course.get_absolute_url(), help_text="The course page.")


class CourseSerializer(CourseRefSerializer):
    """A course of the catalogue."""

    summary = serializers.CharField()
    language = serializers.CharField()
    licence = serializers.CharField()
    status = serializers.ChoiceField(choices=Course.Status.choices)
    unit_count = serializers.IntegerField(help_text="Number of grains.")
    total_minutes = serializers.IntegerField(
        allow_null=True, help_text="Estimated duration: the grains' minutes added up."
    )
    competences = CompetenceSerializer(many=True, source="competences.all")
    progress = CourseProgressSerializer(
        source="learner_progress",
        allow_null=True,
        help_text="The learner's progress; null for an anonymous client.",
    )


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = LinkField(_unit_api_path, help_text="This grain's content in the API.")


class UnitSummarySerializer(UnitRefSerializer):
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    position = serializers.IntegerField()
    minutes = serializers.IntegerField()
    required = serializers.BooleanField(help_text="Counts towards completing the course.")
    done = serializers.SerializerMethodField()

    def get_done(self, unit) -> bool:
        return unit.id in self.context.get("done", set())


class CourseDetailSerializer(CourseSerializer):
    """A course with its grains in order."""

    description_html = serializers.CharField(help_text="Sanitised HTML.")
    credits = serializers.CharField(help_text="Authors as credited.")
    licence_url = serializers.URLField()
    published_at = serializers.DateTimeField(allow_null=True)
    units = UnitSummarySerializer(many=True, source="unit_list")
    resume_unit = UnitRefSerializer(
        allow_null=True, help_text="The first grain not done yet; null once all are."
    )


class VideoSerializer(serializers.Serializer):
    """A video grain's player data: the app builds players from an
    allow-listed host, never from raw HTML."""

    provider = serializers.CharField(allow_null=True, help_text="youtube, vimeo or peertube.")
    embed_url = serializers.URLField(allow_null=True)
    watch_url = serializers.URLField(allow_null=True)
    file_url = serializers.URLField(allow_null=True, help_text="An uploaded video file.")
    captions_url = serializers.URLField(allow_null=True, help_text="WebVTT captions.")
    duration_seconds = serializers.IntegerField(allow_null=True)
    transcript_html = serializers.CharField(help_text="Sanitised HTML.")


class UnitDetailSerializer(serializers.Serializer):
    """A grain's content, as the unit page shows it."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Unit.Kind.choices)
    number = serializers.IntegerField(help_text="1 for the course's first grain.")
    minutes = serializers.IntegerField()
    required = serializers.BooleanField()
    web_url = serializers.URLField()
    course = CourseRefSerializer()
    body_html = serializers.CharField(
        help_text="Sanitised HTML: the fiche, or the introduction of a quiz."
    )
    video = VideoSerializer(allow_null=True)
    quiz = QuizMetaSerializer(
        allow_null=True, help_text="A quiz grain's quiz (null when it is not ready yet)."
    )
    done = serializers.BooleanField()
    tracking = serializers.BooleanField(
        help_text="Progress is recorded (false in a draft previewed by its authors)."
    )
    course_progress = CourseProgressSerializer()
    previous = UnitRefSerializer(allow_null=True)
    next = UnitRefSerializer(allow_null=True)


class CompetenceAreaListView(APIView):
    """Anyone: the competence framework (DigComp 2.2)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="competence_areas_list",
        responses=CompetenceAreaSerializer(many=True),
        tags=["courses"],
    )
    def get(self, request: Request) -> Response:
        return Response(CompetenceAreaSerializer(competence_framework(), many=True).data)


class CourseListView(APIView):
    """Anyone: the catalogue, gentlest first, with the learner's progress."""

    permission_classes = [AllowAny]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="courses_list",
        parameters=[
            OpenApiParameter("q", str, description="Words in the title or the summary."),
            OpenApiParameter("level", str, enum=Course.Level.values),
            OpenApiParameter(
                "area", str, description="A competence area code (see /api/v1/competence-areas/)."
            ),
        ],
        responses={
            200: CourseSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="A filter is not valid."),
        },
        tags=["courses"],
    )
    def get(self, request: Request) -> Response:
        form = CatalogueFilterForm(request.query_params, areas=competence_areas())
        if not form.is_valid():
            # The page reports and ignores a bad filter; an API client gets a 400.
            raise RequestInvalid(_("Some filters are not valid."), form_errors(form))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(catalogue_courses(**form.filters()), request, self)
        for course, progress in catalogue_progress(user=request.user, courses=page):
            course.learner_progress = progress
        data = CourseSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class CourseDetailView(APIView):
    """Anyone for a published course; its authors and staff for a draft."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="courses_retrieve", responses=CourseDetailSerializer, tags=["courses"]
    )
    def get(self, request: Request, slug: str) -> Response:
        page = course_page(user=request.user, slug=slug, with_badge=False)
        course = page.course
        course.unit_list = page.units
        course.resume_unit = page.resume
        course.learner_progress = page.progress if request.user.is_authenticated else None
        context = {"request": request, "done": page.done}
        return Response(CourseDetailSerializer(course, context=context).data)


def _video(request: Request, unit: Unit) -> dict | None:
    if unit.kind != Unit.Kind.VIDEO:
        return None
    source = unit.video_source

    def absolute(field):
        return request.build_absolute_uri(field.url) if field else None

    return {
        "provider": source.provider if source else None,
        "embed_url": source.embed_url if source else None,
        "watch_url": source.watch_url if source else None,
        "file_url": absolute(unit.video_file),
        "captions_url": absolute(unit.captions),
        "duration_seconds": unit.duration_seconds,
        "transcript_html": unit.transcript_html,
    }


class UnitDetailView(APIView):
    """A logged-in learner, in a course they may see (as the unit page)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="courses_units_retrieve",
        description=(
            "Opening a grain of a published course enrols the learner and remembers "
            "the grain for resuming, as the unit page does."
        ),
        responses=UnitDetailSerializer,
        tags=["courses"],
    )
    def get(self, request: Request, slug: str, unit_slug: str) -> Response:
        place = unit_place_or_404(user=request.user, slug=slug, unit_slug=unit_slug)
        page = unit_page(user=request.user, place=place, with_form=False)
        unit = page.unit
        payload = {
            "id": unit.id,
            "slug": unit.slug,
            "title": unit.title,
            "kind": unit.kind,
            "number": page.number,
            "minutes": unit.minutes,
            "required": unit.required,
            "web_url": request.build_absolute_uri(unit.get_absolute_url()),
            "course": page.course,
            "body_html": unit.body_html,
            "video": _video(request, unit),
            "quiz": quiz_meta(request=request, panel=page.quiz) if page.quiz else None,
            "done": unit.id in page.done,
            "tracking": page.tracking,
            "course_progress": page.progress,
            "previous": page.previous,
            "next": page.next,
        }
        return Response(UnitDetailSerializer(payload, context={"request": request}).data)
