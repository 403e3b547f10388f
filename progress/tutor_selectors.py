"""Reads for tutors: their cohorts, a cohort's progress table with its flags,
a learner's timeline, and question analytics.

Every read here is limited to the learners who consented to the cohort; a
fixed number of queries whatever the number of learners or courses.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from badges.models import Assertion
from courses.models import Course, Unit
from learning_platform.models import Cohort, CohortMembership
from quizzes.models import Attempt, AttemptAnswer, Choice, Question, Quiz

from .models import CohortCourse, Enrolment, UnitCompletion

FLAG_INACTIVE = "inactive"
FLAG_FAILING = "failing"
FLAG_NOT_STARTED = "not_started"
FLAG_LATE = "late"
FLAGS = [FLAG_INACTIVE, FLAG_FAILING, FLAG_NOT_STARTED, FLAG_LATE]


def inactive_days() -> int:
    return settings.TUTOR_FLAGS["inactive_days"]


def failed_attempts() -> int:
    return settings.TUTOR_FLAGS["failed_attempts"]


def cohorts_for_tutor(user):
    return Cohort.objects.for_tutor(user).select_related("organisation")


def consented_learner_ids(cohort: Cohort):
    """A subquery: the learners of the cohort who consented."""
    return CohortMembership.objects.filter(cohort=cohort, consented_at__isnull=False).values(
        "learner_id"
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


def cohort_table(cohort: Cohort, *, today: date | None = None) -> CohortTable:
    """The progress table: one row per consented learner, one cell per
    assigned course. Eight queries whatever the size."""
    now = timezone.now()
    today = today or timezone.localdate()
    learners = consented_learner_ids(cohort)
    memberships = list(
        CohortMembership.objects.filter(cohort=cohort, consented_at__isnull=False)
        .select_related("learner")
        .order_by("learner__username")
    )
    assignments = list(CohortCourse.objects.filter(cohort=cohort).select_related("course"))
    course_ids = [a.course_id for a in assignments]

    totals = dict(
        Unit.objects.filter(course_id__in=course_ids, required=True)
        .values("course_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "n")
    )
    done = {
        (r["learner_id"], r["unit__course_id"]): r["n"]
        for r in UnitCompletion.objects.filter(
            learner_id__in=learners, unit__course_id__in=course_ids, unit__required=True
        )
        .values("learner_id", "unit__course_id")
        .annotate(n=Count("id"))
    }
    enrolments = {
        (e["learner_id"], e["course_id"]): e
        for e in Enrolment.objects.filter(learner_id__in=learners, course_id__in=course_ids).values(
            "learner_id", "course_id", "completed_at"
        )
    }
    last_activity = dict(
        Enrolment.objects.filter(learner_id__in=learners)
        .values("learner_id")
        .annotate(last=Max("last_activity_at"))
        .values_list("learner_id", "last")
    )
    # Per learner and quiz: best score, failures, passes (assigned courses only).
    quiz_stats = list(
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
    badges = set(
        Assertion.objects.filter(
            learner_id__in=learners, badge_class__course_id__in=course_ids
        ).values_list("learner_id", "badge_class__course_id")
    )

    # Weakest best score per course when a course has several quizzes.
    best_by_course: dict[tuple[int, int], Decimal] = {}
    failing: dict[int, list[str]] = {}
    for stat in quiz_stats:
        key = (stat["learner_id"], stat["quiz__unit__course_id"])
        if stat["best"] is not None:
            best_by_course[key] = min(best_by_course.get(key, stat["best"]), stat["best"])
        if stat["failed"] >= failed_attempts() and not stat["passes"]:
            failing.setdefault(stat["learner_id"], []).append(stat["quiz__unit__title"])

    inactive_since = now - timedelta(days=inactive_days())
    rows = []
    for membership in memberships:
        learner = membership.learner
        cells = []
        for assignment in assignments:
            key = (learner.id, assignment.course_id)
            enrolment = enrolments.get(key)
            total = totals.get(assignment.course_id, 0)
            completed = bool(enrolment and enrolment["completed_at"])
            count = done.get(key, 0)
            percent = 100 if completed else (count * 100 // total if total else 0)
            cells.append(
                Cell(
                    percent=min(percent, 100),
                    started=enrolment is not None,
                    completed=completed,
                    best_score=best_by_course.get(key),
                    badge=key in badges,
                    late=bool(
                        assignment.due_date and assignment.due_date < today and not completed
                    ),
                )
            )
        last = last_activity.get(learner.id)
        reference = last or membership.consented_at
        flags = []
        if reference and reference <= inactive_since:
            flags.append(FLAG_INACTIVE)
        if learner.id in failing:
            flags.append(FLAG_FAILING)
        if assignments and not any(c.started for c in cells):
            flags.append(FLAG_NOT_STARTED)
        if any(c.late for c in cells):
            flags.append(FLAG_LATE)
        rows.append(
            Row(
                learner=learner,
                joined_at=membership.consented_at,
                last_activity=last,
                cells=cells,
                flags=flags,
                failing_quizzes=sorted(failing.get(learner.id, [])),
            )
        )
    return CohortTable(cohort=cohort, assignments=assignments, rows=rows)


SORT_KEYS = {"name", "activity", "flags"}


def sort_rows(table: CohortTable, sort: str) -> list[Row]:
    """``name``, ``activity``, ``flags`` or ``course-<n>`` (n-th assigned
    course, by percent then best score); a leading ``-`` reverses."""
    reverse = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "activity":
        oldest = datetime.min.replace(tzinfo=timezone.get_current_timezone())
        rows = sorted(table.rows, key=lambda r: r.last_activity or oldest, reverse=reverse)
    elif key == "flags":
        rows = sorted(table.rows, key=lambda r: (len(r.flags), r.flags), reverse=reverse)
    elif key.startswith("course-") and key[7:].isdigit() and int(key[7:]) < len(table.assignments):
        i = int(key[7:])
        rows = sorted(
            table.rows,
            key=lambda r: (r.cells[i].percent, r.cells[i].best_score or Decimal(-1)),
            reverse=reverse,
        )
    else:
        rows = sorted(table.rows, key=lambda r: str(r.learner).lower(), reverse=reverse)
    return rows


# Dashboard headline figures


@dataclass
class CohortSummary:
    cohort: Cohort
    learners: int
    active_this_week: int
    completion: int  # percent of (learner, assigned course) pairs completed
    badges: int
    pending: int  # invitations waiting for consent


def cohort_summaries(user) -> list[CohortSummary]:
    """The tutor's cohorts with headline figures, in six queries."""
    cohorts = list(cohorts_for_tutor(user).order_by("organisation__name", "name"))
    ids = [c.id for c in cohorts]
    week_ago = timezone.now() - timedelta(days=7)
    members = {
        r["cohort_id"]: r
        for r in CohortMembership.objects.filter(cohort_id__in=ids)
        .values("cohort_id")
        .annotate(
            learners=Count("id", filter=Q(consented_at__isnull=False)),
            pending=Count("id", filter=Q(consented_at__isnull=True)),
        )
    }
    active = dict(
        CohortMembership.objects.filter(
            cohort_id__in=ids,
            consented_at__isnull=False,
            learner__enrolments__last_activity_at__gte=week_ago,
        )
        .values("cohort_id")
        .annotate(n=Count("learner_id", distinct=True))
        .values_list("cohort_id", "n")
    )
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
    badges = dict(
        Assertion.objects.filter(
            **{f"{membership}__cohort_id__in": ids, f"{membership}__consented_at__isnull": False},
            badge_class__course__cohort_assignments__cohort_id=F(f"{membership}__cohort_id"),
        )
        .values(f"{membership}__cohort_id")
        .annotate(n=Count("id"))
        .values_list(f"{membership}__cohort_id", "n")
    )
    summaries = []
    for cohort in cohorts:
        learners = members.get(cohort.id, {}).get("learners", 0)
        pairs = learners * assigned.get(cohort.id, 0)
        summaries.append(
            CohortSummary(
                cohort=cohort,
                learners=learners,
                active_this_week=active.get(cohort.id, 0),
                completion=completed.get(cohort.id, 0) * 100 // pairs if pairs else 0,
                badges=badges.get(cohort.id, 0),
                pending=members.get(cohort.id, {}).get("pending", 0),
            )
        )
    return summaries


