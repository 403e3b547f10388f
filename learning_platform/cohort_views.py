"""The learner's side of cohorts: join by code after reading what tutors
will see, accept an invitation, list one's groups, leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from progress.selectors import assignments_by_cohort

from .cohorts import cohort_by_code, membership_join, membership_leave
from .errors import DomainError
from .forms import CohortCodeForm, CohortConsentForm
from .selectors import cohorts_of, membership_of, memberships_of


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """A logged-in user types the code their tutor gave them."""
    form = CohortCodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            cohort = cohort_by_code(form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            return redirect("cohorts:join_code", code=cohort.invite_code)
    return render(request, "cohorts/join.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """The invite link: what tutors will see, then consent and join."""
    try:
        cohort = cohort_by_code(code)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("cohorts:join")
    membership = membership_of(learner=request.user, cohort=cohort)
    form = CohortConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership_join(learner=request.user, cohort=cohort)
        messages.success(
            request, _("You have joined the group “%(name)s”.") % {"name": cohort.name}
        )
        return redirect("cohorts:mine")
    return render(
        request,
        "cohorts/join_code.html",
        {
            "cohort": cohort,
            "tutors": list(cohort.tutors.all()),
            "form": form,
            "membership": membership,
        },
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The groups the user belongs to, and the invitations waiting; under
    each group joined, the courses its tutors assigned (a face: it reads
    progress, a higher app)."""
    memberships = memberships_of(learner=request.user)
    return render(
        request,
        "cohorts/mine.html",
        {
            "memberships": memberships,
            "assignments": assignments_by_cohort(learner=request.user),
        },
    )


@login_required
@require_POST
def leave(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(cohorts_of(learner=request.user), pk=cohort_id)
    membership_leave(learner=request.user, cohort=cohort)
    messages.success(
        request,
        _("You have left the group “%(name)s”: its tutors no longer see your progress.")
        % {"name": cohort.name},
    )
    return redirect("cohorts:mine")
