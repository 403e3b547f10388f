"""Reads of the progress app. Each takes the whole page's courses at once,
so a page asks in a fixed number of queries however many courses it shows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import Course, Unit
from courses.selectors import level_rank
from learning_platform.models import Cohort

from .deadlines import is_late
from .models import CohortCourse, Enrolment, UnitCompletion


@dataclass(frozen=True)
class CourseProgress:
    done: int
    total: int
    started: bool
    completed: bool

    @property
    def percent(self) -> int:
        """Share of required grains done, rounded down (100 only when all are)."""
        if self.total == 0:
            return 100 if self.completed else 0
        return self.done * 100 // self.total

    @property
    def remaining(self) -> int:
        """Required grains left to complete."""
        return max(self.total - self.done, 0)


NOT_STARTED = CourseProgress(done=0, total=0, started=False, completed=False)


# A course id that matches no course.
NO_ROW = {"total": 0, "done": 0, "enrolment": None, "completed_at": None}


def course_progress_map(*, learner, course_ids) -> dict[int, CourseProgress]:
    """Progress of the learner in each course, in one query."""
    course_ids = list(course_ids)
    if not learner.is_authenticated or not course_ids:
        return {}
    # The learner's tests in the joins (FilteredRelation), not in a FILTER
    # over every learner's rows: at most one joined completion per grain and
    # one enrolment per course, each an index lookup instead of a scan.
    rows = (
        Course.objects.filter(id__in=course_ids)
        .annotate(
            mine=FilteredRelation(
                "units__completions", condition=Q(units__completions__learner=learner)
            ),
            enrolled=FilteredRelation("enrolments", condition=Q(enrolments__learner=learner)),
        )
        .order_by()
        .values("id")
        .annotate(
            total=Count("units", filter=Q(units__required=True)),
            done=Count("mine", filter=Q(units__required=True)),
            enrolment=Max("enrolled__id"),
            completed_at=Max("enrolled__completed_at"),
        )
    )
    by_course = {row["id"]: row for row in rows}
    result = {}
    for course_id in course_ids:
        row = by_course.get(course_id, NO_ROW)
        result[course_id] = CourseProgress(
            done=row["done"],
            total=row["total"],
            started=row["enrolment"] is not None,
            completed=row["completed_at"] is not None,
        )
    return result


def course_progress_for(*, learner, course: Course) -> CourseProgress:
    """The learner's progress in one course (not started for anyone anonymous)."""
    return course_progress_map(learner=learner, course_ids=[course.id]).get(course.id, NOT_STARTED)


def completed_unit_ids(*, learner, course: Course) -> set[int]:
    if not learner.is_authenticated:
        return set()
    return set(
        UnitCompletion.objects.filter(learner=learner, unit__course=course).values_list(
            "unit_id", flat=True
        )
    )


def next_unit(*, units: list[Unit], done: set[int]) -> Unit | None:
    """The exact next unfinished grain: the first in course order not done."""
    return next((u for u in units if u.id not in done), None)


@dataclass(frozen=True)
class CourseAction:
    """The course page's main button: ``start`` at the first grain,
    ``resume`` at the first grain not done, or ``review`` from the first
    grain once the course is complete (or every grain is done)."""

    kind: str  # "start", "resume" or "review"
    target: Unit | None  # None only for a course without grains


def course_action(*, units: list[Unit], done: set[int], progress: CourseProgress) -> CourseAction:
    first = units[0] if units else None
    resume = next_unit(units=units, done=done)
    if progress.completed or resume is None:
        return CourseAction("review", first)
    if progress.started or done:
        return CourseAction("resume", resume)
    return CourseAction("start", first)


@dataclass(frozen=True)
class DashboardEntry:
    course: Course
    progress: CourseProgress
    resume_unit: Unit | None
    enrolment: Enrolment


@dataclass(frozen=True)
class Dashboard:
    in_progress: list[DashboardEntry]
    completed: list[DashboardEntry]
    suggestion: Course | None


def enrolments_for(*, learner):
    """The learner's own enrolments, latest activity first (a queryset, to paginate)."""
    return (
        Enrolment.objects.filter(learner=learner)
        .select_related("course")
        .order_by("-last_activity_at", "-id")
    )


