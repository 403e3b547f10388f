"""Tutor pages: my cohorts, a cohort's progress table (sort, flags, CSV), a
learner's record, question analytics; adding and removing learners and
courses. A tutor sees only the cohorts they tutor or whose organisation they
manage, and in them only the learners who consented; anything else is 404."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from courses.models import Course
from courses.selectors import catalogue_version
from learning_platform.cohorts import tutor_invite, tutor_remove
from learning_platform.errors import DomainError
from learning_platform.models import Cohort
from learning_platform.qr import qr_svg
from learning_platform.start_codes import may_get_help
from quizzes import selectors as quiz_selectors
from quizzes import services as quiz_services

from . import tutor_analytics, tutor_pages
from . import tutor_selectors as selectors
from .exports import cohort_csv_filename, cohort_csv_stream
from .forms import AddLearnerForm, AssignCourseForm
from .services import cohort_course_assign, cohort_course_unassign


def _cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    return get_object_or_404(selectors.cohorts_for_tutor(request.user), pk=cohort_id)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The tutor's active cohorts with headline figures, the archived ones,
    and a way to create one (empty for anyone else)."""
    return render(
        request,
        "tutor/dashboard.html",
        {
            "summaries": tutor_pages.dashboard_summaries(request.user),
            "archived": selectors.archived_cohorts(request.user),
            # Whoever tutors a cohort belongs to its organisation: may create one.
            "can_create": request.user.is_tutor,
        },
    )


