"""The commons' roles in the demo data: the demo author is an author, two
demo accounts sit on the pedagogical committee, nobody else holds a role."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from courses.models import Course

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_commons_roles(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    out = StringIO()
    call_command("seed_demo", stdout=out)
    users = get_user_model().objects
    assert set(users.filter(is_author=True).values_list("username", flat=True)) == {"autrice"}
    assert set(users.filter(is_committee_member=True).values_list("username", flat=True)) == {
        "comite1",
        "comite2",
    }
    assert "comite1" in out.getvalue() and "committee" in out.getvalue()
    member = users.get(username="comite1")
    # With no course loaded, the demo author authors nothing (and nothing fails).
    assert not users.get(username="autrice").authored_courses.exists()
    assert member.check_password("grains-comite-2026") and not member.is_staff


def test_the_demo_author_writes_in_the_studio_not_in_the_admin(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    author = get_user_model().objects.get(username="autrice")
    assert author.is_author
    assert not author.is_staff and not author.is_superuser
    assert not author.user_permissions.exists()


def test_the_demo_author_authors_two_demo_courses_she_can_revise(settings):
    settings.DEBUG = True
    content = Path(settings.BASE_DIR) / "content"
    call_command("load_content", str(content), stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # twice: nothing doubles
    author = get_user_model().objects.get(username="autrice")
    authored = set(author.authored_courses.values_list("slug", flat=True))
    assert authored == {"tableur-premiers-pas", "participer-a-une-visioconference"}
    assert set(Course.objects.filter(slug__in=authored).values_list("status", flat=True)) == {
        "published"
    }