def dashboard_entries(*, learner, enrolments: list[Enrolment]) -> list[DashboardEntry]:
    """Each enrolment with its progress and its resume grain, in four
    queries however many enrolments there are."""
    course_ids = [e.course_id for e in enrolments]
    progress = course_progress_map(learner=learner, course_ids=course_ids)
    done = set(
        UnitCompletion.objects.filter(learner=learner, unit__course_id__in=course_ids).values_list(
            "unit_id", flat=True
        )
    )
    units_by_course: dict[int, list[Unit]] = {}
    for unit in Unit.objects.filter(course_id__in=course_ids).only(
        "id", "slug", "title", "course_id", "position"
    ):
        units_by_course.setdefault(unit.course_id, []).append(unit)
    return [
        DashboardEntry(
            course=enrolment.course,
            progress=progress.get(enrolment.course_id, NOT_STARTED),
            resume_unit=next_unit(units=units_by_course.get(enrolment.course_id, []), done=done),
            enrolment=enrolment,
        )
        for enrolment in enrolments
    ]


def dashboard_for(*, learner) -> Dashboard:
    """ "Mes parcours": courses in progress with their resume grain, courses
    completed, and one suggested next course. Seven queries whatever the data."""
    enrolments = list(enrolments_for(learner=learner))
    in_progress, completed = [], []
    for entry in dashboard_entries(learner=learner, enrolments=enrolments):
        (completed if entry.enrolment.completed_at else in_progress).append(entry)
    return Dashboard(in_progress, completed, _suggest(learner=learner, enrolments=enrolments))


def _suggest(*, learner, enrolments: list[Enrolment]) -> Course | None:
    """A published course the learner has not started: at the level of their
    latest completed course or the next one up, preferring shared competence
    areas; the gentlest course otherwise."""
    candidates = list(
        Course.objects.published()
        .exclude(enrolments__learner=learner)
        .prefetch_related("competences")
        .order_by("title")[:50]
    )
    if not candidates:
        return None
    finished = [e.course for e in enrolments if e.completed_at]
    if not finished:
        return min(candidates, key=lambda c: (level_rank(c.level), c.title))
    latest = max((e for e in enrolments if e.completed_at), key=lambda e: e.completed_at).course
    level = level_rank(latest.level)
    areas = set(latest.competences.values_list("area_id", flat=True))

    def rank(course):
        gap = level_rank(course.level) - level
        shared = bool(areas & {c.area_id for c in course.competences.all()})
        return (gap not in (0, 1), not shared, abs(gap), course.title)

    return min(candidates, key=rank)


# What tutors assigned to the learner


@dataclass(frozen=True)
class LearnerAssignment:
    """A course a tutor assigned to one of the learner's groups, as the
    learner sees it: late by the same rule as in the tutor's table."""

    course: Course
    cohort: Cohort
    due_date: date | None
    progress: CourseProgress
    late: bool

    @property
    def completed(self) -> bool:
        return self.progress.completed


def _count_subquery(queryset, field: str):
    """The number of rows of ``queryset`` per ``field`` as a subquery, 0 when none."""
    counted = queryset.order_by().values(field).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def assignments_for(*, learner, today: date | None = None) -> list[LearnerAssignment]:
    """The courses assigned to the groups the learner consented to and that
    are not archived, with the learner's progress in each: what is left to
    do first, soonest due date first (none last), completed courses at the
    end. One query however many groups and courses."""
    if not learner.is_authenticated:
        return []
    today = today or timezone.localdate()
    course = OuterRef("course_id")
    mine = Enrolment.objects.filter(learner=learner, course_id=course)
    rows = (
        CohortCourse.objects.filter(
            cohort__memberships__learner=learner,
            cohort__memberships__consented_at__isnull=False,
            cohort__archived_at__isnull=True,
        )
        .select_related("course", "cohort")
        .annotate(
            required=_count_subquery(
                Unit.objects.filter(course_id=course, required=True), "course_id"
            ),
            done=_count_subquery(
                UnitCompletion.objects.filter(
                    learner=learner, unit__course_id=course, unit__required=True
                ),
                "unit__course_id",
            ),
            started=Exists(mine),
            completed=Exists(mine.filter(completed_at__isnull=False)),
        )
        .order_by(F("due_date").asc(nulls_last=True), "cohort__name", "position", "id")
    )
    found = [
        LearnerAssignment(
            course=row.course,
            cohort=row.cohort,
            due_date=row.due_date,
            progress=CourseProgress(
                done=row.done, total=row.required, started=row.started, completed=row.completed
            ),
            late=is_late(due_date=row.due_date, completed=row.completed, today=today),
        )
        for row in rows
    ]
    # Stable: the database's order stays within the done and the not done.
    return sorted(found, key=lambda a: a.completed)


def assignments_by_cohort(*, learner, today: date | None = None) -> dict[int, list]:
    """``assignments_for`` by cohort id, for the learner's groups page (one query)."""
    grouped: dict[int, list[LearnerAssignment]] = {}
    for assignment in assignments_for(learner=learner, today=today):
        grouped.setdefault(assignment.cohort.id, []).append(assignment)
    return grouped
