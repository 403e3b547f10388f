"""Reads for tutors: their cohorts, a cohort's progress table with its flags,
and the headline figures of the dashboard.

Every read here is limited to the learners who consented to the cohort; a
fixed number of queries whatever the number of learners or courses. Badges
live in a higher app: whoever composes a page reads them
(``badges.tutor_selectors``) and passes them in.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from courses.models import Course
from learning_platform.models import Cohort, CohortMembership
from quizzes.models import Attempt, Quiz

from .deadlines import is_late
from .models import CohortCourse, Enrolment, UnitCompletion

FLAG_INACTIVE = "inactive"
FLAG_FAILING = "failing"
FLAG_NOT_STARTED = "not_started"
FLAG_LATE = "late"
FLAGS = [FLAG_INACTIVE, FLAG_FAILING, FLAG_NOT_STARTED, FLAG_LATE]
FLAG_LABELS = {
    FLAG_INACTIVE: gettext_lazy("Inactive"),
    FLAG_FAILING: gettext_lazy("Stuck on a quiz"),
    FLAG_NOT_STARTED: gettext_lazy("Not started"),
    FLAG_LATE: gettext_lazy("Late"),
}


def inactive_days() -> int:
    return settings.TUTOR_FLAGS["inactive_days"]


def failed_attempts() -> int:
    return settings.TUTOR_FLAGS["failed_attempts"]


# The cohort and what belongs to it


def cohorts_for_tutor(user):
    return Cohort.objects.for_tutor(user).select_related("organisation")


def consented_memberships(cohort: Cohort):
    """The memberships a tutor may see: the learner consented."""
    return CohortMembership.objects.filter(cohort=cohort, consented_at__isnull=False)


def consented_learner_ids(cohort: Cohort):
    """A subquery: the learners of the cohort who consented."""
    return consented_memberships(cohort).values("learner_id")


def assigned_course_ids(cohort: Cohort):
    """The ids of the courses assigned to the cohort: lazy, so it serves as a
    subquery (no query of its own) or, listed, as one query."""
    return CohortCourse.objects.filter(cohort=cohort).values_list("course_id", flat=True)


def pending_memberships(cohort: Cohort) -> list[CohortMembership]:
    """Invitations waiting for the learner's consent (one query)."""
    return list(
        cohort.memberships.filter(consented_at__isnull=True)
        .select_related("learner")
        .order_by("learner__username")
    )


def assigned_quizzes(cohort: Cohort):
    """The quizzes of the courses assigned to the cohort; a quiz of any other
    course is not the tutor's to analyse."""
    return (
        Quiz.objects.filter(unit__course__cohort_assignments__cohort=cohort)
        .select_related("unit__course")
        .order_by("unit__course__title", "unit__position")
    )


# The cohort table


@dataclass
class Cell:
    """One learner in one assigned course."""

    percent: int = 0
    started: bool = False
    completed: bool = False
    best_score: Decimal | None = None
    badge: bool = False
    late: bool = False
    # The assigned course: what the cell is about, where no header shows it.
    course: Course | None = None


@dataclass
class Row:
    learner: object
    joined_at: datetime | None
    last_activity: datetime | None
    cells: list[Cell]
    flags: list[str] = field(default_factory=list)
    # Quizzes failed at least the threshold times and never passed: titles.
    failing_quizzes: list[str] = field(default_factory=list)


@dataclass
class CohortTable:
    cohort: Cohort
    assignments: list[CohortCourse]
    rows: list[Row]

    def flag_counts(self) -> dict[str, int]:
        return {flag: sum(flag in r.flags for r in self.rows) for flag in FLAGS}


def _members(cohort: Cohort) -> list[CohortMembership]:
    """Consented memberships with the learner and ``last``, their latest
    activity in any course (one query)."""
    latest = (
        Enrolment.objects.filter(learner_id=OuterRef("learner_id"))
        .order_by()
        .values("learner_id")
        .annotate(last=Max("last_activity_at"))
        .values("last")
    )
    return list(
        consented_memberships(cohort)
        .select_related("learner")
        .annotate(last=Subquery(latest))
        .order_by("learner__username")
    )


