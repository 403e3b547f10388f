"""The commons' governance (issue #15): an author proposes a course, frozen;
the pedagogical committee votes; the majority decides once the quorum is
reached; publication goes through one service, which records the version
and announces it on commit. Written from the rule (courses.committee) at
its edges."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction

from badges.models import BadgeClass
from courses.committee import decision
from courses.models import Course, CourseVersion, Proposal, Vote
from courses.services import (
    AlreadyPending,
    AlreadyVoted,
    GovernanceError,
    NotACommitteeMember,
    NotAnAuthor,
    OwnProposal,
    ProposalClosed,
    ProposalOutdated,
    course_publish,
    proposal_submit,
    vote_cast,
)
from courses.signals import course_published
from tests.constraints import assert_unique_violated
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user

pytestmark = pytest.mark.django_db

VALIDATE, CHANGES, REFUSE = Vote.Choice.VALIDATE, Vote.Choice.REQUEST_CHANGES, Vote.Choice.REFUSE


@pytest.fixture
def members(db):
    """Three members of the pedagogical committee, none an author."""
    return [make_user(username=f"membre{n}", is_committee_member=True) for n in (1, 2, 3)]


@pytest.fixture
def draft(author):
    """A draft by ``author``: a fiche and a quiz with one question."""
    course = make_course(title="Sécuriser ses comptes", status=Course.Status.DRAFT)
    course.authors.add(author)
    make_unit(course, slug="fiche", body="Un mot de passe **long**.")
    make_question(make_quiz(course), prompt="Quelle longueur ?")
    return course


@pytest.fixture
def proposal(author, draft):
    return proposal_submit(author=author, course=draft)


@pytest.fixture
def published_signals():
    """What ``course_published`` carried, in order."""
    sent = []

    def listen(sender, course, version, **kwargs):
        sent.append((course.pk, version.number))

    course_published.connect(listen, dispatch_uid="tests.governance.listen")
    yield sent
    course_published.disconnect(dispatch_uid="tests.governance.listen")


def _vote(member, proposal, choice, comment=""):
    if choice != VALIDATE and not comment:
        comment = "Une raison."
    return vote_cast(member=member, proposal=proposal, choice=choice, comment=comment)


def _state(proposal):
    proposal.refresh_from_db()
    proposal.course.refresh_from_db()
    return proposal.status, proposal.course.status


# The rule, as a pure function, at its edges


@pytest.mark.parametrize(
    ("choices", "quorum", "majority", "decided"),
    [
        ([], 1, "simple", None),
        ([VALIDATE], 2, "simple", None),  # one below the quorum
        ([VALIDATE], 1, "simple", VALIDATE),  # a committee of one
        ([VALIDATE, VALIDATE], 2, "simple", VALIDATE),  # at the quorum
        ([VALIDATE, REFUSE], 2, "simple", None),  # a tie waits
        ([VALIDATE, REFUSE, VALIDATE], 2, "simple", VALIDATE),  # 2 of 3
        ([REFUSE, VALIDATE, REFUSE], 2, "simple", REFUSE),
        ([CHANGES, CHANGES, VALIDATE], 2, "simple", CHANGES),
        ([VALIDATE, CHANGES, REFUSE], 2, "simple", None),  # no majority
        ([VALIDATE, VALIDATE, REFUSE, REFUSE], 2, "simple", None),  # half is not a majority
        ([VALIDATE, VALIDATE], 3, "simple", None),  # a majority below the quorum waits
        ([VALIDATE, VALIDATE, REFUSE], 3, "two_thirds", VALIDATE),  # exactly two thirds
        ([VALIDATE, VALIDATE, REFUSE, REFUSE, VALIDATE], 2, "two_thirds", None),  # 3 of 5
        ([VALIDATE, VALIDATE, REFUSE, VALIDATE], 2, "two_thirds", VALIDATE),  # 3 of 4
    ],
)
def test_the_committee_decides_by_majority_of_votes_cast_once_the_quorum_is_reached(
    choices, quorum, majority, decided
):
    assert decision(choices, quorum=quorum, majority=majority) == decided


@pytest.mark.parametrize(
    "rule", [{"quorum": 0}, {"quorum": "2"}, {"quorum": True}, {"majority": "unanimity"}]
)
def test_a_rule_the_platform_cannot_apply_is_refused_at_start(settings, rule):
    from courses.checks import check_committee_rule

    settings.COMMITTEE = {"quorum": 2, "majority": "simple", **rule}
    (error,) = check_committee_rule(None)
    assert error.id == "courses.E001"
    with pytest.raises(ImproperlyConfigured):
        vote_cast(member=None, proposal=None, choice=VALIDATE)


# Proposing


def test_an_author_proposes_a_draft_which_goes_to_review(author, draft):
    proposal = proposal_submit(author=author, course=draft)
    assert (proposal.status, proposal.author, proposal.is_revision) == (
        Proposal.Status.PENDING,
        author,
        False,
    )
    draft.refresh_from_db()
    assert draft.status == Course.Status.IN_REVIEW
    assert draft.published_at is None and not draft.versions.exists()


def test_someone_who_is_not_an_author_of_the_course_cannot_propose_it(draft, members):
    other_author = make_user()
    make_course(status=Course.Status.DRAFT).authors.add(other_author)
    for person in (other_author, members[0]):
        with pytest.raises(NotAnAuthor):
            proposal_submit(author=person, course=draft)
    assert not Proposal.objects.exists()
    draft.refresh_from_db()
    assert draft.status == Course.Status.DRAFT


def test_a_course_waiting_for_the_committee_cannot_be_proposed_twice(author, draft, proposal):
    co_author = make_user()
    draft.authors.add(co_author)
    for person in (author, co_author):
        with pytest.raises(AlreadyPending):
            proposal_submit(author=person, course=draft)
    assert Proposal.objects.count() == 1


def test_the_database_holds_one_pending_proposal_per_course(draft, proposal):
    second = Proposal(course=draft, snapshot={})
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert "Ce parcours attend déjà le comité." in str(excinfo.value)
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        second.save()
    assert_unique_violated(
        excinfo, name="courses_proposal_one_pending", columns=["courses_proposal.course_id"]
    )
    # A decided proposal does not count: a course is proposed again after one.
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.REFUSED, decided_at=proposal.created_at
    )
    second.save()


def test_the_snapshot_does_not_change_when_the_draft_does(author, draft):
    proposal = proposal_submit(author=author, course=draft)
    frozen = Proposal.objects.get(pk=proposal.pk).snapshot
    assert frozen["course"]["title"] == "Sécuriser ses comptes"
    fiche, quiz_unit = frozen["units"]
    assert fiche["body"] == "Un mot de passe **long**."
    (question,) = quiz_unit["quiz"]["questions"]
    assert question["prompt"] == "Quelle longueur ?"
    assert [(c["text"], c["is_correct"]) for c in question["choices"]] == [
        ("Right", True),
        ("Wrong", False),
    ]

    # Later edits, as the admin would save them (or a studio).
    Course.objects.filter(pk=draft.pk).update(title="Autre titre")
    unit = draft.units.get(slug="fiche")
    unit.body = "Tout autre chose."
    unit.save()
    stored = draft.units.get(kind="quiz").quiz.questions.get()
    stored.prompt = "Changé ?"
    stored.save()
    stored.choices.update(text="Changé")
    make_unit(draft, slug="ajout")

    assert Proposal.objects.get(pk=proposal.pk).snapshot == frozen


def test_a_revision_of_a_published_course_needs_a_note_and_leaves_it_published(author):
    course = make_course()
    course.authors.add(author)
    make_unit(course)
    for note in ("", "   "):
        with pytest.raises(GovernanceError) as excinfo:
            proposal_submit(author=author, course=course, note=note)
        assert excinfo.value.message == "Dites ce qui a changé dans cette révision."
    proposal = proposal_submit(author=author, course=course, note="Une vidéo en plus.")
    assert proposal.is_revision and proposal.note == "Une vidéo en plus."
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED


def test_the_database_refuses_a_revision_without_a_note():
    course = make_course()
    revision = Proposal(course=course, is_revision=True, note="", snapshot={})
    with pytest.raises(ValidationError) as excinfo:
        revision.full_clean()
    assert "Dites ce qui a changé dans cette révision." in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        revision.save()
    Proposal.objects.create(course=course, is_revision=True, note="Corrigé.", snapshot={})


def test_a_note_with_control_characters_is_refused(author):
    course = make_course()
    course.authors.add(author)
    with pytest.raises(GovernanceError):
        proposal_submit(author=author, course=course, note="Corrigé\x00.")
    assert not Proposal.objects.exists()


# Voting


def test_one_validation_with_a_quorum_of_two_waits(proposal, members):
    _vote(members[0], proposal, VALIDATE)
    assert _state(proposal) == (Proposal.Status.PENDING, Course.Status.IN_REVIEW)
    assert proposal.decided_at is None and not CourseVersion.objects.exists()


def test_two_validations_publish(
    proposal, members, published_signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _vote(members[0], proposal, VALIDATE)
        _vote(members[1], proposal, VALIDATE)
    assert _state(proposal) == (Proposal.Status.ACCEPTED, Course.Status.PUBLISHED)
    assert proposal.decided_at is not None
    assert published_signals == [(proposal.course.pk, 1)]


def test_a_validation_and_a_refusal_are_a_tie_that_waits_then_two_of_three_publish(
    proposal, members
):
    _vote(members[0], proposal, VALIDATE)
    _vote(members[1], proposal, REFUSE, "Trop court.")
    assert _state(proposal) == (Proposal.Status.PENDING, Course.Status.IN_REVIEW)
    _vote(members[2], proposal, VALIDATE)
    assert _state(proposal) == (Proposal.Status.ACCEPTED, Course.Status.PUBLISHED)
    version = proposal.course.versions.get()
    assert set(version.validated_by.all()) == {members[0], members[2]}


def test_a_majority_asking_for_changes_sends_the_draft_back_with_the_comments_kept(
    proposal, members
):
    _vote(members[0], proposal, CHANGES, "Ajoutez un exemple.")
    _vote(members[1], proposal, CHANGES, "Le quiz est trop facile.")
    assert _state(proposal) == (Proposal.Status.CHANGES_REQUESTED, Course.Status.DRAFT)
    assert list(proposal.votes.values_list("comment", flat=True)) == [
        "Ajoutez un exemple.",
        "Le quiz est trop facile.",
    ]
    assert proposal.course.published_at is None and not CourseVersion.objects.exists()


def test_a_majority_refusing_refuses_and_the_course_is_a_draft_again(author, proposal, members):
    _vote(members[0], proposal, REFUSE, "Hors sujet.")
    _vote(members[1], proposal, REFUSE, "Hors sujet aussi.")
    assert _state(proposal) == (Proposal.Status.REFUSED, Course.Status.DRAFT)
    assert not BadgeClass.objects.filter(course=proposal.course).exists()
    # The author may work on it and propose it again.
    again = proposal_submit(author=author, course=proposal.course)
    assert again.is_pending


def test_a_vote_after_the_decision_is_refused_and_changes_nothing(proposal, members):
    _vote(members[0], proposal, VALIDATE)
    _vote(members[1], proposal, VALIDATE)
    with pytest.raises(ProposalClosed):
        _vote(members[2], proposal, REFUSE, "Trop tard.")
    assert proposal.votes.count() == 2
    assert _state(proposal) == (Proposal.Status.ACCEPTED, Course.Status.PUBLISHED)
    assert CourseVersion.objects.count() == 1


def test_a_member_never_votes_on_a_course_they_author(author, draft, proposal, members):
    author.is_committee_member = True
    author.save()
    co_author = members[0]
    draft.authors.add(co_author)
    for person in (author, co_author):
        with pytest.raises(OwnProposal):
            _vote(person, proposal, VALIDATE)
    assert not proposal.votes.exists()


def test_only_committee_members_vote(proposal, learner):
    staff = make_user(is_staff=True, is_superuser=True)
    for person in (learner, staff):
        with pytest.raises(NotACommitteeMember):
            _vote(person, proposal, VALIDATE)
    assert not proposal.votes.exists()


def test_a_member_votes_once(proposal, members, settings):
    settings.COMMITTEE = {"quorum": 3, "majority": "simple"}
    _vote(members[0], proposal, CHANGES, "Un exemple.")
    with pytest.raises(AlreadyVoted):
        _vote(members[0], proposal, VALIDATE)
    assert list(proposal.votes.values_list("choice", flat=True)) == [CHANGES]


def test_the_database_holds_one_vote_per_member_and_proposal(proposal, members):
    _vote(members[0], proposal, VALIDATE)
    again = Vote(proposal=proposal, member=members[0], choice=VALIDATE)
    with pytest.raises(ValidationError) as excinfo:
        again.full_clean()
    assert excinfo.value.messages == ["Vous avez déjà voté sur cette proposition."]
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        again.save()
    assert_unique_violated(
        excinfo,
        name="courses_vote_one_per_member",
        columns=["courses_vote.proposal_id", "courses_vote.member_id"],
    )


@pytest.mark.parametrize("choice", [CHANGES, REFUSE])
def test_asking_for_changes_or_refusing_needs_a_comment(proposal, members, choice):
    for comment in ("", "  \n "):
        with pytest.raises(GovernanceError) as excinfo:
            vote_cast(member=members[0], proposal=proposal, choice=choice, comment=comment)
        assert excinfo.value.message.startswith("Dites quels changements")
    unsaved = Vote(proposal=proposal, member=members[0], choice=choice, comment="")
    with pytest.raises(ValidationError):
        unsaved.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        unsaved.save()
    assert not proposal.votes.exists()


def test_an_unknown_choice_is_refused(proposal, members):
    with pytest.raises(GovernanceError):
        vote_cast(member=members[0], proposal=proposal, choice="abstain", comment="Bof.")
    assert not proposal.votes.exists()


def test_a_committee_of_one_decides_with_a_quorum_of_one(proposal, members, settings):
    settings.COMMITTEE = {"quorum": 1, "majority": "simple"}
    _vote(members[0], proposal, VALIDATE)
    assert _state(proposal) == (Proposal.Status.ACCEPTED, Course.Status.PUBLISHED)


# Publishing


def test_publication_records_the_version_and_who_validated_and_announces_it_once_on_commit(
    proposal, members, published_signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        _vote(members[0], proposal, VALIDATE)
        _vote(members[1], proposal, VALIDATE)
    assert published_signals == []  # nothing before the commit
    for callback in callbacks:
        callback()
    course = Course.objects.get(pk=proposal.course.pk)
    version = course.versions.get()
    assert published_signals == [(course.pk, 1)]
    assert course.status == Course.Status.PUBLISHED
    assert course.published_at == version.validated_at
    assert (version.number, version.proposal) == (1, proposal)
    assert set(version.validated_by.all()) == {members[0], members[1]}


def test_a_revision_accepted_is_version_two_and_keeps_the_first_publication_date(
    author, proposal, members, django_capture_on_commit_callbacks
):
    _vote(members[0], proposal, VALIDATE)
    _vote(members[1], proposal, VALIDATE)
    course = Course.objects.get(pk=proposal.course.pk)
    first_published = course.published_at
    revision = proposal_submit(author=author, course=course, note="Un exemple de plus.")
    _vote(members[1], revision, VALIDATE)
    _vote(members[2], revision, REFUSE, "Inutile.")
    _vote(members[0], revision, VALIDATE)
    course.refresh_from_db()
    assert course.published_at == first_published
    latest = course.versions.order_by("-number").first()
    assert (latest.number, latest.note, latest.proposal) == (2, "Un exemple de plus.", revision)
    assert set(latest.validated_by.all()) == {members[0], members[1]}


def test_a_revision_refused_leaves_the_course_published(author, members):
    course = make_course()
    course.authors.add(author)
    revision = proposal_submit(author=author, course=course, note="Tout refait.")
    _vote(members[0], revision, REFUSE, "Non.")
    _vote(members[1], revision, REFUSE, "Non plus.")
    assert _state(revision) == (Proposal.Status.REFUSED, Course.Status.PUBLISHED)


def test_a_course_changed_after_its_proposal_is_not_published_as_validated(proposal, members):
    unit = proposal.course.units.get(slug="fiche")
    unit.body = "Changé après la proposition."
    unit.save()
    _vote(members[0], proposal, VALIDATE)
    with pytest.raises(ProposalOutdated):
        _vote(members[1], proposal, VALIDATE)
    # The deciding vote is not kept; asking for changes still works.
    assert proposal.votes.count() == 1
    assert _state(proposal) == (Proposal.Status.PENDING, Course.Status.IN_REVIEW)
    _vote(members[1], proposal, CHANGES, "Reproposez la version à jour.")
    _vote(members[2], proposal, CHANGES, "Idem.")
    assert _state(proposal) == (Proposal.Status.CHANGES_REQUESTED, Course.Status.DRAFT)


def test_only_an_accepted_proposal_is_published(proposal):
    with pytest.raises(GovernanceError):
        course_publish(course=proposal.course, proposal=proposal)
    assert _state(proposal) == (Proposal.Status.PENDING, Course.Status.IN_REVIEW)


def test_the_badge_class_comes_with_publication_not_with_saving_a_draft(
    proposal, members, django_capture_on_commit_callbacks
):
    course = proposal.course
    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Sécuriser ses comptes en ligne"
        course.save()
        _vote(members[0], proposal, CHANGES, "Le titre a changé.")
        _vote(members[1], proposal, CHANGES, "Idem.")
    assert not BadgeClass.objects.filter(course=course).exists()
    again = proposal_submit(author=course.authors.get(), course=course)
    with django_capture_on_commit_callbacks(execute=True):
        _vote(members[0], again, VALIDATE)
        _vote(members[1], again, VALIDATE)
    badge = BadgeClass.objects.get(course=course)
    assert badge.name == "Sécuriser ses comptes en ligne (Débutant)"
