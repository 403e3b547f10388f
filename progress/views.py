"""HTML views of progress: marking a grain done, and "Mes parcours"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from badges.selectors import assertion_map, badge_moment
from courses.models import Unit
from courses.selectors import published_unit, unit_for_page

from .selectors import course_progress_for, dashboard_for
from .services import unit_complete


@login_required
@require_POST
def unit_mark_complete(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A logged-in learner marks a fiche or video of a published course as
    done ("Mark as done", or "Next" which also moves on: ``advance``). Quiz
    grains complete by passing the quiz, not by this form."""
    try:
        unit = published_unit(unit_id=unit_id, kinds=[Unit.Kind.FICHE, Unit.Kind.VIDEO])
    except Unit.DoesNotExist as exc:
        raise Http404 from exc
    unit_complete(learner=request.user, unit=unit)
    progress = course_progress_for(learner=request.user, course=unit.course)
    if request.htmx:
        return render(
            request,
            "progress/partials/_complete.html",
            {
                "unit": unit,
                "course": unit.course,
                "is_done": True,
                "progress": progress,
                "tracking": True,
                "just_marked": True,
                "badge_moment": badge_moment(learner=request.user, course=unit.course)
                if progress.completed
                else None,
            },
        )
    if request.POST.get("advance") and not progress.completed:
        # "Next" on a fiche or a video: recorded as done, then on to the next grain.
        following = unit_for_page(course=unit.course, unit_slug=unit.slug).next
        if following is not None:
            return redirect(following.get_absolute_url())
    if progress.completed:
        messages.success(
            request,
            _("Congratulations, you have completed the course “%(title)s”!")
            % {"title": unit.course.title},
        )
    else:
        messages.success(request, _("Grain marked as done."))
    return redirect(unit.get_absolute_url())


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """ "Mes parcours": the logged-in learner's own courses only, with the
    badges earned and what their tutors assigned them."""
    dashboard = dashboard_for(learner=request.user)
    course_ids = [e.course.id for e in dashboard.in_progress + dashboard.completed]
    return render(
        request,
        "progress/dashboard.html",
        {
            "dashboard": dashboard,
            "awards": assertion_map(learner=request.user, course_ids=course_ids),
            "assignments": dashboard.assignments,
        },
    )
