"""The commons' exchange pages: a course downloaded as a zip of Markdown
files, and such a zip imported as a new proposal (courses.exchange,
quizzes.exchange)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from quizzes.exchange import course_import_zip

from .exchange import ExchangeError, course_zip
from .models import Course


class CourseImportForm(forms.Form):
    file = forms.FileField(
        label=_("Course file (zip)"),
        # The limit is courses.exchange.MAX_ZIP_BYTES.
        help_text=_(
            "A zip of a course's Markdown files, as downloaded from a course page (at most 50 MB)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )


@require_GET
def course_download(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone, for a published course (CC licences: it is theirs to share);
    a draft only for whoever may see it (its authors, staff), else 404."""
    course = get_object_or_404(Course.objects.visible_to(request.user), slug=slug)
    response = HttpResponse(course_zip(course), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def course_import(request: HttpRequest) -> HttpResponse:
    """Authors only (``user.is_author``; others 403): upload a zip; the
    course is created as a draft and proposed to the committee."""
    if not request.user.is_author:
        raise PermissionDenied
    if request.method == "POST":
        form = CourseImportForm(request.POST, request.FILES)
    else:
        form = CourseImportForm()
    details: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            proposal = course_import_zip(author=request.user, upload=form.cleaned_data["file"])
        except ExchangeError as exc:
            form.add_error("file", exc.message)
            details = exc.details
        else:
            messages.success(
                request,
                gettext(
                    "The course was imported as a draft and proposed to the pedagogical committee."
                ),
            )
            return redirect(proposal.course.get_absolute_url())
    return render(request, "courses/exchange_import.html", {"form": form, "details": details})
