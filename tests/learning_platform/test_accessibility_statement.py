"""The accessibility statement: public, linked from every page's footer,
in French and in English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_statement_with_its_contact(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@example.org"
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="mailto:a11y@example.org"' in body
    assert "axe-core" in body and "320" in body


def test_every_page_links_to_the_statement(client):
    body = client.get(reverse("courses:catalogue")).content.decode()
    assert f'href="{reverse("accessibility")}"' in body


def test_statement_follows_the_language(client):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("accessibility")).content.decode()
    assert '<html lang="en">' in body and "Accessibility statement" in body


def test_statement_refuses_post(client):
    assert client.post(reverse("accessibility")).status_code == 405
