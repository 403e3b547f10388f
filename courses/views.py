"""HTML views of the catalogue, the course page and the unit pages.

Views are the composition layer: each page is built by a page builder of
courses/pages.py, which the API views call too.
"""

from dataclasses import fields

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from learning_platform.inputs import page_number

from .forms import CatalogueFilterForm
from .models import Unit
from .pages import catalogue_progress, course_page, unit_page, unit_place_or_404
from .selectors import catalogue_courses, competence_areas, search_help


@require_GET
@vary_on_headers("HX-Request")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Anyone: published courses, filtered, paginated, with the learner's progress."""
    areas = competence_areas()
    form = CatalogueFilterForm(request.GET, areas=areas)
    courses = catalogue_courses(**form.filters())
    page = Paginator(courses, settings.CATALOGUE_PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": catalogue_progress(user=request.user, courses=page),
        "query": query.urlencode(),
        "searched": form.filters().get("q", ""),
    }
    if context["searched"] and not page.paginator.count:
        context["search_help"] = search_help(q=context["searched"])
    template = "courses/partials/_course_list.html" if request.htmx else "courses/catalogue.html"
    return render(request, template, context)


@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone for a published course; its authors and staff for a draft."""
    page = course_page(user=request.user, slug=slug)
    context = {f.name: getattr(page, f.name) for f in fields(page)}
    context.update(action=page.action.kind, target=page.action.target)
    return render(request, "courses/detail.html", context)


@require_GET
def unit_detail(request: HttpRequest, slug: str, unit_slug: str) -> HttpResponse:
    """Anyone may read a fiche or a video of a published course (authors and
    staff preview drafts); a quiz needs an account. A logged-in learner's
    visit enrols them and remembers the grain (drafts record nothing)."""
    place = unit_place_or_404(user=request.user, slug=slug, unit_slug=unit_slug)
    unit = place.unit
    if unit.kind == Unit.Kind.QUIZ and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.htmx and request.GET.get("play") and unit.kind == Unit.Kind.VIDEO:
        return render(request, "courses/partials/_player.html", {"unit": unit, "play": True})
    page = unit_page(user=request.user, place=place)
    context = {
        "course": page.course,
        "unit": unit,
        "units": page.units,
        "done": page.done,
        "progress": page.progress,
        "tracking": page.tracking,
        "previous": page.previous,
        "next": page.next,
        "play": bool(request.GET.get("play")),
        "badge_moment": page.badge_moment,
    }
    if unit.kind == Unit.Kind.QUIZ:
        panel = page.quiz
        context.update(
            {
                "quiz": panel.quiz if panel else None,
                "status": panel.status if panel else None,
                "form_questions": panel.form_questions if panel else [],
                "attempt": panel.open_attempt if panel else None,
                "past_attempts": panel.past_attempts if panel else [],
            }
        )
    return render(request, "courses/unit.html", context)
