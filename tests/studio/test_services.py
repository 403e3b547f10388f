"""The studio's services hold the rule themselves, whatever the view did:
only an author of the course, only while it is a draft (the course's row
locked, so a grain cannot change while the course is being proposed)."""

import pytest

from courses.models import Course, Unit
from courses.services import proposal_submit
from studio import services
from studio.services import CourseLocked, unique_slug
from tests.factories import make_learner

pytestmark = pytest.mark.django_db


def _calls(course, user):
    fiche = course.units.get(slug="fiche")
    return [
        lambda: services.course_update(user=user, course=course, competences=[]),
        lambda: services.unit_create(
            user=user, course=course, unit=Unit(kind=Unit.Kind.FICHE, title="N", body="x")
        ),
        lambda: services.unit_update(user=user, unit=fiche),
        lambda: services.unit_move(user=user, unit=fiche, direction="down"),
        lambda: services.unit_toggle_required(user=user, unit=fiche),
        lambda: services.unit_delete(user=user, unit=fiche),
        lambda: services.course_propose(user=user, course=course),
    ]


def _state(course):
    return (
        Course.objects.get(pk=course.pk).status,
        list(Unit.objects.filter(course=course).values_list("slug", "position", "required")),
        course.proposals.count(),
    )


def test_every_write_refuses_a_course_in_review(draft, studio_author):
    proposal_submit(author=studio_author, course=draft)
    before = _state(draft)
    for call in _calls(draft, studio_author):
        with pytest.raises(CourseLocked):
            call()
    assert _state(draft) == before


@pytest.mark.parametrize("who", ["learner", "other_author", "not_an_author_any_more"])
def test_every_write_refuses_anyone_but_an_author_of_the_course(
    draft, studio_author, other_author, who
):
    if who == "learner":
        user = make_learner()
    elif who == "other_author":
        user = other_author
    else:
        studio_author.is_author = False  # the role withdrawn: the course stays theirs, frozen
        studio_author.save()
        user = studio_author
    before = _state(draft)
    for call in _calls(draft, user):
        with pytest.raises(CourseLocked):
            call()
    assert _state(draft) == before


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        ("Mots de passe", [], "mots-de-passe"),
        ("Mots de passe", ["mots-de-passe"], "mots-de-passe-2"),
        ("Mots de passe", ["mots-de-passe", "mots-de-passe-2"], "mots-de-passe-3"),
        ("Mots de passe", ["mots-de-passe-2"], "mots-de-passe"),
        ("!!!", [], "grain"),
        ("أمينة", ["grain"], "grain-2"),
        ("a" * 300, [], "a" * 100),
    ],
)
def test_unique_slug(title, taken, expected):
    assert unique_slug(title, taken=lambda base: taken, fallback="grain") == expected
