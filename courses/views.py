"""HTML views of the catalogue, the course page and the unit pages.

Views are the composition layer: each page is built by a page builder of
courses/pages.py, which the API views call too.
"""

import hashlib
import re
import time
from dataclasses import fields

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from learning_platform.inputs import page_number
from progress.html import progress_bar
from progress.selectors import course_progress_map

from .forms import CatalogueFilterForm
from .models import Unit
from .pages import (
    PAGE_CACHE_SECONDS,
    cached_course,
    course_page,
    unit_page,
    unit_place_or_404,
)
from .selectors import (
    catalogue_courses,
    catalogue_version,
    competence_areas,
    search_help,
)

# Anonymous parts of the catalogue and course pages are kept in the
# configured cache for PAGE_CACHE_SECONDS (courses.pages), under keys holding
# the content version.
_PROGRESS = re.compile(r"<!--progress:(\d+)-->")


def _catalogue_content(request: HttpRequest) -> dict:
    """The catalogue's content as anyone sees it, each card's progress a
    marker: the HTML and the course ids of the page (four queries)."""
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
        "courses": list(page),
        "query": query.urlencode(),
        "searched": form.filters().get("q", ""),
    }
    if context["searched"] and not page.paginator.count:
        context["search_help"] = search_help(q=context["searched"])
    # Rendered without the request: nothing of the visitor's may be cached.
    template = (
        "courses/partials/_course_list.html"
        if request.htmx
        else "courses/partials/_catalogue_content.html"
    )
    return {"html": render_to_string(template, context), "ids": [c.id for c in context["courses"]]}


def _with_progress(html: str, *, user, course_ids: list[int]) -> str:
    """The learner's progress bars in place of the cards' markers (two
    queries, none for anyone anonymous)."""
    progress = course_progress_map(learner=user, course_ids=course_ids)

    def bar(match: re.Match) -> str:
        mine = progress.get(int(match.group(1)))
        if mine is None or not mine.started:
            return ""
        return progress_bar(mine)

    return mark_safe(_PROGRESS.sub(bar, html))


@require_GET
@vary_on_headers("HX-Request")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Anyone: published courses, filtered, paginated, with the learner's
    progress. The content as anyone sees it comes from the cache, per
    language, filters and catalogue version (searches, as many as there are
    words, are not kept); the learner's progress is added to it."""
    key = None
    if not request.GET.get("q", "").strip():
        filters = hashlib.md5(request.GET.urlencode().encode(), usedforsecurity=False).hexdigest()
        version = catalogue_version()
        key = f"catalogue:{get_language()}:{version}:{int(bool(request.htmx))}:{filters}"
    content = cache.get(key) if key else None
    if content is None:
        content = _catalogue_content(request)
        if key:
            cache.set(key, content, PAGE_CACHE_SECONDS)
    html = _with_progress(content["html"], user=request.user, course_ids=content["ids"])
    if request.htmx:
        return HttpResponse(html)
    return render(request, "courses/catalogue.html", {"content": html})


@require_GET
def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone for a published course; its authors and staff for a draft. A
    published course's data and the parts anyone sees come from the cache,
    per course version and language (see detail.html); the learner's
    progress, next step and badge are read for each request."""
    course = units = None
    fragments = {"cache_seconds": 0, "cache_version": f"uncached-{time.monotonic_ns()}"}
    cached = cached_course(slug=slug)
    if cached is not None:
        course, units, version = cached
        fragments = {"cache_seconds": PAGE_CACHE_SECONDS, "cache_version": version}
    page = course_page(user=request.user, slug=slug, course=course, units=units)
    context = {f.name: getattr(page, f.name) for f in fields(page)}
    context.update(action=page.action.kind, target=page.action.target, **fragments)
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
