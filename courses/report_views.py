"""HTML views of error reports: a learner reports an error in a grain (or a
quiz question) and follows their reports; the course's authors, the
committee and staff read the reports and answer them.

Mounted at /courses/signalements/ (learning_platform/urls.py), before the
courses' own URLs, whose ``<slug>/`` would take the path.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learning_platform.inputs import page_number, parse_id
from quizzes.models import Question

from . import selectors, services
from .forms import ErrorReportAnswerForm, ErrorReportForm
from .models import ErrorReport

REPORTS_PAGE_SIZE = 50


def _report_form(data) -> ErrorReportForm:
    return ErrorReportForm(data, questions=Question.objects.select_related("quiz"))


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    """Any logged-in learner, on a grain of a published course (``unit``)
    and optionally one of its quiz's questions (``question``), from the
    query string (GET) or the form (POST). With htmx, the form and its
    answer are the fragment alone, opened in place on the grain's page."""
    if request.method == "GET":
        form = _report_form(
            {"unit": request.GET.get("unit", ""), "question": request.GET.get("question", "")}
        )
        form.is_valid()  # the place is checked now; the text comes with the POST
        question = form.cleaned_data.get("question")
        if (
            "unit" in form.errors
            or "question" in form.errors
            or (question is not None and question.quiz.unit_id != form.cleaned_data["unit"].pk)
        ):
            raise Http404
        status = 200
    else:
        form = _report_form(request.POST)
        status = 422
        if form.is_valid():
            unit = form.cleaned_data["unit"]
            try:
                services.error_report_create(
                    reporter=request.user,
                    unit=unit,
                    question=form.cleaned_data["question"],
                    text=form.cleaned_data["text"],
                )
            except services.ErrorReportError as error:
                form.add_error("text", error.message)
            else:
                thanks = _("Thank you: your report was sent to the authors of the course.")
                if request.htmx:
                    sent = "courses/reports/partials/_sent.html"
                    return render(request, sent, {"message": thanks})
                messages.success(request, thanks)
                return redirect(unit.get_absolute_url())
    context = {
        "form": form,
        "unit": form.cleaned_data.get("unit"),
        "question": form.cleaned_data.get("question"),
        "place_errors": [e for name in ("unit", "question") for e in form.errors.get(name, [])],
    }
    template = "courses/reports/new.html"
    if request.htmx:
        # Opened in place on the grain's page: the keyboard goes to the text.
        template = "courses/reports/partials/_report_form.html"
        form.fields["text"].widget.attrs["autofocus"] = True
    if request.method == "GET":
        # The text is not asked yet: its "required" error waits for the POST.
        form.errors.pop("text", None)
    return render(request, template, context, status=status)


@login_required
@require_GET
def reports_mine(request: HttpRequest) -> HttpResponse:
    """The logged-in user's own reports, with their status and answer."""
    page = Paginator(selectors.error_reports_of(reporter=request.user), REPORTS_PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    return render(request, "courses/reports/mine.html", {"page": page, "reports": list(page)})


def _is_reviewer(user) -> bool:
    return user.is_staff or user.is_committee_member or user.is_author


@login_required
@require_GET
def reports_review(request: HttpRequest) -> HttpResponse:
    """Authors (the reports of the courses they author), committee members
    and staff (every course's); anyone else gets 404. Filtered by status
    (open by default) and by course (``?course=<id>``)."""
    if not _is_reviewer(request.user):
        raise Http404
    reports = selectors.error_reports_reviewable(user=request.user)
    status = request.GET.get("status", ErrorReport.Status.OPEN)
    if status in ErrorReport.Status.values:
        reports = reports.filter(status=status)
    else:
        status = ""
    course_id = parse_id(request.GET.get("course"))
    if course_id:
        reports = reports.filter(course_id=course_id)
    page = Paginator(reports, REPORTS_PAGE_SIZE).get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "courses/reports/review_list.html",
        {
            "page": page,
            "reports": list(page),
            "status": status,
            "statuses": ErrorReport.Status.choices,
            "course_id": course_id,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    """One report, and the form to set its status and answer it: a reviewer
    of its course (``selectors.error_report_reviewer``); 404 for anyone else."""
    report = selectors.error_reports_reviewable(user=request.user).filter(pk=report_id).first()
    if report is None:
        raise Http404
    initial = {"status": report.status, "answer": report.answer}
    form = ErrorReportAnswerForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.error_report_answer(
                    reviewer=request.user,
                    report=report,
                    status=form.cleaned_data["status"],
                    answer=form.cleaned_data["answer"],
                )
            except services.ErrorReportError as error:
                form.add_error("answer", error.message)
            else:
                messages.success(request, _("The report is updated."))
                return redirect("reports:review_list")
    question = (
        Question.objects.filter(pk=report.question_id).only("id", "prompt_html").first()
        if report.question_id
        else None
    )
    return render(
        request,
        "courses/reports/review.html",
        {"report": report, "form": form, "question": question},
        status=status,
    )
