"""HTML views of the catalogue, the course page and the unit pages.

Views are the composition layer: they call the selectors of courses,
quizzes and progress, once per page.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from badges import selectors as badge_selectors
from progress.selectors import NOT_STARTED, completed_unit_ids, course_progress_map, next_unit
from progress.services import unit_open
from quizzes import selectors as quiz_selectors

from .forms import CatalogueFilterForm
from .models import Course, Unit
from .selectors import (
    catalogue_courses,
    competence_areas,
    course_for_page,
    course_units,
    unit_for_page,
)


@require_GET
@vary_on_headers("HX-Request")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Anyone: published courses, filtered, paginated, with the learner's progress."""
    areas = competence_areas()
    form = CatalogueFilterForm(request.GET, areas=areas)
    courses = catalogue_courses(**form.filters())
    page = Paginator(courses, settings.CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    progress = course_progress_map(learner=request.user, course_ids=[c.id for c in page])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": [(course, progress.get(course.id)) for course in page],
        "query": query.urlencode(),
    }
    template = "courses/partials/_course_list.html" if request.htmx else "courses/catalogue.html"
    return render(request, template, context)


def _get_course(request: HttpRequest, slug: str) -> Course:
    try:
        return course_for_page(slug=slug, user=request.user)
    except Course.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone for a published course; its authors and staff for a draft."""
    course = _get_course(request, slug)
    units = course_units(course=course)
    done = completed_unit_ids(learner=request.user, course=course)
    progress = course_progress_map(learner=request.user, course_ids=[course.id]).get(
        course.id, NOT_STARTED
    )
    resume = next_unit(units=units, done=done)
    award = badge_selectors.assertion_map(learner=request.user, course_ids=[course.id]).get(
        course.id
    )
    badge_eligibility = (
        badge_selectors.eligibility(learner=request.user, course=course)
        if request.user.is_authenticated and award is None and course.is_published
        else None
    )
    if progress.completed or resume is None:
        action, target = "review", (units[0] if units else None)
    elif progress.started or done:
        action, target = "resume", resume
    else:
        action, target = "start", units[0] if units else None
    return render(
        request,
        "courses/detail.html",
        {
            "course": course,
            "units": units,
            "done": done,
            "progress": progress,
            "action": action,
            "target": target,
            "badge_award": award,
            "badge_eligibility": badge_eligibility,
        },
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, slug: str, unit_slug: str) -> HttpResponse:
    """A logged-in learner, in a published course (authors and staff preview
    drafts without recording progress). Opening a grain enrols the learner."""
    course = _get_course(request, slug)
    try:
        place = unit_for_page(course=course, unit_slug=unit_slug)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    unit, units = place.unit, place.units
    if request.htmx and request.GET.get("play") and unit.kind == Unit.Kind.VIDEO:
        return render(request, "courses/partials/_player.html", {"unit": unit, "play": True})

    tracking = unit_open(learner=request.user, unit=unit)
    done = completed_unit_ids(learner=request.user, course=course)
    progress = course_progress_map(learner=request.user, course_ids=[course.id]).get(
        course.id, NOT_STARTED
    )
    context = {
        "course": course,
        "unit": unit,
        "units": units,
        "done": done,
        "progress": progress,
        "tracking": tracking,
        "previous": place.previous,
        "next": place.next,
        "play": bool(request.GET.get("play")),
    }
    if unit.kind == Unit.Kind.QUIZ:
        context.update(quiz_context(request, unit))
    return render(request, "courses/unit.html", context)


def quiz_context(request: HttpRequest, unit: Unit) -> dict:
    """What the quiz part of a unit page shows: status, open attempt's form
    (questions and choices only), and past attempts."""
    quiz = getattr(unit, "quiz", None)
    if quiz is None:
        return {"quiz": None}
    status = quiz_selectors.quiz_status_for(learner=request.user, quiz=quiz)
    form_questions = (
        quiz_selectors.attempt_form_questions(attempt=status.open_attempt)
        if status.open_attempt
        else []
    )
    past = quiz_selectors.past_attempts(learner=request.user, quiz=quiz)
    return {
        "quiz": quiz,
        "status": status,
        "form_questions": form_questions,
        "attempt": status.open_attempt,
        "past_attempts": past,
    }
