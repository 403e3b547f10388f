"""Who may call each studio page: anonymous visitors are sent to log in;
a learner and staff without the author role get a 403 page; an author of
another course gets a 404 for this one; the course's author gets the page.
Wrong methods are a 405."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Course, Unit
from tests.factories import make_learner

pytestmark = pytest.mark.django_db


def _urls(course) -> list[tuple[str, str, str]]:
    """(name, url, methods): every studio page with the draft's real ids."""
    fiche = course.units.get(slug="fiche")
    return [
        ("home", reverse("studio:home"), "GET"),
        ("course_new", reverse("studio:course_new"), "GET POST"),
        ("preview", reverse("studio:preview") + "?field=body", "POST"),
        ("course", reverse("studio:course", args=[course.pk]), "GET"),
        ("course_edit", reverse("studio:course_edit", args=[course.pk]), "GET POST"),
        ("course_propose", reverse("studio:course_propose", args=[course.pk]), "GET POST"),
        ("revision_start", reverse("studio:revision_start", args=[course.pk]), "POST"),
        ("unit_new", reverse("studio:unit_new", args=[course.pk, "fiche"]), "GET POST"),
        ("unit_edit", reverse("studio:unit_edit", args=[course.pk, fiche.pk]), "GET POST"),
        ("unit_move", reverse("studio:unit_move", args=[course.pk, fiche.pk]), "POST"),
        ("unit_required", reverse("studio:unit_required", args=[course.pk, fiche.pk]), "POST"),
        ("unit_delete", reverse("studio:unit_delete", args=[course.pk, fiche.pk]), "GET POST"),
    ]


COURSE_PAGES = {
    "course",
    "course_edit",
    "course_propose",
    "revision_start",
    "unit_new",
    "unit_edit",
    "unit_move",
    "unit_required",
    "unit_delete",
}


def _call(client, url, methods):
    method = methods.split()[0].lower()
    return getattr(client, method)(url)


def _snapshot(course):
    course.refresh_from_db()
    return (
        course.title,
        course.status,
        list(course.units.order_by("position").values_list("slug", "position", "required")),
        course.proposals.count(),
    )


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    for name, url, methods in _urls(draft):
        for method in methods.split():
            response = getattr(client, method.lower())(url)
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("login") + "?next="), name


@pytest.mark.parametrize("persona", ["learner", "staff"])
def test_accounts_without_the_author_role_get_a_403_page(draft, persona, staff_not_author):
    user = make_learner(username="nadia") if persona == "learner" else staff_not_author
    client = Client()
    client.force_login(user)
    before = _snapshot(draft)
    for name, url, methods in _urls(draft):
        for method in methods.split():
            response = getattr(client, method.lower())(url)
            assert response.status_code == 403, (name, method)
            assert "L’atelier est réservé aux auteurs" in response.content.decode(), name
    assert _snapshot(draft) == before


def test_an_author_of_another_course_gets_a_404_for_this_one(draft, other_author):
    client = Client()
    client.force_login(other_author)
    before = _snapshot(draft)
    for name, url, methods in _urls(draft):
        if name not in COURSE_PAGES:
            continue
        for method in methods.split():
            assert getattr(client, method.lower())(url).status_code == 404, (name, method)
    assert _snapshot(draft) == before


def test_the_courses_author_gets_every_page(author_client, draft):
    for name, url, methods in _urls(draft):
        if "GET" in methods.split():
            assert author_client.get(url).status_code == 200, name
    assert author_client.post(reverse("studio:preview") + "?field=body").status_code == 200


def test_another_author_sees_their_studio_without_this_course(other_author, draft):
    client = Client()
    client.force_login(other_author)
    page = client.get(reverse("studio:home")).content.decode()
    assert "Autre parcours" in page and draft.title not in page


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("home", "post"),
        ("course", "post"),
        ("unit_move", "get"),
        ("unit_required", "get"),
        ("preview", "get"),
        ("course_new", "put"),
        ("course_propose", "delete"),
    ],
)
def test_a_wrong_method_is_a_405_and_changes_nothing(author_client, draft, name, method):
    url = dict((n, u) for n, u, _m in _urls(draft))[name]
    before = _snapshot(draft)
    assert getattr(author_client, method)(url).status_code == 405
    assert _snapshot(draft) == before


def test_unknown_ids_and_kinds_are_404(author_client, draft):
    fiche = draft.units.get(slug="fiche")
    other = Course.objects.create(title="X", slug="x", summary="x", level="beginner")
    stray = Unit.objects.create(course=other, slug="s", title="S", kind="fiche", body="x")
    for url in [
        reverse("studio:course", args=[999999]),
        reverse("studio:course_edit", args=[999999]),
        reverse("studio:unit_edit", args=[draft.pk, 999999]),
        reverse("studio:unit_edit", args=[draft.pk, stray.pk]),  # a grain of another course
        reverse("studio:unit_new", args=[draft.pk, "podcast"]),
        reverse("studio:unit_delete", args=[draft.pk, stray.pk]),
        f"/studio/{draft.pk}/grains/{'9' * 30}/",
        reverse("studio:preview") + "?field=password",
    ]:
        method = author_client.post if "preview" in url else author_client.get
        assert method(url).status_code == 404, url
    move = reverse("studio:unit_move", args=[draft.pk, stray.pk])
    assert author_client.post(move, {"direction": "up"}).status_code == 404
    assert draft.units.get(pk=fiche.pk).position == fiche.position
    assert Unit.objects.filter(pk=stray.pk).exists()


def test_the_studio_link_is_shown_to_authors_only(client, studio_author, staff_not_author):
    link = f'href="{reverse("studio:home")}"'
    client.force_login(studio_author)
    assert link in client.get(reverse("courses:catalogue")).content.decode()
    client.force_login(staff_not_author)
    assert link not in client.get(reverse("courses:catalogue")).content.decode()
