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
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from courses.models import Course, Unit
from learning_platform.models import Cohort, CohortMembership, User
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
    # Sorting by a course before the cells are read: its percent and best score.
    sort_cell: Cell | None = None


@dataclass
class CohortTable:
    cohort: Cohort
    assignments: list[CohortCourse]
    rows: list[Row]
    now: datetime | None = None  # when the flags were judged

    def flag_counts(self) -> dict[str, int]:
        return {flag: sum(flag in r.flags for r in self.rows) for flag in FLAGS}


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


def _count(queryset) -> Coalesce:
    """A correlated COUNT(*) of ``queryset`` (already filtered on the outer
    row), 0 when it has no row."""
    counted = queryset.order_by().values("learner_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted), 0)


def _roster(cohort: Cohort, assignments, *, today, sort_course: CohortCourse | None) -> list[dict]:
    """Every consented learner with what the listing needs to sort, filter
    and count them, and nothing per cell (one query, set-based: correlated
    subqueries on the unique indexes): the latest activity in any course, the
    assigned courses started, the overdue ones completed, whether a quiz of
    the assigned courses is failing; with ``sort_course``, that course's
    required grains done, completion and weakest best quiz score."""
    course_ids = [a.course_id for a in assignments]
    overdue = [
        a.course_id
        for a in assignments
        if is_late(due_date=a.due_date, completed=False, today=today)
    ]
    learner = OuterRef("learner_id")
    enrolments = Enrolment.objects.filter(learner_id=learner)
    # The assigned quizzes as a subquery the planner hashes once, rather than
    # a join through the grains for each learner.
    quizzes = Quiz.objects.filter(unit__course_id__in=course_ids).values("id")
    failing = (
        Attempt.objects.filter(learner_id=learner, quiz_id__in=quizzes, submitted_at__isnull=False)
        .order_by()
        .values("quiz_id")
        .annotate(
            failed=Count("id", filter=Q(passed=False)), passes=Count("id", filter=Q(passed=True))
        )
        .filter(failed__gte=failed_attempts(), passes=0)
    )
    annotations = {
        "last": Subquery(
            enrolments.order_by()
            .values("learner_id")
            .annotate(m=Max("last_activity_at"))
            .values("m")
        ),
        "started": _count(enrolments.filter(course_id__in=course_ids)),
        "overdue_done": _count(
            enrolments.filter(course_id__in=overdue or [0], completed_at__isnull=False)
        ),
        "failing": Exists(failing),
    }
    if sort_course is not None:
        course_id = sort_course.course_id
        best_per_quiz = (
            Attempt.objects.filter(
                learner_id=learner,
                quiz_id__in=Quiz.objects.filter(unit__course_id=course_id).values("id"),
                submitted_at__isnull=False,
            )
            .order_by()
            .values("quiz_id")
            .annotate(best=Max("score"))
            .order_by("best")
            .values("best")[:1]
        )
        annotations.update(
            sort_done=_count(
                UnitCompletion.objects.filter(
                    learner_id=learner,
                    unit_id__in=Unit.objects.filter(course_id=course_id, required=True).values(
                        "id"
                    ),
                )
            ),
            sort_completed=Exists(
                enrolments.filter(course_id=course_id, completed_at__isnull=False)
            ),
            sort_best=Subquery(best_per_quiz),
        )
    return list(
        consented_memberships(cohort)
        .annotate(**annotations)
        .order_by("learner__username")
        .values(
            "learner_id",
            "learner__username",
            "learner__display_name",
            "consented_at",
            *annotations,
        )
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


@dataclass(frozen=True, slots=True)
class LearnerName:
    """A roster's learner before their row is shown: enough to sort by name
    and to fetch the row's cells, without a model instance for each of a
    thousand learners (``cohort_cells`` makes the User of the rows shown)."""

    id: int
    username: str
    display_name: str

    @property
    def pk(self) -> int:
        return self.id

    def __str__(self) -> str:  # as User.__str__
        return self.display_name or self.username

    def user(self) -> User:
        """The User, without a query: the fields the table shows, the others
        deferred."""
        return User.from_db(
            "default",
            ["id", "username", "display_name"],
            [self.id, self.username, self.display_name],
        )


def _flags(*, entry, cohort, assignments, overdue, inactive_since) -> list[str]:
    """The flags of a roster entry, from its set-based facts; an archived
    cohort has none."""
    if cohort.is_archived:
        return []
    flags = []
    reference = entry["last"] or entry["consented_at"]
    if reference and reference <= inactive_since:
        flags.append(FLAG_INACTIVE)
    if entry["failing"]:
        flags.append(FLAG_FAILING)
    if assignments and not entry["started"]:
        flags.append(FLAG_NOT_STARTED)
    if entry["overdue_done"] < overdue:
        flags.append(FLAG_LATE)
    return flags


def cohort_rows(
    cohort: Cohort,
    *,
    now: datetime | None = None,
    sort_course: int | None = None,
) -> CohortTable:
    """The table's rows without their cells: every consented learner with
    their flags and last activity, enough to sort, filter, count and cut a
    page (two queries whatever the size). With ``sort_course`` (the index of
    an assigned course), each row's ``sort_cell`` holds that course's percent
    and best score, for sorting by it. ``cohort_cells`` then fills the
    cells of the rows shown."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    inactive_since = now - timedelta(days=inactive_days())
    assignments = _assignments(cohort)
    sorted_by = (
        assignments[sort_course]
        if sort_course is not None and 0 <= sort_course < len(assignments)
        else None
    )
    overdue = sum(is_late(due_date=a.due_date, completed=False, today=today) for a in assignments)
    rows = []
    for entry in _roster(cohort, assignments, today=today, sort_course=sorted_by):
        row = Row(
            learner=LearnerName(
                entry["learner_id"], entry["learner__username"], entry["learner__display_name"]
            ),
            joined_at=entry["consented_at"],
            last_activity=entry["last"],
            cells=[],
            flags=_flags(
                entry=entry,
                cohort=cohort,
                assignments=assignments,
                overdue=overdue,
                inactive_since=inactive_since,
            ),
        )
        if sorted_by is not None:
            completed = entry["sort_completed"]
            row.sort_cell = Cell(
                percent=_percent(entry["sort_done"], sorted_by.required_units, completed),
                best_score=entry["sort_best"],
            )
        rows.append(row)
    return CohortTable(cohort=cohort, assignments=assignments, rows=rows, now=now)


def cohort_cells(
    table: CohortTable,
    rows: list[Row],
    *,
    awarded: set[tuple[int, int]] | frozenset = frozenset(),
    users: bool = True,
) -> list[Row]:
    """Fill the cells (and the failing quizzes' titles) of ``rows``, rows of
    ``table``: three queries for these learners only, whatever the size of
    the cohort. ``awarded``: their (learner id, course id) pairs with a badge.
    ``users``: make each row's learner a User (the whole table's callers
    compare them with users); the page and the CSV need only the names."""
    today = timezone.localdate(table.now)
    learners = [r.learner.id for r in rows]
    course_ids = [a.course_id for a in table.assignments]
    done = _required_done(learners, course_ids)
    enrolments = _enrolments(learners, course_ids)
    best, failing = _quiz_outcomes(learners, course_ids)
    archived = table.cohort.is_archived
    # What each cell reads of its assignment, read once (20,000 cells in a
    # CSV of 1,000 learners by 20 courses: attribute access adds up).
    courses = [
        (
            a.course_id,
            a.required_units,
            # Late once the due date has passed, unless completed (deadlines.is_late).
            not archived and is_late(due_date=a.due_date, completed=False, today=today),
            a.course,
        )
        for a in table.assignments
    ]
    for row in rows:
        learner_id = row.learner.id
        if users and isinstance(row.learner, LearnerName):
            row.learner = row.learner.user()
        cells = []
        for course_id, required, overdue, course in courses:
            key = (learner_id, course_id)
            started = key in enrolments
            completed = started and enrolments[key] is not None
            cells.append(
                Cell(
                    _percent(done.get(key, 0), required, completed),
                    started,
                    completed,
                    best.get(key),
                    key in awarded,
                    overdue and not completed,
                    course,
                )
            )
        row.cells = cells
        row.failing_quizzes = sorted(failing.get(learner_id, []))
    return rows


def cohort_table(
    cohort: Cohort,
    *,
    awarded: set[tuple[int, int]] | frozenset = frozenset(),
    now: datetime | None = None,
) -> CohortTable:
    """The whole progress table: one row per consented learner, one cell per
    assigned course. ``awarded``: the (learner id, course id) pairs with a
    badge; ``now``: the moment the flags are judged at (default: now); an
    archived cohort has no flags. Five queries whatever the size; a page of
    the table needs only ``cohort_rows`` and the cells of its rows."""
    table = cohort_rows(cohort, now=now)
    cohort_cells(table, table.rows, awarded=awarded)
    return table


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
