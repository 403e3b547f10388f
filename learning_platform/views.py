"""Site-wide pages: home, sign up, profile, health check, accessibility statement.

Views are faces: the home page shows the newest courses (courses selectors)."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from courses.forms import CatalogueFilterForm
from courses.models import Course
from courses.pages import PAGE_CACHE_SECONDS
from courses.selectors import catalogue_version, newest_courses

from . import login_limits, token_views
from .forms import LoginForm, ProfileForm, SignupForm, StartCodeForm
from .selectors import membership_of
from .start_codes import code_history


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Anyone: what the site is, for whom, how it works, where to start.
    A logged-in user goes on to "Mes parcours"."""
    if request.user.is_authenticated:
        return redirect("progress:dashboard")
    return render(
        request,
        "home.html",
        {
            # The page's content is cached per language and catalogue version
            # (home.html): the newest courses are read only when it is not.
            "catalogue_version": catalogue_version(),
            "cache_seconds": PAGE_CACHE_SECONDS,
            "newest": lambda: newest_courses(limit=3),
            "search_form": CatalogueFilterForm(areas=[]),
            "levels": Course.Level.choices,
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Anyone: search engines index the public pages, not accounts or tools."""
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /me/",
        "Disallow: /tutor/",
        "Disallow: /cohorts/",
        "Disallow: /quiz/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Anyone: create an account, then log in."""
    if request.user.is_authenticated:
        return redirect("progress:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="learning_platform.backends.AccountBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(request.GET.get("next") if _safe_next(request) else "courses:catalogue")
    return render(request, "registration/signup.html", {"form": form})


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


class LoginView(auth_views.LoginView):
    """Anyone: log in with a username or an e-mail, within the limits of
    learning_platform.login_limits (a refused attempt gets 429 Too Many
    Requests and says why). A tutor lands on the tutor space."""

    form_class = LoginForm

    def get_default_redirect_url(self):
        if self.request.user.is_tutor:
            return reverse("tutor:dashboard")
        return super().get_default_redirect_url()

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "too_many_attempts"):
            response.status_code = 429
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Anyone with the e-mailed link: a new password also lifts the account's
    login limit (whoever has the link does not need to guess). The address's
    limit stays."""

    def form_valid(self, form):
        response = super().form_valid(form)
        login_limits.login_failures_clear(username=form.user.get_username())
        return response


@never_cache
@require_http_methods(["GET", "POST"])
def start_code(request: HttpRequest) -> HttpResponse:
    """Anyone with a start code from a tutor (an account made for them, or a
    forgotten password): choose a password, log in, then read and accept
    what the group's tutors will see (the consent screen)."""
    username = request.GET.get("username", "")[:150]
    form = StartCodeForm(request.POST or None, request=request, initial={"username": username})
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="learning_platform.backends.AccountBackend")
        messages.success(request, _("Your password is saved: use it next time you log in."))
        cohort = form.cohort
        if cohort is not None and not cohort.is_archived:
            membership = membership_of(learner=form.user, cohort=cohort)
            if membership is not None and membership.consented_at is None:
                return redirect("cohorts:join_code", code=cohort.invite_code)
        return redirect("home")
    status = 200
    if form.errors:
        status = 429 if form.has_error(NON_FIELD_ERRORS, "too_many_attempts") else 422
    return render(request, "registration/start_code.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The logged-in user: their display name and e-mail."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    context = {
        "form": form,
        "start_codes": code_history(user=request.user),
        **token_views.tokens_context(request),
    }
    return render(request, "registration/profile.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Anyone: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# What the accessibility statement reports: the checks of tests/e2e (axe-core
# as pinned in .ci/run, Chromium, the keyboard, 320 px) and when they were
# last reviewed. Change them with the checks.
ACCESSIBILITY_AUDIT = {"axe_core": "4.14.1", "reviewed_on": date(2026, 11, 23)}


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """Anyone: the accessibility statement (RGAA): what was tested and how,
    the result, what is known not to conform, and whom to contact."""
    return render(
        request,
        "accessibility.html",
        {**ACCESSIBILITY_AUDIT, "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )
