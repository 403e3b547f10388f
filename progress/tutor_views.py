"""Tutor pages: my cohorts, a cohort's progress table (sort, flags, CSV), a
learner's record, question analytics; adding and removing learners and
courses. A tutor sees only the cohorts they tutor or whose organisation they
manage, and in them only the learners who consented; anything else is 404."""

import csv
from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from courses.models import Course
from learning_platform.cohorts import CohortError, tutor_invite, tutor_remove
from learning_platform.models import Cohort
from quizzes.models import Quiz

from . import tutor_selectors as selectors
from .models import CohortCourse
from .services import cohort_course_assign

FLAG_LABELS = {
    selectors.FLAG_INACTIVE: gettext_lazy("Inactive"),
    selectors.FLAG_FAILING: gettext_lazy("Stuck on a quiz"),
    selectors.FLAG_NOT_STARTED: gettext_lazy("Not started"),
    selectors.FLAG_LATE: gettext_lazy("Late"),
}


def _cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    return get_object_or_404(selectors.cohorts_for_tutor(request.user), pk=cohort_id)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The tutor's cohorts with headline figures (empty for anyone else)."""
    return render(
        request,
        "tutor/dashboard.html",
        {"summaries": selectors.cohort_summaries(request.user)},
    )


class AddLearnerForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)


class AssignCourseForm(forms.Form):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"), queryset=Course.objects.published().order_by("title")
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def _table_context(request: HttpRequest, cohort: Cohort) -> dict:
    table = selectors.cohort_table(cohort)
    sort = request.GET.get("sort", "name")
    flag = request.GET.get("flag", "")
    rows = selectors.sort_rows(table, sort)
    if flag in selectors.FLAGS:
        rows = [r for r in rows if flag in r.flags]
    else:
        flag = ""
    page = Paginator(rows, settings.TUTOR_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = table.flag_counts()
    columns = [
        {"key": "name", "label": _("Learner"), "first": "name"},
        {"key": "activity", "label": _("Last activity"), "first": "-activity"},
        {"key": "flags", "label": _("Needs help"), "first": "-flags"},
    ] + [
        {"key": f"course-{i}", "label": a.course.title, "first": f"course-{i}", "due": a.due_date}
        for i, a in enumerate(table.assignments)
    ]
    for column in columns:
        first = column["first"]
        column["next"] = ("-" + first).replace("--", "") if sort == first else first
        column["current"] = sort.lstrip("-") == column["key"]
        column["descending"] = sort.startswith("-")
    return {
        "columns": columns,
        "cohort": cohort,
        "table": table,
        "page": page,
        "sort": sort,
        "flag": flag,
        "flags": [(key, FLAG_LABELS[key], counts[key]) for key in selectors.FLAGS],
        "flag_labels": FLAG_LABELS,
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
    context.update(
        {
            "pending": list(
                cohort.memberships.filter(consented_at__isnull=True).select_related("learner")
            ),
            "add_form": AddLearnerForm(),
            "assign_form": AssignCourseForm(),
            "invite_url": request.build_absolute_uri(
                reverse("cohorts:join_code", args=[cohort.invite_code])
            ),
            "quizzes": list(
                Quiz.objects.filter(unit__course__cohort_assignments__cohort=cohort)
                .select_related("unit__course")
                .order_by("unit__course__title", "unit__position")
            ),
        }
    )
    return render(request, "tutor/cohort.html", context)


def _number(value, decimal_comma: bool) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".") if value is not None else ""
    return text.replace(".", ",") if decimal_comma else text


@login_required
@require_GET
def cohort_export(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """CSV of the cohort table for a spreadsheet: UTF-8 with a BOM, ";" and
    decimal commas by default (French Excel, LibreOffice), "," and decimal
    points with ?sep=comma; numbers as numbers, dates in ISO 8601."""
    cohort = _cohort(request, cohort_id)
    comma = request.GET.get("sep") == "comma"
    delimiter = "," if comma else ";"
    table = selectors.cohort_table(cohort)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"cohorte-{cohort.pk}-{date.today().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter, lineterminator="\r\n")
    header = [_("Username"), _("Name"), _("Joined on"), _("Last activity"), _("Flags")]
    for assignment in table.assignments:
        title = assignment.course.title
        header += [
            _("%(course)s: %% done") % {"course": title},
            _("%(course)s: best quiz score") % {"course": title},
            _("%(course)s: badge (1 = earned)") % {"course": title},
            _("%(course)s: due date") % {"course": title},
        ]
    writer.writerow(header)
    for row in selectors.sort_rows(table, "name"):
        line = [
            row.learner.username,
            str(row.learner),
            row.joined_at.date().isoformat() if row.joined_at else "",
            timezone.localtime(row.last_activity).date().isoformat() if row.last_activity else "",
            ", ".join(str(FLAG_LABELS[f]) for f in row.flags),
        ]
        for assignment, cell in zip(table.assignments, row.cells, strict=True):
            line += [
                cell.percent,
                _number(cell.best_score, decimal_comma=not comma),
                1 if cell.badge else 0,
                assignment.due_date.isoformat() if assignment.due_date else "",
            ]
        writer.writerow(line)
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
        except CohortError as error:
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
    deleted, _rows = CohortCourse.objects.filter(cohort=cohort, pk=assignment_id).delete()
    if not deleted:
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
        cohort.memberships.select_related("learner"),
        learner_id=learner_id,
        consented_at__isnull=False,
    )
    course_ids = list(
        CohortCourse.objects.filter(cohort=cohort).values_list("course_id", flat=True)
    )
    learner = membership.learner
    return render(
        request,
        "tutor/learner.html",
        {
            "cohort": cohort,
            "learner": learner,
            "membership": membership,
            "timeline": selectors.learner_timeline(learner=learner, course_ids=course_ids),
            "wrong": selectors.wrong_answers(learner=learner, course_ids=course_ids),
        },
    )


@login_required
@require_GET
def cohort_quiz(request: HttpRequest, cohort_id: int, quiz_id: int) -> HttpResponse:
    """Question analytics of one assigned course's quiz, for this cohort."""
    cohort = _cohort(request, cohort_id)
    quiz = get_object_or_404(
        Quiz.objects.select_related("unit__course"),
        pk=quiz_id,
        unit__course__cohort_assignments__cohort=cohort,
    )
    stats = selectors.question_stats(quiz=quiz, learner_ids=selectors.consented_learner_ids(cohort))
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
    quizzes = (
        Quiz.objects.filter(unit__course=course).select_related("unit").order_by("unit__position")
    )
    sections = [(quiz, selectors.question_stats(quiz=quiz)) for quiz in quizzes]
    return render(request, "tutor/course_stats.html", {"course": course, "sections": sections})
