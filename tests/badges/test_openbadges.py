"""The Open Badges 2.0 documents as a verifier fetches them, baked images,
revocation, and who may call each badge view."""

import json
import re

import pytest
from django.urls import reverse

from badges.baking import bake_png, bake_svg, unbake_png, unbake_svg
from badges.models import Assertion
from badges.services import hash_email
from tests.badges.helpers import finish_fiche_and_video, take_quiz
from tests.factories import make_learner, make_user

pytestmark = pytest.mark.django_db

LD = {"HTTP_ACCEPT": "application/ld+json"}
SITE = "https://badges.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def award(camille, course, quiz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(camille, course)
        take_quiz(camille, quiz, passing=False)
        take_quiz(camille, quiz, passing=True)
    return Assertion.objects.get()


def _path(url: str) -> str:
    assert url.startswith(SITE + "/"), url
    return url[len(SITE) :]


def test_assertion_badge_class_and_issuer_documents(client, award, camille):
    response = client.get(award.get_absolute_url(), **LD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["@context"] == "https://w3id.org/openbadges/v2"
    assert doc["type"] == "Assertion"
    assert doc["id"] == SITE + award.get_absolute_url()
    assert doc["verification"] == {"type": "hosted"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)", doc["issuedOn"])
    recipient = doc["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    assert recipient["identity"] == hash_email(camille.email, recipient["salt"])
    assert doc["evidence"][0]["id"] == SITE + "/courses/securiser/"
    assert "0 %" in doc["evidence"][0]["narrative"] and "100 %" in doc["evidence"][0]["narrative"]
    assert client.get(_path(doc["image"])).status_code == 200

    badge = client.get(_path(doc["badge"]), **LD)
    assert badge.status_code == 200 and badge["Content-Type"].startswith("application/ld+json")
    badge_doc = badge.json()
    assert badge_doc["type"] == "BadgeClass" and badge_doc["id"] == doc["badge"]
    for key in ("name", "description", "image", "criteria", "issuer", "alignment"):
        assert badge_doc[key], key
    assert badge_doc["criteria"]["id"] == SITE + "/courses/securiser/"
    assert {a["targetCode"] for a in badge_doc["alignment"]} == {"4.1", "4.2"}
    assert all(a["targetFramework"] == "DigComp 2.2" for a in badge_doc["alignment"])
    image = client.get(_path(badge_doc["image"]))
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")

    issuer = client.get(_path(badge_doc["issuer"]), **LD)
    issuer_doc = issuer.json()
    assert issuer_doc["type"] == "Issuer" and issuer_doc["id"] == badge_doc["issuer"]
    for key in ("name", "url", "email"):
        assert issuer_doc[key], key


def test_json_when_the_client_accepts_only_json(client, award):
    response = client.get(award.get_absolute_url(), HTTP_ACCEPT="application/json")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["type"] == "Assertion"
    # No Accept header at all: the JSON-LD document, as verifiers expect.
    assert client.get(award.get_absolute_url())["Content-Type"].startswith("application/ld+json")


def test_a_browser_gets_the_verification_page(client, award):
    response = client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html,*/*;q=0.8")
    body = response.content.decode()
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert "Ce badge est valide" in body and "Sécuriser ses comptes" in body
    check = client.get(
        award.get_absolute_url() + "?email=camille.martin@example.org",
        HTTP_ACCEPT="text/html",
    )
    assert "Oui : ce badge a été délivré à cette adresse." in check.content.decode()
    wrong = client.get(
        award.get_absolute_url() + "?email=someone@example.org", HTTP_ACCEPT="text/html"
    )
    assert "Non : ce badge n’a pas été délivré à cette adresse." in wrong.content.decode()
    bad = client.get(award.get_absolute_url() + "?email=nope", HTTP_ACCEPT="text/html")
    assert bad.status_code == 200 and "Saisissez une adresse e-mail valide" in bad.content.decode()


def test_baked_png_and_svg_carry_the_assertion(client, award):
    document = client.get(award.get_absolute_url(), **LD).json()
    png = client.get(reverse("badges:download_png", args=[award.uuid]))
    assert png["Content-Type"] == "image/png" and "attachment" in png["Content-Disposition"]
    assert json.loads(unbake_png(png.content)) == document
    svg = client.get(reverse("badges:download_svg", args=[award.uuid]))
    text = svg.content.decode()
    assert 'xmlns:openbadges="http://openbadges.org"' in text
    baked, verify = unbake_svg(text)
    assert json.loads(baked) == document and verify == document["id"]


def test_baking_replaces_a_previous_assertion_and_survives_cdata_end():
    from badges.artwork import badge_png, badge_svg

    png = bake_png(badge_png(title="T", level="beginner", level_label="B"), '{"a": 1}')
    png = bake_png(png, '{"a": 2}')
    assert png.count(b"openbadges") == 1 and unbake_png(png) == '{"a": 2}'
    svg = bake_svg(badge_svg(title="T", level="beginner", level_label="B"), '{"x": "]]>"}', "u")
    assert unbake_svg(svg) == ('{"x": "]]>"}', "u")


@pytest.fixture
def admin_user(db):
    return make_user(username="admin-badges", is_staff=True, is_superuser=True)


def test_revoked_assertion_answers_410_with_its_reason(client, award, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:badges_assertion_changelist"),
        {"action": "revoke", "_selected_action": [award.pk], "reason": "Fraude à l'examen"},
    )
    assert response.status_code == 302
    client.logout()
    gone = client.get(award.get_absolute_url(), **LD)
    assert gone.status_code == 410
    assert gone.json() == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": SITE + award.get_absolute_url(),
        "revoked": True,
        "revocationReason": "Fraude à l'examen",
    }
    page = client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html")
    assert page.status_code == 410 and "Ce badge a été révoqué" in page.content.decode()
    assert client.get(reverse("badges:download_png", args=[award.uuid])).status_code == 404


def test_revoke_needs_a_reason_and_the_permission(client, award, admin_user, staff, camille):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:badges_assertion_changelist"),
        {"action": "revoke", "_selected_action": [award.pk], "reason": "  "},
    )
    assert response.status_code == 200  # the form again, with its error
    award.refresh_from_db()
    assert not award.is_revoked
    client.force_login(staff)  # staff without the permission to change awards
    response = client.post(
        reverse("admin:badges_assertion_changelist"),
        {"action": "revoke", "_selected_action": [award.pk], "reason": "moi"},
    )
    assert response.status_code == 403
    client.force_login(camille)
    response = client.post(
        reverse("admin:badges_assertion_changelist"),
        {"action": "revoke", "_selected_action": [award.pk], "reason": "moi"},
    )
    assert response.status_code == 302 and "/admin/login/" in response.url
    award.refresh_from_db()
    assert not award.is_revoked


def test_unknown_ids_are_404(client):
    for name in ("badges:assertion", "badges:class", "badges:class_image", "badges:download_png"):
        url = reverse(name, args=["00000000-0000-0000-0000-000000000000"])
        assert client.get(url, **LD).status_code == 404
    assert client.get("/badges/assertions/not-a-uuid", **LD).status_code == 404


def test_public_documents_are_get_only(client, award):
    for url in (
        award.get_absolute_url(),
        reverse("badges:issuer"),
        award.badge_class.get_absolute_url(),
        reverse("badges:download_svg", args=[award.uuid]),
    ):
        assert client.post(url).status_code == 405


# "Mes badges" and claiming


def test_my_badges_needs_login(client):
    url = reverse("badges:mine")
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={url}"


def test_my_badges_lists_only_ones_own(client, award, camille, course, quiz, other_learner):
    client.force_login(other_learner)
    assert "Sécuriser ses comptes" not in client.get(reverse("badges:mine")).content.decode()
    client.force_login(camille)
    body = client.get(reverse("badges:mine")).content.decode()
    assert "Sécuriser ses comptes" in body
    assert reverse("badges:download_png", args=[award.uuid]) in body
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in body
    assert "Copier le lien" in body


def test_unclaimed_award_is_private_until_claimed(
    client, course, quiz, django_capture_on_commit_callbacks
):
    learner = make_learner(username="sans-mail", email="")
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(learner, course)
        take_quiz(learner, quiz, passing=True)
    award = Assertion.objects.get(learner=learner)
    assert client.get(award.get_absolute_url(), **LD).status_code == 404
    client.force_login(learner)
    claim = reverse("badges:claim", args=[award.uuid])
    assert client.get(claim).status_code == 405
    response = client.post(claim, {"email": "pas-une-adresse"}, follow=True)
    assert (
        "Saisissez une adresse e-mail valide pour obtenir votre badge." in response.content.decode()
    )
    award.refresh_from_db()
    assert not award.is_claimed
    client.post(claim, {"email": "Nour@Example.org"})
    award.refresh_from_db()
    learner.refresh_from_db()
    assert award.recipient_identity == hash_email("nour@example.org", award.salt)
    assert learner.email == "Nour@Example.org"
    assert client.get(award.get_absolute_url(), **LD).status_code == 200
    # A second claim changes nothing.
    client.post(claim, {"email": "autre@example.org"})
    award.refresh_from_db()
    assert award.recipient_identity == hash_email("nour@example.org", award.salt)


def test_nobody_else_can_claim_an_award(client, course, quiz, django_capture_on_commit_callbacks):
    learner = make_learner(username="sans-mail", email="")
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(learner, course)
        take_quiz(learner, quiz, passing=True)
    award = Assertion.objects.get(learner=learner)
    claim = reverse("badges:claim", args=[award.uuid])
    response = client.post(claim, {"email": "x@example.org"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(make_user(username="intruse", is_staff=True))
    assert client.post(claim, {"email": "x@example.org"}).status_code == 404
    award.refresh_from_db()
    assert not award.is_claimed


def test_course_page_and_mes_parcours_show_the_badge(
    client, camille, course, quiz, django_capture_on_commit_callbacks
):
    client.force_login(camille)
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(camille, course)
        take_quiz(camille, quiz, passing=False)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Réussir « Le quiz » avec au moins 70 % (votre meilleur score : 0 %)" in page
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(camille, quiz, passing=True)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Vous avez obtenu le badge" in page
    dashboard = client.get(reverse("progress:dashboard")).content.decode()
    assert "Badge obtenu" in dashboard
