"""The studio's pages: "My studio", a course's metadata and grains, the
fiche, video and quiz grain editors, the Markdown preview, and proposing a
course to the committee.

Who may call them: an account with the author role (``User.is_author``);
anyone else logged in gets a 403 page saying what the studio is, an
anonymous visitor the login page. A course is reached only by its authors
(404 for anyone else), and changed only while ``course_editable_by`` holds
(a draft): otherwise a 403 page explains why (in review, published)."""

import copy
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.markup import render_markdown
from courses.models import Course, Proposal, Unit
from courses.selectors import competence_framework, course_editable_by
from learning_platform.errors import DomainError

from . import services
from .forms import BODY_MAX, UNIT_FORMS, CourseForm, RevisionNoteForm
from .pages import quiz_editor_url, studio_course_page, studio_home


class _Locked(Exception):
    def __init__(self, course: Course):
        self.course = course


def author_view(view):
    """Log-in, the author role, and the explanation page when the course
    asked for is not editable (also when it stopped being so mid-request)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_author:
            return render(request, "studio/not_author.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except _Locked as locked:
            return _locked_page(request, locked.course)
        except services.CourseLocked:
            course = Course.objects.filter(pk=kwargs.get("course_id")).first()
            if course is None:
                raise Http404 from None
            return _locked_page(request, course)

    return wrapper


def _locked_page(request: HttpRequest, course: Course) -> HttpResponse:
    return render(
        request,
        "studio/locked.html",
        {"course": course, "proposal": course.proposals.order_by("-created_at", "-id").first()},
        status=403,
    )


def _authored_course(request: HttpRequest, course_id: int) -> Course:
    """One of the user's courses, whatever its state; 404 for any other."""
    return get_object_or_404(Course.objects.filter(authors=request.user), pk=course_id)


def _editable_course(request: HttpRequest, course_id: int) -> Course:
    course = _authored_course(request, course_id)
    if not course_editable_by(user=request.user, course=course):
        raise _Locked(course)
    return course


def _unit(course: Course, unit_id: int) -> Unit:
    return get_object_or_404(course.units.all(), pk=unit_id)


# My studio


@author_view
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The author's courses by state, and a way to start one."""
    return render(request, "studio/home.html", {"home": studio_home(user=request.user)})


# A course's metadata


def _course_form_page(request, form, course=None) -> HttpResponse:
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        preview = _render_preview("description", form.data.get("description", ""))
    return render(
        request,
        "studio/course_form.html",
        {"form": form, "course": course, "areas": competence_framework(), "preview": preview},
    )


@author_view
@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    """A new draft: its title, summary, level... The author is its first author."""
    form = CourseForm(request.POST or None)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        course = services.course_create(
            author=request.user,
            course=form.save(commit=False),
            competences=form.cleaned_data["competences"],
        )
        messages.success(request, _("Course created. Now add its grains."))
        return redirect("studio:course", course.pk)
    return _course_form_page(request, form)


@author_view
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _editable_course(request, course_id)
    # The form changes its instance as it validates: the page's title and
    # links keep the course as stored.
    form = CourseForm(request.POST or None, instance=copy.copy(course))
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        services.course_update(
            user=request.user,
            course=form.save(commit=False),
            competences=form.cleaned_data["competences"],
        )
        messages.success(request, _("Course information saved."))
        return redirect("studio:course", course.pk)
    return _course_form_page(request, form, course)


# A course's grains


@author_view
@require_GET
def course_page(request: HttpRequest, course_id: int) -> HttpResponse:
    """The course's grains in order, with the buttons to arrange them while
    it is a draft; read-only once proposed or published."""
    course = _authored_course(request, course_id)
    editable = course_editable_by(user=request.user, course=course)
    # A working copy's proposals are its published course's (Proposal.working_copy).
    proposals = (
        Proposal.objects.filter(working_copy=course)
        if course.is_working_copy
        else course.proposals.all()
    )
    proposal = proposals.prefetch_related("votes").order_by("-created_at", "-id").first()
    comments = []
    if proposal and proposal.status in (
        Proposal.Status.CHANGES_REQUESTED,
        Proposal.Status.REFUSED,
    ):
        comments = [vote for vote in proposal.votes.all() if vote.comment]
    return render(
        request,
        "studio/course.html",
        {
            "page": studio_course_page(course=course, editable=editable),
            "course": course,
            "proposal": proposal,
            "comments": comments,
            "original": course.revision_of,
            "working_copy": course.working_copies.first()
            if course.status == Course.Status.PUBLISHED
            else None,
        },
    )


@author_view
@require_POST
def revision_start(request: HttpRequest, course_id: int) -> HttpResponse:
    """ "Propose a revision" of a published course: its working copy, made
    on the first call (``services.revision_start``), opened in the studio."""
    course = _authored_course(request, course_id)
    try:
        copy = services.revision_start(user=request.user, course=course)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("studio:course", course.pk)
    messages.success(
        request,
        _(
            "Your revision is open. Learners keep following the published version "
            "until the committee validates your changes."
        ),
    )
    return redirect("studio:course", copy.pk)


@author_view
@require_POST
def unit_move(request: HttpRequest, course_id: int, unit_id: int) -> HttpResponse:
    course = _editable_course(request, course_id)
    unit = _unit(course, unit_id)
    try:
        services.unit_move(user=request.user, unit=unit, direction=request.POST.get("direction"))
    except services.CourseLocked:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("studio:course", args=[course.pk]) + f"#unit-{unit.pk}")


@author_view
@require_POST
def unit_required(request: HttpRequest, course_id: int, unit_id: int) -> HttpResponse:
    course = _editable_course(request, course_id)
    unit = services.unit_toggle_required(user=request.user, unit=_unit(course, unit_id))
    if unit.required:
        messages.success(request, _("“%(title)s” is now required.") % {"title": unit.title})
    else:
        messages.success(request, _("“%(title)s” is now optional.") % {"title": unit.title})
    return redirect(reverse("studio:course", args=[course.pk]) + f"#unit-{unit.pk}")