# A learner, for their tutor


@dataclass
class TimelineEvent:
    when: datetime
    kind: str  # "grain", "attempt", "badge"
    title: str
    course: Course
    attempt: Attempt | None = None
    passed: bool | None = None
    score: Decimal | None = None


def tutor_can_see(user, cohort: Cohort, learner_id: int) -> bool:
    return (
        cohorts_for_tutor(user).filter(pk=cohort.pk).exists()
        and CohortMembership.objects.filter(
            cohort=cohort, learner_id=learner_id, consented_at__isnull=False
        ).exists()
    )


def learner_timeline(*, learner, course_ids) -> list[TimelineEvent]:
    """Grains completed, attempts submitted and badges of the learner, in the
    given courses, newest first. Three queries."""
    events = [
        TimelineEvent(c.completed_at, "grain", c.unit.title, c.unit.course)
        for c in UnitCompletion.objects.filter(
            learner=learner, unit__course_id__in=course_ids
        ).select_related("unit__course")
    ]
    events += [
        TimelineEvent(
            a.submitted_at, "attempt", a.quiz.unit.title, a.quiz.unit.course, a, a.passed, a.score
        )
        for a in Attempt.objects.filter(
            learner=learner, quiz__unit__course_id__in=course_ids, submitted_at__isnull=False
        ).select_related("quiz__unit__course")
    ]
    events += [
        TimelineEvent(a.issued_on, "badge", a.badge_class.name, a.badge_class.course)
        for a in Assertion.objects.filter(
            learner=learner, badge_class__course_id__in=course_ids
        ).select_related("badge_class__course")
    ]
    return sorted(events, key=lambda e: e.when, reverse=True)


