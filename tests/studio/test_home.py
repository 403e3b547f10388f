""" "My studio": the author's courses by state (drafts, with the committee's
comments when it sent one back; in review with the date proposed;
published with their version number), in a fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, CourseVersion, Proposal, Vote
from tests.factories import make_course, make_unit, make_user

# Query counts include the session's read: from the database on every
# database, Redis or not (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sessions_in_the_database")]


def _sent_back(course, author, *comments, status=Proposal.Status.CHANGES_REQUESTED):
    proposal = Proposal.objects.create(
        course=course, author=author, status=status, decided_at=timezone.now()
    )
    for comment in comments:
        member = make_user(is_committee_member=True)
        Vote.objects.create(
            proposal=proposal, member=member, choice=Vote.Choice.REQUEST_CHANGES, comment=comment
        )
    return proposal


def _courses(author, n):
    """n courses of each state, all with a grain, a proposal and a vote."""
    for i in range(n):
        draft = make_course(title=f"Brouillon {i}", status=Course.Status.DRAFT)
        review = make_course(title=f"Relecture {i}", status=Course.Status.IN_REVIEW)
        published = make_course(title=f"Publié {i}")
        for course in (draft, review, published):
            course.authors.add(author)
            make_unit(course)
        _sent_back(draft, author, f"Commentaire {i}.")
        Proposal.objects.create(course=review, author=author)
        version_proposal = _sent_back(published, author, "Ok.", status=Proposal.Status.ACCEPTED)
        CourseVersion.objects.create(
            course=published, number=1, validated_at=timezone.now(), proposal=version_proposal
        )
        CourseVersion.objects.create(course=published, number=2, validated_at=timezone.now())


def test_the_courses_are_grouped_by_state(author_client, studio_author):
    _courses(studio_author, 1)
    page = author_client.get(reverse("studio:home")).content.decode()
    drafts, review, published = (
        page.index("Brouillons"),
        page.index("Relecture 0"),
        page.index("Publié 0"),
    )
    assert drafts < page.index("Brouillon 0") < review < published
    assert "Modifications demandées" in page and "Commentaire 0." in page
    assert "proposé le" in page
    assert "version 2" in page
    assert "Nouveau parcours" in page


def test_comments_of_an_older_proposal_are_not_shown(author_client, studio_author, draft):
    _sent_back(draft, studio_author, "Ancien commentaire.")
    Proposal.objects.create(course=draft, author=studio_author)  # proposed again, pending
    Course.objects.filter(pk=draft.pk).update(status=Course.Status.IN_REVIEW)
    page = author_client.get(reverse("studio:home")).content.decode()
    assert "Ancien commentaire." not in page


def test_only_the_authors_courses_are_listed(author_client, studio_author):
    make_course(title="Le cours d’un autre", status=Course.Status.DRAFT).authors.add(
        make_user(is_author=True)
    )
    page = author_client.get(reverse("studio:home")).content.decode()
    assert "Le cours d’un autre" not in page
    assert "Vous n’avez pas encore de parcours." in page


@pytest.mark.parametrize("size", [2, 20])
def test_the_list_takes_the_same_queries_whatever_the_courses(
    author_client, studio_author, size, django_assert_num_queries
):
    for i in range(size):
        status = [Course.Status.DRAFT, Course.Status.IN_REVIEW, Course.Status.PUBLISHED][i % 3]
        course = make_course(title=f"Parcours {i}", status=status)
        course.authors.add(studio_author)
        make_unit(course)
        _sent_back(course, studio_author, f"Commentaire {i}.")
        if status == Course.Status.PUBLISHED:
            CourseVersion.objects.create(course=course, number=1, validated_at=timezone.now())
    # session, user, courses (with totals and version), proposals, their votes
    with django_assert_num_queries(5):
        response = author_client.get(reverse("studio:home"))
    assert response.content.decode().count('class="card"') == size
