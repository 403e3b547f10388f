"""The Open Badges issuer profile comes from the settings (BADGE_ISSUER_NAME,
BADGE_ISSUER_URL, BADGE_ISSUER_EMAIL): an organisation puts its own name,
site and address on every badge it gives."""

import runpy
from pathlib import Path

import pytest
from django.urls import reverse

from badges.openbadges import issuer_document

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "learning_platform" / "settings.py"
SITE = "https://apprendre.mediatheque-exemple.fr"
ISSUER = {
    "name": "Médiathèque de Pontivy – espace numérique",
    "url": "https://www.mediatheque-exemple.fr/",
    "email": "numerique@mediatheque-exemple.fr",
}


@pytest.fixture
def organisation(settings):
    settings.SITE_URL = SITE
    settings.BADGE_ISSUER = dict(ISSUER)


def test_the_issuer_document_names_the_organisation_of_the_settings(organisation):
    document = issuer_document()

    assert document["type"] == "Issuer"
    assert (document["name"], document["url"], document["email"]) == (
        ISSUER["name"],
        ISSUER["url"],
        ISSUER["email"],
    )
    # The profile itself stays on the platform, where verifiers fetch it.
    assert document["id"] == SITE + "/badges/issuer"
    assert document["image"].startswith(SITE + "/")


def test_without_an_issuer_url_the_issuer_is_the_platforms_home_page(organisation, settings):
    settings.BADGE_ISSUER = {**ISSUER, "url": ""}

    assert issuer_document()["url"] == SITE + "/"


@pytest.mark.django_db
def test_verifiers_get_the_organisation_from_the_issuer_url(client, organisation):
    response = client.get(reverse("badges:issuer"), HTTP_ACCEPT="application/ld+json")

    assert response.status_code == 200
    assert response.json()["name"] == ISSUER["name"]
    assert response.json()["email"] == ISSUER["email"]


def _settings_read_with(monkeypatch, **env: str) -> dict:
    """The settings module as the environment makes it, read afresh."""
    for name in ("BADGE_ISSUER_NAME", "BADGE_ISSUER_URL", "BADGE_ISSUER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_the_environment_sets_the_issuer(monkeypatch):
    values = _settings_read_with(
        monkeypatch,
        BADGE_ISSUER_NAME=ISSUER["name"],
        BADGE_ISSUER_URL=ISSUER["url"],
        BADGE_ISSUER_EMAIL=ISSUER["email"],
    )

    assert values["BADGE_ISSUER"] == ISSUER


def test_the_demo_issuer_is_a_french_organisation_with_an_address_that_reaches_nobody(
    monkeypatch,
):
    issuer = _settings_read_with(monkeypatch)["BADGE_ISSUER"]

    assert issuer["name"].startswith("Grains numériques")
    assert issuer["email"] != "badges@example.org"
    # RFC 2606 reserves .example: no stranger gets the demo's mail.
    assert issuer["email"].endswith(".example")
    assert issuer["url"] == ""  # the platform's own home page (SITE_URL)