def _assignments(cohort: Cohort) -> list[CohortCourse]:
    """Assigned courses, each with ``required_units``: optional grains never
    count in a tutor's percentages (one query)."""
    required = (
        CohortCourse.objects.filter(pk=OuterRef("pk"))
        .order_by()
        .annotate(n=Count("course__units", filter=Q(course__units__required=True)))
        .values("n")
    )
    return list(
        CohortCourse.objects.filter(cohort=cohort)
        .select_related("course")
        .annotate(required_units=Subquery(required))
    )


def _required_done(learners, course_ids) -> dict[tuple[int, int], int]:
    """(learner, course) -> required grains completed (one query)."""
    return {
        (r["learner_id"], r["unit__course_id"]): r["n"]
        for r in UnitCompletion.objects.filter(
            learner_id__in=learners, unit__course_id__in=course_ids, unit__required=True
        )
        .values("learner_id", "unit__course_id")
        .annotate(n=Count("id"))
    }


def _enrolments(learners, course_ids) -> dict[tuple[int, int], datetime | None]:
    """(learner, course) -> completed_at, for the started pairs (one query)."""
    return {
        (learner_id, course_id): completed_at
        for learner_id, course_id, completed_at in Enrolment.objects.filter(
            learner_id__in=learners, course_id__in=course_ids
        ).values_list("learner_id", "course_id", "completed_at")
    }


def _quiz_outcomes(learners, course_ids):
    """Per (learner, course) the weakest of the best quiz scores, and per
    learner the titles of the quizzes failed at least the threshold times and
    never passed (one query)."""
    stats = (
        Attempt.objects.filter(
            learner_id__in=learners,
            quiz__unit__course_id__in=course_ids,
            submitted_at__isnull=False,
        )
        .values("learner_id", "quiz_id", "quiz__unit__course_id", "quiz__unit__title")
        .annotate(
            best=Max("score"),
            failed=Count("id", filter=Q(passed=False)),
            passes=Count("id", filter=Q(passed=True)),
        )
    )
    best: dict[tuple[int, int], Decimal] = {}
    failing: dict[int, list[str]] = {}
    for stat in stats:
        key = (stat["learner_id"], stat["quiz__unit__course_id"])
        if stat["best"] is not None:
            best[key] = min(best.get(key, stat["best"]), stat["best"])
        if stat["failed"] >= failed_attempts() and not stat["passes"]:
            failing.setdefault(stat["learner_id"], []).append(stat["quiz__unit__title"])
    return best, failing


