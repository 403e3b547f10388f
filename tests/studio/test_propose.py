"""Proposing a course from the studio: a confirmation page saying what
happens, then courses.services.proposal_submit; a course without grains is
refused; once proposed the course is "in review" and every edit page
answers a 403 page that explains why, changing nothing. And the whole
path: create, add grains, reorder, propose."""

import pytest
from django.urls import reverse

from courses.models import Course, Proposal, Vote
from courses.services import proposal_submit, vote_cast
from tests.factories import make_user
from tests.studio.conftest import positions

pytestmark = pytest.mark.django_db


def test_the_confirmation_page_says_what_happens(author_client, draft):
    page = author_client.get(reverse("studio:course_propose", args=[draft.pk])).content.decode()
    assert "figé tel qu’il est maintenant" in page
    assert "comité pédagogique" in page and "e-mail" in page
    assert draft.proposals.count() == 0


def test_proposing_freezes_the_course_for_the_committee(author_client, draft, studio_author):
    response = author_client.post(reverse("studio:course_propose", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    proposal = draft.proposals.get()
    assert draft.status == Course.Status.IN_REVIEW
    assert proposal.author == studio_author and proposal.status == Proposal.Status.PENDING
    assert [u["slug"] for u in proposal.snapshot["units"]] == [s for s, _p in positions(draft)]
    page = author_client.get(response.url).content.decode()
    assert "En relecture" in page and "Monter" not in page
    # The committee's page, where she reads and answers the comments.
    assert reverse("committee:proposal", args=[proposal.pk]) in page


def test_a_course_without_grains_cannot_be_proposed(author_client, draft):
    draft.units.all().delete()
    response = author_client.post(reverse("studio:course_propose", args=[draft.pk]), follow=True)
    page = response.content.decode()
    assert "Ajoutez au moins un grain" in page
    draft.refresh_from_db()
    assert draft.status == Course.Status.DRAFT and not draft.proposals.exists()


def _edits(course):
    fiche = course.units.get(slug="fiche")
    return [
        ("get", reverse("studio:course_edit", args=[course.pk]), {}),
        ("post", reverse("studio:course_edit", args=[course.pk]), {"title": "Changé"}),
        ("get", reverse("studio:unit_new", args=[course.pk, "fiche"]), {}),
        ("post", reverse("studio:unit_new", args=[course.pk, "fiche"]), {"title": "N"}),
        ("get", reverse("studio:unit_edit", args=[course.pk, fiche.pk]), {}),
        (
            "post",
            reverse("studio:unit_edit", args=[course.pk, fiche.pk]),
            {"title": "Changé", "minutes": "9", "body": "Changé"},
        ),
        ("post", reverse("studio:unit_move", args=[course.pk, fiche.pk]), {"direction": "down"}),
        ("post", reverse("studio:unit_required", args=[course.pk, fiche.pk]), {}),
        ("get", reverse("studio:unit_delete", args=[course.pk, fiche.pk]), {}),
        ("post", reverse("studio:unit_delete", args=[course.pk, fiche.pk]), {}),
        ("get", reverse("studio:course_propose", args=[course.pk]), {}),
        ("post", reverse("studio:course_propose", args=[course.pk]), {}),
    ]


def _state(course):
    course.refresh_from_db()
    return (
        course.title,
        course.status,
        list(
            course.units.order_by("position").values_list("slug", "title", "position", "required")
        ),
        course.proposals.count(),
    )


def test_a_course_in_review_refuses_every_edit_with_an_explanation(
    author_client, draft, studio_author
):
    proposal_submit(author=studio_author, course=draft)
    before = _state(draft)
    for method, url, data in _edits(draft):
        response = getattr(author_client, method)(url, data)
        page = response.content.decode()
        assert response.status_code == 403, (method, url)
        assert "Ce parcours ne peut pas être modifié maintenant" in page, url
        assert "figé" in page
    assert _state(draft) == before
    # It can still be read in the studio.
    assert author_client.get(reverse("studio:course", args=[draft.pk])).status_code == 200


def test_a_published_course_refuses_edits_too(author_client, draft):
    Course.objects.filter(pk=draft.pk).update(status=Course.Status.PUBLISHED)
    before = _state(draft)
    for method, url, data in _edits(draft):
        response = getattr(author_client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert "Ce parcours est publié" in response.content.decode()
    assert _state(draft) == before


def test_a_course_sent_back_is_editable_again_with_the_comments(
    author_client, draft, studio_author
):
    members = [make_user(username=f"m{n}", is_committee_member=True) for n in (1, 2)]
    proposal = proposal_submit(author=studio_author, course=draft)
    for member in members:
        vote_cast(
            member=member,
            proposal=proposal,
            choice=Vote.Choice.REQUEST_CHANGES,
            comment=f"Ajoutez un exemple ({member.username}).",
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.CHANGES_REQUESTED
    page = author_client.get(reverse("studio:course", args=[draft.pk])).content.decode()
    assert "Modifications demandées" in page
    assert "Ajoutez un exemple (m1)." in page and "Ajoutez un exemple (m2)." in page
    assert reverse("committee:proposal", args=[proposal.pk]) in page
    assert author_client.get(reverse("studio:course_edit", args=[draft.pk])).status_code == 200


def test_create_add_grains_reorder_and_propose(author_client, studio_author):
    response = author_client.post(
        reverse("studio:course_new"),
        {
            "title": "Faire une visio",
            "summary": "Rejoindre une réunion en ligne.",
            "level": "beginner",
            "licence": "CC-BY-SA-4.0",
            "language": "fr",
        },
    )
    course = Course.objects.get(title="Faire une visio")
    assert response.url == reverse("studio:course", args=[course.pk])
    author_client.post(
        reverse("studio:unit_new", args=[course.pk, "fiche"]),
        {"title": "Avant la réunion", "minutes": "5", "required": "on", "body": "Un casque."},
    )
    author_client.post(
        reverse("studio:unit_new", args=[course.pk, "video"]),
        {
            "title": "Rejoindre",
            "minutes": "3",
            "required": "on",
            "video_url": "https://youtu.be/dQw4w9WgXcQ",
            "transcript": "On clique sur le lien.",
        },
    )
    author_client.post(
        reverse("studio:unit_new", args=[course.pk, "quiz"]),
        {"title": "Testez-vous", "minutes": "4"},
    )
    assert [s for s, _p in positions(course)] == ["avant-la-reunion", "rejoindre", "testez-vous"]
    video = course.units.get(slug="rejoindre")
    author_client.post(reverse("studio:unit_move", args=[course.pk, video.pk]), {"direction": "up"})
    assert positions(course) == [("rejoindre", 1), ("avant-la-reunion", 2), ("testez-vous", 3)]
    page = author_client.get(reverse("studio:course_propose", args=[course.pk]))
    assert page.status_code == 200
    author_client.post(reverse("studio:course_propose", args=[course.pk]))
    course.refresh_from_db()
    assert course.status == Course.Status.IN_REVIEW
    snapshot = course.proposals.get().snapshot
    assert [u["slug"] for u in snapshot["units"]] == [
        "rejoindre",
        "avant-la-reunion",
        "testez-vous",
    ]
    assert snapshot["units"][2]["required"] is False  # the quiz was added as optional
    home = author_client.get(reverse("studio:home")).content.decode()
    assert "Faire une visio" in home and "proposé le" in home
