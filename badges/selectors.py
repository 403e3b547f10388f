"""Reads of badges for the pages: a learner's badges, per course, where
they stand towards a course's badge (what is still missing), the moment a
course is completed, and what a course's generated image shows."""

import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, FilteredRelation, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import override

from courses.attribution import attribution
from courses.models import Course, Unit
from progress.models import Enrolment, UnitCompletion
from quizzes.models import Attempt, Quiz

from .models import Assertion, BadgeClass


def required_quizzes(course: Course):
    """The quizzes of the course's required quiz grains. A quiz left behind by
    a grain that is no longer a quiz grain (its kind changed) is not one: the
    learner could not take it, and the steps left would not show it."""
    return Quiz.objects.filter(
        unit__course=course, unit__required=True, unit__kind=Unit.Kind.QUIZ
    ).select_related("unit")


def grain_quiz(unit: Unit) -> Quiz | None:
    """A required grain's quiz as ``required_quizzes`` counts it, from the
    grain read with ``select_related("quiz")``: None for a grain that is not
    a quiz grain, even when its kind changed and left a quiz behind."""
    return getattr(unit, "quiz", None) if unit.kind == Unit.Kind.QUIZ else None


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


def eligibility(*, learner, course: Course, complete: bool | None = None) -> Eligibility:
    """Two queries whatever the course's size; one when ``complete`` (whether
    the learner completed the course) is known already."""
    if complete is None:
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