def _percent(done: int, total: int, completed: bool) -> int:
    """Required grains done, rounded down; 100 once the course is completed."""
    if completed:
        return 100
    return min(done * 100 // total, 100) if total else 0


def _flags(*, reference, cells, has_assignments, failing, inactive_since) -> list[str]:
    flags = []
    if reference and reference <= inactive_since:
        flags.append(FLAG_INACTIVE)
    if failing:
        flags.append(FLAG_FAILING)
    if has_assignments and not any(c.started for c in cells):
        flags.append(FLAG_NOT_STARTED)
    if any(c.late for c in cells):
        flags.append(FLAG_LATE)
    return flags


def cohort_table(
    cohort: Cohort,
    *,
    awarded: set[tuple[int, int]] | frozenset = frozenset(),
    now: datetime | None = None,
) -> CohortTable:
    """The progress table: one row per consented learner, one cell per
    assigned course. ``awarded``: the (learner id, course id) pairs with a
    badge; ``now``: the moment the flags are judged at (default: now); an
    archived cohort has no flags. Five queries whatever the size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    inactive_since = now - timedelta(days=inactive_days())
    learners = consented_learner_ids(cohort)
    members = _members(cohort)
    assignments = _assignments(cohort)
    course_ids = [a.course_id for a in assignments]
    done = _required_done(learners, course_ids)
    enrolments = _enrolments(learners, course_ids)
    best, failing = _quiz_outcomes(learners, course_ids)

    rows = []
    for membership in members:
        learner_id = membership.learner_id
        cells = []
        for assignment in assignments:
            key = (learner_id, assignment.course_id)
            completed = enrolments.get(key) is not None
            cells.append(
                Cell(
                    percent=_percent(done.get(key, 0), assignment.required_units, completed),
                    started=key in enrolments,
                    completed=completed,
                    best_score=best.get(key),
                    badge=key in awarded,
                    late=not cohort.is_archived
                    and is_late(due_date=assignment.due_date, completed=completed, today=today),
                    course=assignment.course,
                )
            )
        flags = (
            []
            if cohort.is_archived
            else _flags(
                reference=membership.last or membership.consented_at,
                cells=cells,
                has_assignments=bool(assignments),
                failing=learner_id in failing,
                inactive_since=inactive_since,
            )
        )
        rows.append(
            Row(
                learner=membership.learner,
                joined_at=membership.consented_at,
                last_activity=membership.last,
                cells=cells,
                flags=flags,
                failing_quizzes=sorted(failing.get(learner_id, [])),
            )
        )
    return CohortTable(cohort=cohort, assignments=assignments, rows=rows)


# Dashboard headline figures


@dataclass
class CohortSummary:
    cohort: Cohort
    learners: int
    active_this_week: int
    completion: int  # percent of (learner, assigned course) pairs completed
    badges: int
    pending: int  # invitations waiting for consent


def tutor_cohorts(user) -> list[Cohort]:
    """The active cohorts the user tutors or manages, by organisation (one
    query)."""
    return list(cohorts_for_tutor(user).active().order_by("organisation__name", "name"))


def archived_cohorts(user) -> list[Cohort]:
    """The archived cohorts the user tutors or manages, newest archived first
    (one query)."""
    return list(
        cohorts_for_tutor(user).filter(archived_at__isnull=False).order_by("-archived_at", "name")
    )


def cohort_summaries(
    cohorts: list[Cohort], *, badge_counts: dict[int, int] | None = None
) -> list[CohortSummary]:
    """Headline figures of the given cohorts, in three queries.
    ``badge_counts``: cohort id -> badges earned in its assigned courses by
    its consented learners (read by the caller from badges)."""
    badge_counts = badge_counts or {}
    ids = [c.id for c in cohorts]
    week_ago = timezone.now() - timedelta(days=7)
    consented = Q(consented_at__isnull=False)
    members = {
        r["cohort_id"]: r
        for r in CohortMembership.objects.filter(cohort_id__in=ids)
        .values("cohort_id")
        .annotate(
            learners=Count("id", filter=consented, distinct=True),
            pending=Count("id", filter=Q(consented_at__isnull=True), distinct=True),
            active=Count(
                "learner_id",
                filter=consented & Q(learner__enrolments__last_activity_at__gte=week_ago),
                distinct=True,
            ),
        )
    }
    assigned = dict(
        CohortCourse.objects.filter(cohort_id__in=ids)
        .values("cohort_id")
        .annotate(n=Count("id"))
        .values_list("cohort_id", "n")
    )
    # Pairs (consented learner, assigned course) of the same cohort.
    membership = "learner__cohort_memberships"
    completed = dict(
        Enrolment.objects.filter(
            completed_at__isnull=False,
            **{f"{membership}__cohort_id__in": ids, f"{membership}__consented_at__isnull": False},
            course__cohort_assignments__cohort_id=F(f"{membership}__cohort_id"),
        )
        .values(f"{membership}__cohort_id")
        .annotate(n=Count("id"))
        .values_list(f"{membership}__cohort_id", "n")
    )
    summaries = []
    for cohort in cohorts:
        figures = members.get(cohort.id, {})
        learners = figures.get("learners", 0)
        pairs = learners * assigned.get(cohort.id, 0)
        summaries.append(
            CohortSummary(
                cohort=cohort,
                learners=learners,
                active_this_week=figures.get("active", 0),
                completion=completed.get(cohort.id, 0) * 100 // pairs if pairs else 0,
                badges=badge_counts.get(cohort.id, 0),
                pending=figures.get("pending", 0),
            )
        )
    return summaries
