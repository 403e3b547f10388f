"""Reads of badges for the pages: a learner's badges, per course, and where
they stand towards a course's badge."""

from dataclasses import dataclass, field

from django.db.models import FilteredRelation, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from courses.models import Course, Unit
from progress.models import Enrolment
from quizzes.models import Quiz

from .models import Assertion, BadgeClass


def required_quizzes(course: Course):
    return Quiz.objects.filter(unit__course=course, unit__required=True).select_related("unit")


def required_quizzes_with_best(*, learner, course: Course):
    """The course's required quizzes, each with the learner's best submitted
    score as ``best`` (None if never submitted). The learner's test is in the
    join (FilteredRelation): an index lookup, not a scan of every attempt."""
    return (
        required_quizzes(course)
        .annotate(
            mine=FilteredRelation(
                "attempts",
                condition=Q(attempts__learner=learner, attempts__submitted_at__isnull=False),
            )
        )
        .annotate(best=Max("mine__score"))
    )


@dataclass
class Eligibility:
    """Where a learner stands towards a course's badge."""

    eligible: bool
    course_complete: bool
    # Required quizzes not yet passed at their pass mark: (quiz, best score or None).
    quizzes_to_pass: list = field(default_factory=list)


def eligibility(*, learner, course: Course) -> Eligibility:
    """Two queries whatever the course's size."""
    complete = Enrolment.objects.filter(
        learner=learner, course=course, completed_at__isnull=False
    ).exists()
    quizzes = required_quizzes_with_best(learner=learner, course=course)
    to_pass = [(q, q.best) for q in quizzes if q.best is None or q.best < q.pass_mark]
    return Eligibility(
        eligible=complete and not to_pass, course_complete=complete, quizzes_to_pass=to_pass
    )


def badge_classes():
    """Badge classes with their course (for a lookup by ``uuid``)."""
    return BadgeClass.objects.select_related("course")


def public_assertions():
    """The assertions anyone may see: claimed (they have a recipient), or
    revoked (they then say so, even once their holder's account is deleted)."""
    return Assertion.objects.select_related("badge_class__course", "learner").exclude(
        recipient_identity="", revoked_at__isnull=True
    )


def assertions_for(*, learner) -> list[Assertion]:
    """The learner's own awards, newest first (one query)."""
    if not learner.is_authenticated:
        return []
    return list(Assertion.objects.filter(learner=learner).select_related("badge_class__course"))


def assertion_map(*, learner, course_ids) -> dict[int, Assertion]:
    """Course id -> the learner's award for it (one query)."""
    if not learner.is_authenticated or not course_ids:
        return {}
    return {
        a.badge_class.course_id: a
        for a in Assertion.objects.filter(
            learner=learner, badge_class__course_id__in=list(course_ids)
        ).select_related("badge_class")
    }


# Criteria


def criteria_narrative(course: Course) -> str:
    """What earning the badge takes, generated from the course, in the
    course's language: its required grains and each quiz's pass mark."""
    units = list(course.units.filter(required=True).order_by("position", "id"))
    pass_marks = {q.unit_id: q.pass_mark for q in required_quizzes(course)}
    with override(course.language):
        lines = [
            _("Complete every required grain of the course “%(title)s”:") % {"title": course.title}
        ]
        for unit in units:
            if unit.kind == Unit.Kind.QUIZ and unit.id in pass_marks:
                lines.append(
                    _("- %(title)s: pass the quiz with at least %(mark)s %%")
                    % {"title": unit.title, "mark": pass_marks[unit.id]}
                )
            else:
                lines.append(_("- %(title)s") % {"title": unit.title})
    return "\n".join(lines)


def badge_criteria(*, badge_class: BadgeClass) -> str:
    """The badge's criteria as shown and published: the editor's text, or
    the narrative generated from the course (two queries)."""
    if badge_class.criteria.strip():
        return badge_class.criteria
    return criteria_narrative(badge_class.course)