def _table_context(request: HttpRequest, cohort: Cohort) -> dict:
    listing = tutor_pages.cohort_listing_page(
        cohort,
        sort=request.GET.get("sort", "name"),
        flag=request.GET.get("flag", ""),
        page_number=request.GET.get("page"),
        page_size=settings.TUTOR_PAGE_SIZE,
    )
    return {
        "cohort": cohort,
        "table": listing.table,
        "sort": listing.sort,
        "flag": listing.flag,
        "flags": listing.flags,
        "columns": listing.columns,
        "page": listing.page,
        "flag_labels": selectors.FLAG_LABELS,
        "thresholds": settings.TUTOR_FLAGS,
        "today": timezone.localdate(),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    context = _table_context(request, cohort)
    if request.htmx:
        return render(request, "tutor/partials/_cohort_table.html", context)
    invite_url = request.build_absolute_uri(reverse("cohorts:join_code", args=[cohort.invite_code]))
    context.update(
        {
            "pending": selectors.pending_memberships(cohort),
            "add_form": AddLearnerForm(),
            "assign_form": AssignCourseForm(),
            # The key of the assign form's cached rendering (its list of courses).
            "catalogue_version": catalogue_version(),
            "invite_url": invite_url,
            "quizzes": list(selectors.assigned_quizzes(cohort)),
            "invite_qr": qr_svg(invite_url, label=_("QR code of the link to join the group")),
        }
    )
    return render(request, "tutor/cohort.html", context)


@login_required
@require_GET
def cohort_export(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """CSV of the cohort table for a spreadsheet (see ``progress.exports``):
    ";" and decimal commas by default, "," and decimal points with ?sep=comma."""
    cohort = _cohort(request, cohort_id)
    table, chunks = tutor_pages.cohort_csv_tables(cohort)
    # Streamed: the learners' cells are read a chunk at a time (see
    # tutor_pages.CSV_CHUNK), so memory stays flat whatever the cohort's size.
    response = StreamingHttpResponse(
        cohort_csv_stream(table, chunks, comma=request.GET.get("sep") == "comma"),
        content_type="text/csv; charset=utf-8",
    )
    filename = cohort_csv_filename(table, today=date.today())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def learner_add(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    form = AddLearnerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the username of an existing account."))
    else:
        try:
            membership = tutor_invite(
                tutor=request.user, cohort=cohort, username=form.cleaned_data["username"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is invited. They will appear here once they have accepted "
                    "what you will see."
                )
                % {"name": membership.learner},
            )
    return redirect("tutor:cohort", cohort_id=cohort.pk)


@login_required
@require_POST
def learner_remove(request: HttpRequest, cohort_id: int, learner_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    if not tutor_remove(cohort=cohort, learner_id=learner_id):
        raise Http404
    messages.success(request, _("The learner has been removed from the group."))
    return redirect("tutor:cohort", cohort_id=cohort.pk)


@login_required
@require_POST
def course_assign(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    form = AssignCourseForm(request.POST)
    if form.is_valid():
        cohort_course_assign(
            cohort=cohort,
            course=form.cleaned_data["course"],
            due_date=form.cleaned_data["due_date"],
        )
        messages.success(request, _("The course is assigned to the group."))
    else:
        messages.error(request, _("Choose a published course and a valid date."))
    return redirect("tutor:cohort", cohort_id=cohort.pk)


@login_required
@require_POST
def course_unassign(request: HttpRequest, cohort_id: int, assignment_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    if not cohort_course_unassign(cohort=cohort, assignment_id=assignment_id):
        raise Http404
    messages.success(request, _("The course is no longer assigned to the group."))
    return redirect("tutor:cohort", cohort_id=cohort.pk)


@login_required
@require_GET
def learner_detail(request: HttpRequest, cohort_id: int, learner_id: int) -> HttpResponse:
    """A consented learner of the tutor's cohort: timeline, attempts with
    each answer, badges, and the questions they got wrong, per quiz."""
    cohort = _cohort(request, cohort_id)
    membership = get_object_or_404(
        selectors.consented_memberships(cohort).select_related("learner", "cohort"),
        learner_id=learner_id,
    )
    page = tutor_pages.learner_page(membership)
    return render(
        request,
        "tutor/learner.html",
        {
            "cohort": cohort,
            "learner": membership.learner,
            "membership": membership,
            "timeline": page.timeline,
            "wrong": page.wrong,
            "struggling": _quizzes_not_passed(cohort, membership.learner),
            "can_help_password": may_get_help(learner=membership.learner, tutor=request.user),
        },
    )


def _quizzes_not_passed(cohort: Cohort, learner) -> list[tuple]:
    """(quiz, status) for each quiz with limited attempts of the cohort's
    courses that the learner tried without passing (three queries): where a
    tutor may give one more attempt."""
    quizzes = list(selectors.assigned_quizzes(cohort).filter(attempts_allowed__isnull=False))
    statuses = quiz_selectors.quiz_statuses_for(learner=learner, quizzes=quizzes)
    return [
        (quiz, statuses[quiz.id])
        for quiz in quizzes
        if statuses[quiz.id].attempts_submitted and not statuses[quiz.id].passed
    ]


@login_required
@require_POST
def attempt_grant(
    request: HttpRequest, cohort_id: int, learner_id: int, quiz_id: int
) -> HttpResponse:
    """One more attempt, at once, for a consented learner of the tutor's
    cohort at a quiz of a course assigned to it; anything else is 404 and
    nothing is recorded."""
    cohort = _cohort(request, cohort_id)
    membership = get_object_or_404(
        selectors.consented_memberships(cohort).select_related("learner"), learner_id=learner_id
    )
    quiz = get_object_or_404(selectors.assigned_quizzes(cohort), pk=quiz_id)
    try:
        quiz_services.attempt_grant(learner=membership.learner, quiz=quiz, granted_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s can make one more attempt at “%(quiz)s” now.")
            % {"name": membership.learner, "quiz": quiz.unit.title},
        )
    return redirect("tutor:learner", cohort_id=cohort.pk, learner_id=learner_id)


@login_required
@require_GET
def cohort_quiz(request: HttpRequest, cohort_id: int, quiz_id: int) -> HttpResponse:
    """Question analytics of one assigned course's quiz, for this cohort."""
    cohort = _cohort(request, cohort_id)
    quiz = get_object_or_404(selectors.assigned_quizzes(cohort), pk=quiz_id)
    stats = tutor_analytics.question_stats(
        quiz=quiz, learner_ids=selectors.consented_learner_ids(cohort)
    )
    return render(
        request, "tutor/quiz_stats.html", {"cohort": cohort, "quiz": quiz, "stats": stats}
    )


@login_required
@require_GET
def course_quiz_stats(request: HttpRequest, slug: str) -> HttpResponse:
    """Question analytics of a course's quizzes over all learners, for its
    authors and staff."""
    course = get_object_or_404(Course, slug=slug)
    if not (request.user.is_staff or course.authors.filter(pk=request.user.pk).exists()):
        raise Http404
    sections = tutor_analytics.course_question_stats(course=course)
    return render(request, "tutor/course_stats.html", {"course": course, "sections": sections})