@author_view
@require_http_methods(["GET", "POST"])
def unit_delete(request: HttpRequest, course_id: int, unit_id: int) -> HttpResponse:
    """A confirmation page, then the grain is deleted (a draft's only)."""
    course = _editable_course(request, course_id)
    unit = _unit(course, unit_id)
    if request.method == "POST":
        services.unit_delete(user=request.user, unit=unit)
        messages.success(request, _("Grain “%(title)s” deleted.") % {"title": unit.title})
        return redirect("studio:course", course.pk)
    return render(request, "studio/unit_delete.html", {"course": course, "unit": unit})


@author_view
@require_http_methods(["GET", "POST"])
def revision_discard(request: HttpRequest, course_id: int) -> HttpResponse:
    """A confirmation page, then the revision in progress is deleted (a
    working copy that is a draft); the published course stays as it is."""
    course = _editable_course(request, course_id)
    if not course.is_working_copy:
        raise Http404
    if request.method == "POST":
        original = services.revision_discard(user=request.user, course=course)
        messages.success(request, _("Revision discarded: the published course is unchanged."))
        return redirect("studio:course", original.pk)
    return render(request, "studio/revision_discard.html", {"course": course})


# Grain editors


def _unit_form_page(request, *, course, unit, form, preview=None) -> HttpResponse:
    return render(
        request,
        "studio/unit_form.html",
        {
            "course": course,
            "unit": unit,
            "kind": unit.kind,
            "form": form,
            "preview": preview,
            "quiz_url": quiz_editor_url(unit) if unit.pk and unit.kind == Unit.Kind.QUIZ else None,
        },
    )


def _previews(form, kind: str) -> dict[str, str] | None:
    """The Markdown of the form as typed, rendered as it will be published."""
    field = PREVIEW_FIELDS_BY_KIND.get(kind)
    if field is None:
        return None
    return {field: _render_preview(field, form.data.get(field, ""))}


def _unit_form_submit(request, *, course: Course, unit: Unit, creating: bool) -> HttpResponse:
    form_class = UNIT_FORMS[unit.kind]
    form = form_class(request.POST or None, request.FILES or None, instance=copy.copy(unit))
    if request.method == "POST" and "preview" in request.POST:
        return _unit_form_page(
            request, course=course, unit=unit, form=form, preview=_previews(form, unit.kind)
        )
    if request.method == "POST" and form.is_valid():
        unit = form.save(commit=False)
        if creating:
            unit = services.unit_create(user=request.user, course=course, unit=unit)
            messages.success(request, _("Grain “%(title)s” added.") % {"title": unit.title})
        else:
            unit = services.unit_update(user=request.user, unit=unit)
            messages.success(request, _("Draft saved."))
        if creating and unit.kind == Unit.Kind.QUIZ and (url := quiz_editor_url(unit)):
            return redirect(url)
        return redirect(reverse("studio:unit_edit", args=[course.pk, unit.pk]))
    return _unit_form_page(request, course=course, unit=unit, form=form)


@author_view
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, course_id: int, kind: str) -> HttpResponse:
    """A new fiche, video or quiz grain, added at the end of the course."""
    if kind not in Unit.Kind.values:
        raise Http404
    course = _editable_course(request, course_id)
    return _unit_form_submit(
        request, course=course, unit=Unit(course=course, kind=kind), creating=True
    )


@author_view
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, course_id: int, unit_id: int) -> HttpResponse:
    course = _editable_course(request, course_id)
    return _unit_form_submit(request, course=course, unit=_unit(course, unit_id), creating=False)


# The preview of Markdown as it will be published

# The field previewed on each kind of grain's page, and how each Markdown
# field is rendered: as the models render it on save (Unit.save, Course.save).
PREVIEW_FIELDS_BY_KIND = {
    Unit.Kind.FICHE: "body",
    Unit.Kind.VIDEO: "transcript",
    Unit.Kind.QUIZ: "body",
}
PREVIEW_HEADINGS = {"body": 2, "transcript": 3, "description": 2}


def _render_preview(field: str, text: str) -> str:
    if len(text) > BODY_MAX:
        return ""
    return render_markdown(text, top_heading=PREVIEW_HEADINGS[field])


@author_view
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The htmx preview beside a Markdown field (``?field=body``): the text
    as learners will see it, through the one sanitising renderer."""
    field = request.GET.get("field", "")
    if field not in PREVIEW_HEADINGS:
        raise Http404
    text = request.POST.get(field, "")
    return render(
        request,
        "studio/partials/_preview.html",
        {"preview_html": _render_preview(field, text), "too_long": len(text) > BODY_MAX},
    )


# Proposing


@author_view
@require_http_methods(["GET", "POST"])
def course_propose(request: HttpRequest, course_id: int) -> HttpResponse:
    """What proposing does, then the proposal (``courses.services.proposal_submit``)."""
    course = _editable_course(request, course_id)
    form = RevisionNoteForm(request.POST or None) if course.is_working_copy else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.course_propose(
                user=request.user,
                course=course,
                note=form.cleaned_data["note"] if form is not None else "",
            )
        except services.CourseLocked:
            raise
        except DomainError as error:
            if form is not None:
                form.add_error("note", error.message)
            else:
                messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Course proposed: the committee will review it. You will get an e-mail."),
            )
            return redirect("studio:course", course.pk)
    return render(
        request,
        "studio/propose.html",
        {
            "course": course,
            "unit_count": course.units.count(),
            "form": form,
            "original": course.revision_of,
        },
    )
