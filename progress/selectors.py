"""Reads of the progress app. Each takes the whole page's courses at once,
so a page asks in a fixed number of queries however many courses it shows."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
)
from django.utils import timezone

from courses.models import Course, Unit
from courses.selectors import level_rank, published_briefs
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
    assignments: list["LearnerAssignment"] = ()


# The course fields a learner's list of courses shows (title, level, link).
LISTED_COURSE_FIELDS = ("course__id", "course__slug", "course__title", "course__level")


def enrolments_for(*, learner):
    """The learner's own enrolments, latest activity first (a queryset, to paginate)."""
    return (
        Enrolment.objects.filter(learner=learner)
        .select_related("course")
        .only(
            "learner_id",
            "course_id",
            "started_at",
            "last_activity_at",
            "last_unit_id",
            "completed_at",
            *LISTED_COURSE_FIELDS,
        )
        .order_by("-last_activity_at", "-id")
    )


@dataclass(frozen=True)
class LearnerCourses:
    """Where a learner stands in some courses, read at once (one query):
    each course's grains in course order and the ones the learner completed.
    ``enrolments``: the learner's, by course id (read by the caller)."""

    units: dict[int, list[Unit]]
    done: set[int]
    enrolments: dict[int, Enrolment]

    def progress(self, course_id: int) -> CourseProgress:
        """The same figures as ``course_progress_map``: required grains done
        and in all, started, completed."""
        required = [u.id for u in self.units.get(course_id, ()) if u.required]
        enrolment = self.enrolments.get(course_id)
        return CourseProgress(
            done=sum(unit_id in self.done for unit_id in required),
            total=len(required),
            started=enrolment is not None,
            completed=enrolment is not None and enrolment.completed_at is not None,
        )

    def resume(self, course_id: int) -> Unit | None:
        return next_unit(units=self.units.get(course_id, []), done=self.done)


_READ = object()  # an argument to read, not given


def course_state(
    *, learner, course: Course, units: list[Unit], enrolment: Enrolment | None | object = _READ
) -> tuple[set[int], CourseProgress]:
    """The grains of the course the learner completed, and their progress,
    the course's grains given: one query, and one more for the enrolment
    unless given (``None``: not enrolled); none for anyone anonymous."""
    if not learner.is_authenticated:
        return set(), NOT_STARTED
    done = completed_unit_ids(learner=learner, course=course)
    if enrolment is _READ:
        enrolment = (
            Enrolment.objects.filter(learner=learner, course=course)
            .only("course_id", "completed_at")
            .first()
        )
    enrolments = {course.id: enrolment} if enrolment is not None else {}
    return done, LearnerCourses({course.id: units}, done, enrolments).progress(course.id)


def learner_courses(*, learner, course_ids, enrolments: list[Enrolment]) -> LearnerCourses:
    """``LearnerCourses`` of these courses (one query, none without courses)."""
    course_ids = set(course_ids)
    units: dict[int, list[Unit]] = {}
    done: set[int] = set()
    if course_ids:
        completed = UnitCompletion.objects.filter(learner=learner, unit_id=OuterRef("pk"))
        for unit in (
            Unit.objects.filter(course_id__in=course_ids)
            .only("id", "slug", "title", "course_id", "position", "required")
            .annotate(completed=Exists(completed))
        ):
            units.setdefault(unit.course_id, []).append(unit)
            if unit.completed:
                done.add(unit.id)
    return LearnerCourses(units, done, {e.course_id: e for e in enrolments})


def dashboard_entries(
    *, learner, enrolments: list[Enrolment], courses: LearnerCourses | None = None
) -> list[DashboardEntry]:
    """Each enrolment with its progress and its resume grain, in one query
    however many enrolments there are (none given ``courses``, read already)."""
    if courses is None:
        courses = learner_courses(
            learner=learner, course_ids=[e.course_id for e in enrolments], enrolments=enrolments
        )
    return [
        DashboardEntry(
            course=enrolment.course,
            progress=courses.progress(enrolment.course_id),
            resume_unit=courses.resume(enrolment.course_id),
            enrolment=enrolment,
        )
        for enrolment in enrolments
    ]


