"""Votes arriving together decide once; proposals arriving together make
one. Real connections from several threads, released together: on
PostgreSQL the proposal's row lock orders the votes; on SQLite the write
lock taken at BEGIN does (settings: transaction_mode IMMEDIATE)."""

import pytest

from badges.models import BadgeClass
from courses.models import Course, CourseVersion, Proposal, Vote
from courses.services import AlreadyPending, ProposalClosed, proposal_submit, vote_cast
from tests.concurrency import race
from tests.factories import make_course, make_unit, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 6


def _draft_by(author) -> Course:
    course = make_course(status=Course.Status.DRAFT)
    course.authors.add(author)
    make_unit(course)
    return course


def test_members_validating_at_once_publish_the_course_once(author):
    proposal = proposal_submit(author=author, course=_draft_by(author))
    turn = iter([make_user(is_committee_member=True) for _ in range(WORKERS)])

    def vote():
        return vote_cast(member=next(turn), proposal=proposal, choice=Vote.Choice.VALIDATE)

    votes, errors = race(vote, WORKERS)

    # Quorum 2: the second vote decides; every later one finds it decided.
    assert len(votes) == 2
    assert len(errors) == WORKERS - 2 and all(isinstance(e, ProposalClosed) for e in errors)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    version = CourseVersion.objects.get(course=proposal.course)
    assert version.number == 1 and version.validated_by.count() == 2
    assert BadgeClass.objects.filter(course=proposal.course).count() == 1


def test_authors_proposing_at_once_make_one_proposal(author):
    course = _draft_by(author)
    co_authors = [make_user() for _ in range(WORKERS - 1)]
    course.authors.add(*co_authors)
    turn = iter([author, *co_authors])

    def submit():
        return proposal_submit(author=next(turn), course=course)

    proposals, errors = race(submit, WORKERS)

    assert len(proposals) == 1
    assert len(errors) == WORKERS - 1 and all(isinstance(e, AlreadyPending) for e in errors)
    assert Proposal.objects.filter(course=course).count() == 1