@dataclass
class WrongAnswer:
    quiz_title: str
    question_id: int
    prompt_html: str
    times_wrong: int
    given: list[str]


def wrong_answers(*, learner, course_ids) -> list[WrongAnswer]:
    """Per quiz, the questions the learner got wrong (and what they gave),
    over all their submitted attempts. Two queries."""
    answers = list(
        AttemptAnswer.objects.filter(
            attempt__learner=learner,
            attempt__submitted_at__isnull=False,
            attempt__quiz__unit__course_id__in=course_ids,
            is_correct=False,
        )
        .select_related("question__quiz__unit")
        .order_by("question__quiz__unit__position", "question__position")
    )
    choice_ids = {cid for a in answers for cid in a.response.get("choices", [])}
    texts = dict(Choice.objects.filter(id__in=choice_ids).values_list("id", "text"))
    grouped: dict[int, WrongAnswer] = {}
    for answer in answers:
        question = answer.question
        entry = grouped.setdefault(
            question.id,
            WrongAnswer(question.quiz.unit.title, question.id, question.prompt_html, 0, []),
        )
        entry.times_wrong += 1
        given = ", ".join(texts.get(c, "?") for c in answer.response.get("choices", [])) or (
            answer.response.get("text", "")
        )
        if given and given not in entry.given:
            entry.given.append(given)
    return list(grouped.values())


# Question analytics


@dataclass
class QuestionStat:
    question: Question
    answered: int
    correct: int
    top_wrong_choice: str | None
    top_wrong_count: int

    @property
    def percent_correct(self) -> int | None:
        return self.correct * 100 // self.answered if self.answered else None


def question_stats(*, quiz: Quiz, learner_ids=None) -> list[QuestionStat]:
    """For each question of the quiz: how many answered, the share right, and
    the wrong choice chosen most often. Over all learners, or the given ones
    (a queryset or list). Three queries."""
    questions = list(quiz.questions.order_by("position", "id"))
    answers = AttemptAnswer.objects.filter(attempt__quiz=quiz, attempt__submitted_at__isnull=False)
    if learner_ids is not None:
        answers = answers.filter(attempt__learner_id__in=learner_ids)
    counts = {
        r["question_id"]: r
        for r in answers.values("question_id").annotate(
            n=Count("id"), right=Count("id", filter=Q(is_correct=True))
        )
    }
    wrong_choices = {c.id: c for c in Choice.objects.filter(question__quiz=quiz, is_correct=False)}
    tally: dict[int, dict[int, int]] = {}
    for question_id, response in answers.filter(is_correct=False).values_list(
        "question_id", "response"
    ):
        for choice_id in response.get("choices", []):
            if choice_id in wrong_choices:
                per = tally.setdefault(question_id, {})
                per[choice_id] = per.get(choice_id, 0) + 1
    stats = []
    for question in questions:
        row = counts.get(question.id, {"n": 0, "right": 0})
        per = tally.get(question.id, {})
        top = max(per, key=lambda c: (per[c], -c)) if per else None
        stats.append(
            QuestionStat(
                question=question,
                answered=row["n"],
                correct=row["right"],
                top_wrong_choice=wrong_choices[top].text if top else None,
                top_wrong_count=per.get(top, 0) if top else 0,
            )
        )
    return stats