def dashboard_for(*, learner, today: date | None = None) -> Dashboard:
    """ "Mes parcours": courses in progress with their resume grain, courses
    completed, one suggested next course, and what the learner's groups
    assign. Four queries whatever the data (with the catalogue's version;
    two more when the cache misses the catalogue in brief)."""
    enrolments = list(enrolments_for(learner=learner))
    assigned = _assigned(learner=learner)
    courses = learner_courses(
        learner=learner,
        course_ids=[e.course_id for e in enrolments] + [a.course_id for a in assigned],
        enrolments=enrolments,
    )
    in_progress, completed = [], []
    for entry in dashboard_entries(learner=learner, enrolments=enrolments, courses=courses):
        (completed if entry.enrolment.completed_at else in_progress).append(entry)
    return Dashboard(
        in_progress,
        completed,
        _suggest(enrolments=enrolments),
        _assignments(assigned, courses=courses, today=today),
    )


def _suggest(*, enrolments: list[Enrolment]) -> Course | None:
    """A published course the learner has not started: at the level of their
    latest completed course or the next one up, preferring shared competence
    areas; the gentlest course otherwise (the catalogue in brief, from the
    cache: one query)."""
    briefs = published_briefs()
    started = {e.course_id for e in enrolments}
    candidates = [b for b in briefs if b.id not in started]
    if not candidates:
        return None
    finished = [e for e in enrolments if e.completed_at]
    if not finished:
        best = min(candidates, key=lambda b: (level_rank(b.level), b.title))
    else:
        latest = max(finished, key=lambda e: e.completed_at).course
        level = level_rank(latest.level)
        areas = next((b.areas for b in briefs if b.id == latest.id), None)
        if areas is None:  # no longer published: its areas read apart
            areas = set(latest.competences.values_list("area_id", flat=True))

        def rank(brief):
            gap = level_rank(brief.level) - level
            return (gap not in (0, 1), not (areas & brief.areas), abs(gap), brief.title)

        best = min(candidates, key=rank)
    return Course(
        id=best.id, slug=best.slug, title=best.title, level=best.level, summary=best.summary
    )


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


def _assigned(*, learner) -> list[CohortCourse]:
    """What the groups the learner consented to, not archived, assign, with
    the course and the group: soonest due date first (none last), then by
    group and the tutor's order (one query)."""
    if not learner.is_authenticated:
        return []
    return list(
        CohortCourse.objects.filter(
            cohort__memberships__learner=learner,
            cohort__memberships__consented_at__isnull=False,
            cohort__archived_at__isnull=True,
        )
        .select_related("course", "cohort")
        .only(
            "cohort_id", "course_id", "due_date", "position", "cohort__name", *LISTED_COURSE_FIELDS
        )
        .order_by(F("due_date").asc(nulls_last=True), "cohort__name", "position", "id")
    )


def _assignments(
    assigned: list[CohortCourse], *, courses: LearnerCourses, today: date | None
) -> list[LearnerAssignment]:
    today = today or timezone.localdate()
    found = []
    for row in assigned:
        progress = courses.progress(row.course_id)
        found.append(
            LearnerAssignment(
                course=row.course,
                cohort=row.cohort,
                due_date=row.due_date,
                progress=progress,
                late=is_late(due_date=row.due_date, completed=progress.completed, today=today),
            )
        )
    # Stable: the due-date order stays within the done and the not done.
    return sorted(found, key=lambda a: a.completed)


def assignments_for(*, learner, today: date | None = None) -> list[LearnerAssignment]:
    """The courses assigned to the groups the learner consented to and that
    are not archived, with the learner's progress in each: what is left to
    do first, soonest due date first (none last), completed courses at the
    end. Three queries however many groups and courses (none for anyone
    anonymous, one for a learner in no group)."""
    assigned = _assigned(learner=learner)
    if not assigned:
        return []
    course_ids = {a.course_id for a in assigned}
    enrolments = list(
        Enrolment.objects.filter(learner=learner, course_id__in=course_ids).only(
            "course_id", "completed_at"
        )
    )
    courses = learner_courses(learner=learner, course_ids=course_ids, enrolments=enrolments)
    return _assignments(assigned, courses=courses, today=today)


def assignments_by_cohort(*, learner, today: date | None = None) -> dict[int, list]:
    """``assignments_for`` by cohort id, for the learner's groups page (one query)."""
    grouped: dict[int, list[LearnerAssignment]] = {}
    for assignment in assignments_for(learner=learner, today=today):
        grouped.setdefault(assignment.cohort.id, []).append(assignment)
    return grouped
