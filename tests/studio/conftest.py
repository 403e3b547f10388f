"""The studio's personas and data: an author with a draft, an author of
another course, and the helpers the studio tests share."""

import pytest
from django.test import Client

from courses.models import Course, Unit
from tests.factories import make_course, make_quiz, make_unit, make_user


@pytest.fixture
def studio_author(db):
    """An author (the role) who writes ``draft``."""
    return make_user(username="ines", is_author=True)


@pytest.fixture
def other_author(db):
    """An author of another course, not of ``draft``."""
    user = make_user(username="marc", is_author=True)
    course = make_course(title="Autre parcours", status=Course.Status.DRAFT)
    course.authors.add(user)
    return user


@pytest.fixture
def staff_not_author(db):
    return make_user(username="equipe", is_staff=True, is_superuser=True)


@pytest.fixture
def draft(studio_author):
    """A draft by ``studio_author``: a fiche, a video and a quiz, positions 1-3."""
    course = make_course(title="Sécuriser ses comptes", status=Course.Status.DRAFT)
    course.authors.add(studio_author)
    make_unit(course, slug="fiche", title="Un mot de passe long", position=1)
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video", title="La vidéo", position=2)
    quiz = make_quiz(course)
    quiz.unit.position = 3
    quiz.unit.save()
    return course


@pytest.fixture
def author_client(studio_author):
    client = Client()
    client.force_login(studio_author)
    return client


def positions(course) -> list[tuple[str, int]]:
    return list(course.units.order_by("position", "id").values_list("slug", "position"))