def public_assertion_documents():
    """``public_assertions`` with only what an Open Badges assertion document
    says (badges.openbadges.assertion_document, revoked_document): the JSON
    that verifiers fetch, often, reads no learner and no text it does not
    show."""
    return (
        public_assertions()
        .select_related(None)
        .select_related("badge_class__course")
        .only(
            "uuid",
            "salt",
            "recipient_identity",
            "issued_on",
            "evidence",
            "revoked_at",
            "revocation_reason",
            "badge_class__uuid",
            "badge_class__course__slug",
        )
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
    course's language: its required grains and each quiz's pass mark (one
    query: the grains' titles with their quizzes, not their bodies)."""
    units = (
        course.units.filter(required=True)
        .select_related("quiz")
        .only("id", "course_id", "title", "kind", "quiz__id", "quiz__unit_id", "quiz__pass_mark")
        .order_by("position", "id")
    )
    with override(course.language):
        lines = [
            _("Complete every required grain of the course “%(title)s”:") % {"title": course.title}
        ]
        for unit in units:
            quiz = grain_quiz(unit)
            if quiz is not None:
                lines.append(
                    _("- %(title)s: pass the quiz with at least %(mark)s %%")
                    % {"title": unit.title, "mark": quiz.pass_mark}
                )
            else:
                lines.append(_("- %(title)s") % {"title": unit.title})
    return "\n".join(lines)


def badge_criteria(*, badge_class: BadgeClass) -> str:
    """The badge's criteria as shown and published: the editor's text, or
    the narrative generated from the course (two queries), then the course's
    credit line (courses.attribution), in the course's language (one more
    query when the course credits nobody by name: its author accounts)."""
    course = badge_class.course
    if badge_class.criteria.strip():
        criteria = badge_class.criteria
    else:
        criteria = criteria_narrative(course)
    with override(course.language):
        line = attribution(course).text
    return f"{criteria}\n\n{line}"


# What is still missing


@dataclass(frozen=True)
class Step:
    """A required grain still to do for the badge. For a quiz grain, its pass
    mark and the learner's best score (None if never submitted); ``done``
    when the grain was completed but the quiz's pass mark has risen since."""

    unit: Unit
    pass_mark: int | None = None
    best: Decimal | None = None
    done: bool = False


def steps_from(*, units, done: set[int], quizzes_to_pass) -> list[Step]:
    """The steps left, in course order, from what a page already has: the
    course's grains, the ids of those done, and ``Eligibility.quizzes_to_pass``.
    No query."""
    to_pass = {quiz.unit_id: (quiz, best) for quiz, best in quizzes_to_pass}
    steps = []
    for unit in units:
        if not unit.required:
            continue
        quiz, best = to_pass.get(unit.id, (None, None))
        if unit.id not in done or quiz is not None:
            steps.append(
                Step(
                    unit=unit,
                    pass_mark=quiz.pass_mark if quiz is not None else None,
                    best=best,
                    done=unit.id in done,
                )
            )
    return steps


STEP_UNIT_FIELDS = ("id", "course_id", "slug", "title", "kind", "minutes", "position", "required")


def badge_steps(*, learner, course: Course) -> list[Step]:
    """What the learner still has to do for the course's badge: required
    grains not done and required quizzes below their pass mark. One query."""
    if not learner.is_authenticated:
        return []
    best = (
        Attempt.objects.filter(
            quiz__unit=OuterRef("pk"), learner=learner, submitted_at__isnull=False
        )
        .order_by()
        .values("quiz")
        .annotate(best=Max("score"))
        .values("best")
    )
    units = list(
        course.units.filter(required=True)
        .annotate(
            is_done=Exists(UnitCompletion.objects.filter(learner=learner, unit=OuterRef("pk"))),
            best=Subquery(best),
        )
        .select_related("quiz")
        # The grains' bodies are not needed: a list of links.
        .only(*STEP_UNIT_FIELDS, "quiz__id", "quiz__unit_id", "quiz__pass_mark")
        .order_by("position", "id")
    )
    to_pass = []
    for unit in units:
        unit.course = course  # for its URL, without a query
        quiz = grain_quiz(unit)
        if quiz is not None and (unit.best is None or unit.best < quiz.pass_mark):
            to_pass.append((quiz, unit.best))
    done = {unit.id for unit in units if unit.is_done}
    return steps_from(units=units, done=done, quizzes_to_pass=to_pass)


# The moment a course is completed


@dataclass(frozen=True)
class BadgeMoment:
    """The learner's badge for a course, as shown when they complete it.
    ``award`` is None when there is none yet: the award is made once the
    completion is committed, or the learner still has ``steps`` to do."""

    badge_class: BadgeClass
    course: Course
    criteria: str
    award: Assertion | None
    steps: list[Step] = field(default_factory=list)
    # Ids of the moment's HTML, new at each render: a grain page of a completed
    # course shows the moment, and a quiz retaken there adds the result's own.
    dom_id: str = field(default_factory=lambda: "moment-" + secrets.token_hex(4))

    @property
    def needs_email(self) -> bool:
        """Awarded, but verifiable only once the learner gives an e-mail."""
        return self.award is not None and not self.award.is_claimed and not self.award.is_revoked


def badge_moment(*, learner, course: Course) -> BadgeMoment | None:
    """The learner's badge for the course, or what is still missing for it;
    None when the course has no badge (not published). One query when
    awarded, three otherwise, plus one for generated criteria."""
    award = (
        Assertion.objects.filter(learner=learner, badge_class__course=course)
        .select_related("badge_class")
        .first()
    )
    if award is not None:
        return moment_for_award(award=award, course=course)
    badge_class = BadgeClass.objects.filter(course=course).first()
    if badge_class is None:
        return None
    badge_class.course = course
    return BadgeMoment(
        badge_class=badge_class,
        course=course,
        criteria=badge_criteria(badge_class=badge_class),
        award=None,
        steps=badge_steps(learner=learner, course=course),
    )


def moment_for_award(*, award: Assertion, course: Course) -> BadgeMoment:
    award.badge_class.course = course
    return BadgeMoment(
        badge_class=award.badge_class,
        course=course,
        criteria=badge_criteria(badge_class=award.badge_class),
        award=award,
    )


def earned_award(*, learner, course_slug: str) -> Assertion:
    """The learner's own award for the course; raises Assertion.DoesNotExist."""
    return Assertion.objects.select_related("badge_class__course").get(
        learner=learner, badge_class__course__slug=course_slug
    )


# Artwork


def artwork_args(*, course: Course) -> dict:
    """What the course's generated image shows: its title, its level (the
    word in the course's language) and its competence area, the one most of
    its competences belong to (the lowest code on a tie). One query."""
    codes = Counter(course.competences.values_list("area__code", flat=True))
    area = min(codes, key=lambda code: (-codes[code], code)) if codes else None
    with override(course.language):
        level_label = str(course.get_level_display())
    return {"title": course.title, "level": course.level, "level_label": level_label, "area": area}
