"""The committee's pages fetch in a fixed number of queries: the queue at 2
and 20 proposals, the proposal's page at 2 and 20 grains (with comments)."""

import pytest
from django.urls import reverse

from courses.models import Course, Vote
from courses.services import proposal_submit, review_comment_add, vote_cast
from tests.factories import make_course, make_unit, make_user

# Query counts include the session's read: from the database on every
# database, Redis or not (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sessions_in_the_database")]


def _proposals(count, author, voter):
    for n in range(count):
        course = make_course(title=f"Cours {n}", status=Course.Status.DRAFT)
        course.authors.add(author)
        make_unit(course)
        proposal = proposal_submit(author=author, course=course)
        vote_cast(member=voter, proposal=proposal, choice=Vote.Choice.VALIDATE)


# Session, user, committee members, proposals, their votes, their courses'
# authors, the recent decisions.
QUEUE_QUERIES = 7
# Session, user, the proposal (course, proposer), the course's authors,
# committee members, votes, what it is compared with, comments.
PROPOSAL_QUERIES = 8


def test_the_queue_costs_the_same_at_2_and_20_proposals(client, members, django_assert_num_queries):
    author = make_user(is_author=True)
    client.force_login(members[0])
    url = reverse("committee:queue")
    for count in (2, 18):  # 2, then 20 proposals
        _proposals(count, author, members[1])
        with django_assert_num_queries(QUEUE_QUERIES):
            response = client.get(url)
        assert response.content.decode().count('class="card"') == (2 if count == 2 else 20)


def _course_with_grains(count, author):
    course = make_course(title=f"Cours de {count} grains", status=Course.Status.DRAFT)
    course.authors.add(author)
    for n in range(count):
        make_unit(course, slug=f"grain-{n}", body=f"Texte **{n}**.")
    return course


def test_the_proposal_page_costs_the_same_at_2_and_20_grains(
    client, members, django_assert_num_queries
):
    author = make_user(is_author=True)
    for grains in (2, 20):
        proposal = proposal_submit(author=author, course=_course_with_grains(grains, author))
        for n in range(grains):
            first = review_comment_add(
                author=members[1], proposal=proposal, body=f"Sur {n}.", unit_slug=f"grain-{n}"
            )
            review_comment_add(author=author, proposal=proposal, body="Vu.", parent=first)
        client.force_login(members[0])
        url = reverse("committee:proposal", args=[proposal.pk])
        with django_assert_num_queries(PROPOSAL_QUERIES):
            response = client.get(url)
        assert response.content.decode().count('class="comment"') == 2 * grains
