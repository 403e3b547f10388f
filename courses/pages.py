"""Page builders of the catalogue, the course page and the unit page: each
page is composed here once, for the HTML view (courses/views.py) and the API
view (courses/api.py) alike.

This module is part of the composition layer (with views and API views): it
may call the selectors and services of any app. The apps' cores never
import it.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.http import Http404

from badges import selectors as badge_selectors
from progress.selectors import (
    CourseAction,
    CourseProgress,
    course_action,
    course_progress_map,
    course_state,
    next_unit,
)
from progress.services import unit_open
from quizzes.selectors import QuizPanel, quiz_panel

from .models import Course, Unit
from .selectors import (
    UnitInCourse,
    course_for_page,
    course_units,
    course_version,
    unit_for_page,
    version_news,
)


def course_or_404(*, user, slug: str) -> Course:
    """The course, if the user may see it (see ``course_for_page``)."""
    try:
        return course_for_page(slug=slug, user=user)
    except Course.DoesNotExist as exc:
        raise Http404 from exc


def unit_place_or_404(*, user, slug: str, unit_slug: str) -> UnitInCourse:
    """The grain of a course the user may see, with its neighbours (a
    published course's data from the cache: see ``cached_course``)."""
    cached = cached_course(slug=slug)
    if cached is not None:
        course, units, _version = cached
    else:
        course, units = course_or_404(user=user, slug=slug), None
    try:
        place = unit_for_page(course=course, unit_slug=unit_slug, units=units)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    for unit in place.units:
        unit.course = course  # the course already fetched, with its totals
    return place


def catalogue_progress(*, user, courses) -> list[tuple[Course, CourseProgress | None]]:
    """Each course of a catalogue page with the learner's progress (None for
    anyone anonymous), in two queries for the whole page."""
    progress = course_progress_map(learner=user, course_ids=[c.id for c in courses])
    return [(course, progress.get(course.id)) for course in courses]


@dataclass(frozen=True)
class CoursePage:
    course: Course
    units: list[Unit]
    done: set[int]
    progress: CourseProgress
    action: CourseAction
    resume: Unit | None  # the first grain not done, required or not; None once all are
    badge_award: object | None = None  # the learner's Assertion for this course
    badge_eligibility: object | None = None  # badges.selectors.Eligibility
    news: object | None = None  # selectors.VersionNews: what the latest revision changed


# A published course's data is kept this long in the configured cache (Redis
# when REDIS_URL is set, shared by every worker); the key holds the course's
# version, so an edit shows on the next request and the old entry ages out.
PAGE_CACHE_SECONDS = 3600


def cached_course(*, slug: str) -> tuple[Course, list[Unit], str] | None:
    """A published course with its totals, competences and grains, and its
    version, from the cache (one query: the version; three more when the
    cache misses, four when the course credits nobody by name); None when
    no published course has this slug (a draft, previewed uncached, or
    nothing)."""
    published = course_version(slug=slug)
    if published is None:
        return None
    course_id, version = published
    key = f"course:{course_id}:{version}"
    data = cache.get(key)
    if data is None:
        data = course_data(slug=slug)
        cache.set(key, data, PAGE_CACHE_SECONDS)
    course, units = data
    return course, units, version


def course_data(*, slug: str) -> tuple[Course, list[Unit]]:
    """A published course with its totals and competences, and its grains:
    what its page shows to anyone, to keep in the cache (three queries; four
    when the course credits nobody by name: its author accounts)."""
    course = course_or_404(user=AnonymousUser(), slug=slug)
    if not course.credits:
        # The attribution line names the author accounts then (courses.attribution).
        prefetch_related_objects([course], "authors")
    units = course_units(course=course)
    for unit in units:
        unit.course = course
    return course, units


def course_page(
    *,
    user,
    slug: str,
    with_badge: bool = True,
    course: Course | None = None,
    units: list[Unit] | None = None,
) -> CoursePage:
    """The course, its grains, where the learner stands and what the main
    button does; with ``with_badge``, the learner's badge or how far they
    are from it (the API lists badges at an endpoint of their own).
    ``course`` and ``units``: a published course's, from ``course_data``
    (the cache); read here otherwise."""
    if course is None or units is None:
        course = course_or_404(user=user, slug=slug)
        units = course_units(course=course)
        for unit in units:
            unit.course = course
    done, progress = course_state(learner=user, course=course, units=units)
    award = eligibility = None
    if with_badge:
        award = badge_selectors.assertion_map(learner=user, course_ids=[course.id]).get(course.id)
        if user.is_authenticated and award is None and course.is_published:
            eligibility = badge_selectors.eligibility(
                learner=user, course=course, complete=progress.completed
            )
    return CoursePage(
        course=course,
        units=units,
        done=done,
        progress=progress,
        action=course_action(units=units, done=done, progress=progress),
        resume=next_unit(units=units, done=done),
        badge_award=award,
        badge_eligibility=eligibility,
        news=version_news(course=course),
    )


@dataclass(frozen=True)
class UnitPage:
    course: Course
    unit: Unit
    units: list[Unit]
    number: int  # 1 for the course's first grain
    previous: Unit | None
    next: Unit | None
    tracking: bool  # progress is recorded (false in a draft previewed by its authors)
    done: set[int]
    progress: CourseProgress
    quiz: QuizPanel | None  # a quiz grain's quiz, when it has one
    badge_moment: object | None = None  # badges.selectors.BadgeMoment, once the course is complete


def unit_page(*, user, place: UnitInCourse, with_form: bool = True) -> UnitPage:
    """A grain as the learner opens it: opening a grain of a published
    course enrols the learner and remembers the grain for resuming. A quiz
    grain carries its quiz panel; ``with_form`` adds the open attempt's
    questions (the API serves them at the attempt's own endpoint)."""
    unit, course = place.unit, place.unit.course
    # Fiches and videos are public (an open commons); only a learner's visit records.
    enrolment = unit_open(learner=user, unit=unit) if user.is_authenticated else None
    tracking = enrolment is not None
    quiz = getattr(unit, "quiz", None) if unit.kind == Unit.Kind.QUIZ else None
    # A preview records nothing: the enrolment (if any) is read then.
    done, progress = (
        course_state(learner=user, course=course, units=place.units, enrolment=enrolment)
        if tracking
        else course_state(learner=user, course=course, units=place.units)
    )
    return UnitPage(
        course=course,
        unit=unit,
        units=place.units,
        number=place.units.index(unit) + 1,
        previous=place.previous,
        next=place.next,
        tracking=tracking,
        done=done,
        progress=progress,
        quiz=quiz_panel(learner=user, quiz=quiz, tracking=tracking, with_form=with_form)
        if quiz and user.is_authenticated
        else None,
        badge_moment=badge_selectors.badge_moment(learner=user, course=course)
        if progress.completed
        else None,
    )
