"""Personas and data of the committee's pages: two committee members, the
author of a course under review, an author of another course, a member who
also authors the course, a learner, staff."""

import pytest

from courses.models import Course
from courses.services import proposal_submit
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user


@pytest.fixture
def members(db):
    """Two committee members, none an author: the quorum (2) between them."""
    return [
        make_user(username=f"comite{n}", email=f"comite{n}@example.org", is_committee_member=True)
        for n in (1, 2)
    ]


@pytest.fixture
def course_author(db):
    return make_user(username="autrice", email="autrice@example.org", is_author=True)


@pytest.fixture
def member_author(db):
    """A committee member who is also an author of the proposed course."""
    return make_user(username="marc", email="marc@example.org", is_committee_member=True)


@pytest.fixture
def other_author(db):
    user = make_user(username="autre-autrice", is_author=True)
    make_course(status=Course.Status.DRAFT).authors.add(user)
    return user


@pytest.fixture
def draft(course_author, member_author):
    """A draft by ``course_author`` and ``member_author``: a fiche, a video
    and a quiz with one question."""
    course = make_course(title="Sécuriser ses comptes", status=Course.Status.DRAFT)
    course.authors.add(course_author, member_author)
    make_unit(course, slug="fiche", title="Le mot de passe", body="Un mot de passe **long**.")
    make_unit(course, kind="video", slug="video", title="En vidéo")
    make_question(make_quiz(course), prompt="Quelle longueur ?")
    return course


@pytest.fixture
def proposal(course_author, draft):
    return proposal_submit(author=course_author, course=draft)
