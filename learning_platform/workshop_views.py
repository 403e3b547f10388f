"""The tutor's workshop, from the site: create a cohort, rename it, archive
it, regenerate its code, name its tutors (managers); print the invite sheet;
create accounts for people without e-mail and print their log-in cards; give
a member a new start code in person.

Every view answers 404 for a cohort the user does not tutor or manage
(``Cohort.objects.for_tutor``); naming tutors is for the organisation's
managers. Routed under /tutor/ (progress.tutor_urls)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import cohorts, start_codes
from .errors import DomainError
from .forms import AccountsCreateForm, CohortCreateForm, CohortNameForm, TutorAddForm
from .models import Cohort
from .qr import qr_svg


def _cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    return get_object_or_404(
        Cohort.objects.for_tutor(request.user).select_related("organisation"), pk=cohort_id
    )


def _managed_cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    cohort = _cohort(request, cohort_id)
    if not cohorts.is_manager(request.user, cohort):
        raise Http404
    return cohort


def _open_cohort(request: HttpRequest, cohort_id: int) -> Cohort | None:
    """The cohort if people may be brought into it; None (with a message) if
    it is archived."""
    cohort = _cohort(request, cohort_id)
    if cohort.is_archived:
        messages.error(request, _("This group is archived: restore it to bring people in."))
        return None
    return cohort


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request: HttpRequest) -> HttpResponse:
    """A manager, or a tutor in an organisation they tutor in, creates a
    cohort and becomes its tutor."""
    organisations = cohorts.organisations_for_tutor(request.user).order_by("name")
    if not organisations.exists():
        raise Http404
    form = CohortCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        cohort = cohorts.cohort_create(
            user=request.user,
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
        )
        messages.success(
            request,
            _(
                "The group “%(name)s” is created. Give its code to the learners, "
                "or print the invite sheet."
            )
            % {"name": cohort.name},
        )
        return redirect("tutor:cohort", cohort_id=cohort.pk)
    return render(
        request, "tutor/cohort_new.html", {"form": form}, status=422 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_settings(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Rename (POST here), and the buttons to archive or restore, regenerate
    the code, and (managers) name or remove tutors."""
    cohort = _cohort(request, cohort_id)
    form = CohortNameForm(request.POST or None, initial={"name": cohort.name})
    if request.method == "POST" and form.is_valid():
        cohorts.cohort_rename(cohort=cohort, name=form.cleaned_data["name"])
        messages.success(request, _("The group is renamed."))
        return redirect("tutor:cohort_settings", cohort_id=cohort.pk)
    manager = cohorts.is_manager(request.user, cohort)
    return render(
        request,
        "tutor/cohort_settings.html",
        {
            "cohort": cohort,
            "form": form,
            "is_manager": manager,
            "tutors": list(cohort.tutors.order_by("username")),
            "tutor_form": TutorAddForm() if manager else None,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def cohort_archive(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    if request.POST.get("restore"):
        cohorts.cohort_restore(cohort=cohort)
        messages.success(request, _("The group is restored: it is back on your dashboard."))
        return redirect("tutor:cohort", cohort_id=cohort.pk)
    cohorts.cohort_archive(cohort=cohort)
    messages.success(
        request,
        _(
            "The group is archived: it has left your dashboard, its flags and digests. "
            "Its data is kept; you can restore it from its settings."
        ),
    )
    return redirect("tutor:dashboard")


@login_required
@require_POST
def cohort_code(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    try:
        code = cohorts.cohort_code_regenerate(cohort=cohort)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The new code is %(code)s. The old code and link no longer work; members stay.")
            % {"code": code},
        )
    return redirect("tutor:cohort_settings", cohort_id=cohort.pk)


@login_required
@require_POST
def tutor_add(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _managed_cohort(request, cohort_id)
    form = TutorAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the username or e-mail of an existing account."))
    else:
        try:
            tutor = cohorts.cohort_tutor_add(
                cohort=cohort, identifier=form.cleaned_data["identifier"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s now tutors this group.") % {"name": tutor})
    return redirect("tutor:cohort_settings", cohort_id=cohort.pk)


@login_required
@require_POST
def tutor_remove(request: HttpRequest, cohort_id: int, tutor_id: int) -> HttpResponse:
    cohort = _managed_cohort(request, cohort_id)
    if not cohorts.cohort_tutor_remove(cohort=cohort, tutor_id=tutor_id):
        raise Http404
    messages.success(request, _("The tutor no longer follows this group."))
    return redirect("tutor:cohort_settings", cohort_id=cohort.pk)


def invite_url(request: HttpRequest, cohort: Cohort) -> str:
    return request.build_absolute_uri(reverse("cohorts:join_code", args=[cohort.invite_code]))


@login_required
@require_GET
def invite_sheet(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """One A4 page for the workshop table: the group, its code in large
    type, the QR code of the invite link, three steps, what the tutor sees."""
    cohort = _open_cohort(request, cohort_id)
    if cohort is None:
        return redirect("tutor:cohort_settings", cohort_id=cohort_id)
    url = invite_url(request, cohort)
    return render(
        request,
        "tutor/invite_sheet.html",
        {
            "cohort": cohort,
            "invite_url": url,
            "qr": qr_svg(url, label=_("QR code of the link to join the group")),
        },
    )


def _login_cards(request: HttpRequest, cohort: Cohort, accounts, *, title: str) -> HttpResponse:
    """The printable "cartes de connexion": shown once, never cached (the
    codes are kept only as hashes)."""
    start_url = request.build_absolute_uri(reverse("start_code"))
    cards = [
        {
            "name": str(account.user),
            "username": account.user.username,
            "code": account.code,
            "qr": qr_svg(
                f"{start_url}?username={account.user.username}",
                label=_("QR code of the log-in page for %(name)s") % {"name": account.user},
            ),
        }
        for account in accounts
    ]
    return render(
        request,
        "tutor/login_cards.html",
        {"cohort": cohort, "cards": cards, "title": title, "start_url": start_url},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def accounts_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Accounts for a list of first names, each with a start code; the
    answer is the sheet of log-in cards to print."""
    cohort = _open_cohort(request, cohort_id)
    if cohort is None:
        return redirect("tutor:cohort_settings", cohort_id=cohort_id)
    form = AccountsCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts = start_codes.accounts_create(
            tutor=request.user, cohort=cohort, names=form.cleaned_data["names"]
        )
        return _login_cards(request, cohort, accounts, title=_("Log-in cards"))
    return render(
        request,
        "tutor/accounts_new.html",
        {"cohort": cohort, "form": form, "valid_days": settings.START_CODE_VALID_DAYS},
        status=422 if form.errors else 200,
    )


@login_required
@never_cache
@require_POST
def password_help(request: HttpRequest, cohort_id: int, learner_id: int) -> HttpResponse:
    """A new start code, in person, for a consenting member without e-mail."""
    cohort = _cohort(request, cohort_id)
    learner = get_object_or_404(
        get_user_model().objects.filter(
            cohort_memberships__cohort=cohort, cohort_memberships__consented_at__isnull=False
        ),
        pk=learner_id,
    )
    try:
        code = start_codes.password_help(tutor=request.user, cohort=cohort, learner=learner)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("tutor:learner", cohort_id=cohort.pk, learner_id=learner.pk)
    account = start_codes.NewAccount(user=learner, code=code)
    return _login_cards(request, cohort, [account], title=_("New start code"))
