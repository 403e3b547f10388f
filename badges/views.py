"""Badge pages and Open Badges documents.

Public (no account, as a verifier needs): the issuer profile, badge classes,
their images, assertions (JSON for verifiers, a verification page for
browsers) and the baked downloads. Personal: "Mes badges", the page of
a badge just earned (the completion moment's stable place), claiming with
an e-mail, and the choice to show one's name on the verification page.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from . import openbadges, selectors, services
from .artwork import badge_png, badge_svg
from .baking import bake_png, bake_svg
from .forms import ClaimForm, RecipientCheckForm, ShowNameForm
from .models import Assertion, BadgeClass

JSON_TYPES = ["application/ld+json", "application/json"]


def _json(request: HttpRequest, document: dict, status: int = 200) -> JsonResponse:
    """``application/ld+json``, or ``application/json`` when that is what the
    client accepts and it does not accept JSON-LD."""
    preferred = request.get_preferred_type(JSON_TYPES) or JSON_TYPES[0]
    response = JsonResponse(
        document,
        status=status,
        content_type=f"{preferred}; charset=utf-8",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch from anywhere
    return response


def _wants_html(request: HttpRequest) -> bool:
    return request.get_preferred_type([*JSON_TYPES, "text/html"]) == "text/html"


def _badge_class(uuid) -> BadgeClass:
    return get_object_or_404(selectors.badge_classes(), uuid=uuid)


@require_GET
@vary_on_headers("Accept")
def issuer(request: HttpRequest) -> HttpResponse:
    """Anyone: the issuer profile."""
    return _json(request, openbadges.issuer_document())


@require_GET
@vary_on_headers("Accept")
def badge_class(request: HttpRequest, uuid) -> HttpResponse:
    """Anyone: a badge class."""
    badge = get_object_or_404(
        selectors.badge_classes().prefetch_related("course__competences"), uuid=uuid
    )
    return _json(request, openbadges.badge_class_document(badge))


def _image(badge: BadgeClass, fmt: str) -> bytes:
    """The badge's image in ``fmt`` (png or svg): the uploaded one when it has
    that format, the generated one otherwise."""
    if badge.image and badge.image.name.lower().endswith("." + fmt):
        with badge.image.open("rb") as fh:
            return fh.read()
    args = selectors.artwork_args(course=badge.course)
    return badge_png(**args) if fmt == "png" else badge_svg(**args).encode("utf-8")


def _image_response(data: bytes, fmt: str, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png" if fmt == "png" else "image/svg+xml")
    # An SVG opened on its own may not run script or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def badge_class_image(request: HttpRequest, uuid) -> HttpResponse:
    """Anyone: the badge's image (PNG: what verifiers and LinkedIn show best)."""
    badge = _badge_class(uuid)
    fmt = "png" if not (badge.image and badge.image.name.lower().endswith(".svg")) else "svg"
    return _image_response(_image(badge, fmt), fmt)


def _public_assertion(uuid) -> Assertion:
    return get_object_or_404(selectors.public_assertions(), uuid=uuid)


@require_GET
@vary_on_headers("Accept")
def assertion(request: HttpRequest, uuid) -> HttpResponse:
    """Anyone: the assertion (JSON-LD for verifiers, 410 once revoked) or,
    for a browser, the verification page."""
    if not _wants_html(request):
        award = get_object_or_404(selectors.public_assertion_documents(), uuid=uuid)
        if award.is_revoked:
            return _json(request, openbadges.revoked_document(award), status=410)
        return _json(request, openbadges.assertion_document(award))
    award = _public_assertion(uuid)
    check = RecipientCheckForm(request.GET) if "email" in request.GET else RecipientCheckForm()
    matches = None
    if check.is_bound and check.is_valid():
        matches = (
            services.hash_email(check.cleaned_data["email"], award.salt) == award.recipient_identity
        )
    return render(
        request,
        "badges/assertion.html",
        {
            "award": award,
            "badge": award.badge_class,
            "criteria": selectors.badge_criteria(badge_class=award.badge_class),
            "course": award.badge_class.course,
            "issuer": openbadges.issuer_document(),
            "assertion_url": openbadges.assertion_url(award),
            "check": check,
            "matches": matches,
            # The holder's choice, for this page only: never in the JSON.
            "holder": award.learner if award.show_name and award.learner else None,
        },
        status=410 if award.is_revoked else 200,
    )


@require_GET
def assertion_download(request: HttpRequest, uuid, fmt: str) -> HttpResponse:
    """Anyone with the link: the badge image with the assertion baked in."""
    award = _public_assertion(uuid)
    if award.is_revoked:
        raise Http404
    document = json.dumps(openbadges.assertion_document(award), ensure_ascii=False)
    image = _image(award.badge_class, fmt)
    if fmt == "png":
        data = bake_png(image, document)
    else:
        data = bake_svg(image.decode("utf-8"), document, openbadges.assertion_url(award)).encode()
    slug = award.badge_class.course.slug
    return _image_response(data, fmt, filename=f"badge-{slug}.{fmt}")


@login_required
@require_GET
def my_badges(request: HttpRequest) -> HttpResponse:
    """ "Mes badges": the logged-in learner's own badges."""
    awards = selectors.assertions_for(learner=request.user)
    entries = [
        {
            "award": award,
            "url": openbadges.assertion_url(award),
            "linkedin": openbadges.linkedin_url(award),
            "claim_form": None if award.is_claimed else ClaimForm(),
            "earned": reverse("badges:earned", args=[award.badge_class.course.slug]),
        }
        for award in awards
    ]
    return render(request, "badges/my_badges.html", {"entries": entries})


def _next_or(request: HttpRequest, default: str) -> str:
    """Where to go back to after a POST: ``next`` if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_GET
def earned(request: HttpRequest, slug: str) -> HttpResponse:
    """The learner's own badge for a course: the completion moment, at a
    stable address (404 without an award)."""
    try:
        award = selectors.earned_award(learner=request.user, course_slug=slug)
    except Assertion.DoesNotExist as exc:
        raise Http404 from exc
    moment = selectors.moment_for_award(award=award, course=award.badge_class.course)
    return render(request, "badges/earned.html", {"badge_moment": moment})


@login_required
@require_POST
def claim(request: HttpRequest, uuid) -> HttpResponse:
    """The learner gives an e-mail to make an award verifiable; back to
    ``next`` (the completion moment) or "Mes badges"."""
    award = get_object_or_404(Assertion, uuid=uuid, learner=request.user)
    back = _next_or(request, reverse("badges:mine"))
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address to claim your badge."))
        return redirect(back)
    try:
        services.assertion_claim(assertion=award, email=form.cleaned_data["email"])
    except services.BadgeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your badge is ready: anyone can now verify it."))
    return redirect(back)


@login_required
@require_POST
def show_name(request: HttpRequest, uuid) -> HttpResponse:
    """The holder chooses whether their name shows on the verification page."""
    award = get_object_or_404(Assertion, uuid=uuid, learner=request.user)
    form = ShowNameForm(request.POST)
    form.is_valid()  # a boolean: anything but "on" is no
    show = bool(form.cleaned_data.get("show_name"))
    services.assertion_show_name_set(assertion=award, show=show)
    if show:
        messages.success(request, _("Your name now shows on this badge's verification page."))
    else:
        messages.success(request, _("Your name no longer shows on this badge's verification page."))
    return redirect(reverse("badges:mine") + f"#badge-{award.uuid}")
