"""Writes of badges at their edges (badges/services.py): award_all over
every completed enrolment, claiming, revoking. Another learner's award is
always present and must not change. The course (tests/badges/conftest.py):
fiche, video, quiz at 70 %."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from badges.models import Assertion, BadgeClass
from badges.services import (
    BadgeError,
    assertion_claim,
    assertion_revoke,
    award_all,
    award_if_eligible,
    badge_class_ensure,
)
from courses.models import Course
from progress.models import Enrolment
from progress.services import enrolment_ensure, unit_complete
from tests.badges.helpers import finish_fiche_and_video, take_quiz
from tests.factories import make_course, make_learner, make_question, make_quiz, make_unit

pytestmark = pytest.mark.django_db


def _complete(learner, course, quiz, *, passing: bool = True):
    finish_fiche_and_video(learner, course)
    take_quiz(learner, quiz, passing=passing)
    if not passing:
        unit_complete(learner=learner, unit=quiz.unit)


@pytest.fixture
def awarded(learner, other_learner, course, quiz, django_capture_on_commit_callbacks):
    """Both learners earned the course's badge."""
    with django_capture_on_commit_callbacks(execute=True):
        for person in (learner, other_learner):
            _complete(person, course, quiz)
    return Assertion.objects.get(learner=learner), Assertion.objects.get(learner=other_learner)


# award_all


def test_award_all_gives_every_published_course_its_badge_class():
    published, _draft = make_course(), make_course(status=Course.Status.DRAFT)
    BadgeClass.objects.all().delete()
    award_all()
    assert set(BadgeClass.objects.values_list("course", flat=True)) == {published.id}
    assert award_all() == 0 and BadgeClass.objects.count() == 1


def test_award_all_goes_on_past_learners_already_awarded(
    course, quiz, django_capture_on_commit_callbacks
):
    # Enrolments are read latest activity first: the awarded learner first.
    first, second = make_learner(), make_learner()
    with django_capture_on_commit_callbacks(execute=True):
        for person in (first, second):
            _complete(person, course, quiz)
    Assertion.objects.filter(learner=second).delete()
    Enrolment.objects.filter(learner=first).update(last_activity_at=timezone.now())
    Enrolment.objects.filter(learner=second).update(
        last_activity_at=timezone.now() - timedelta(days=1)
    )
    assert Assertion.objects.filter(learner=first).exists()
    assert award_all() == 1
    assert set(Assertion.objects.values_list("learner", flat=True)) == {first.id, second.id}


@pytest.mark.parametrize("others", [1, 3])
def test_award_all_skips_awards_made_and_reads_only_completed_published_enrolments(
    course, quiz, others, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Whatever the number of learners already awarded, of enrolments not
    complete and of completions of drafts: only the course without a badge
    class, the awards, the completed enrolments and the one learner to
    evaluate (not eligible: failed the quiz) are read."""
    for _ in range(others):
        awarded = make_learner()
        with django_capture_on_commit_callbacks(execute=True):
            _complete(awarded, course, quiz)
        enrolment_ensure(learner=make_learner(), course=course)  # not complete
        draft = make_course(status=Course.Status.DRAFT)
        Enrolment.objects.filter(pk=enrolment_ensure(learner=awarded, course=draft).pk).update(
            completed_at=course.created_at
        )
    assert Assertion.objects.count() == others
    _complete(make_learner(), course, quiz, passing=False)
    make_unit(make_course())  # published, without a badge class yet
    BadgeClass.objects.exclude(course=course).delete()
    with django_assert_num_queries(9):
        assert award_all() == 0


# Claiming


def test_claiming_keeps_the_accounts_own_email(awarded, learner):
    mine, _theirs = awarded
    learner.email = "awa@example.org"
    learner.save()
    mine.recipient_identity = ""
    mine.save()
    assertion_claim(assertion=mine, email="autre@example.org")
    learner.refresh_from_db()
    assert learner.email == "awa@example.org"


def test_claiming_twice_or_a_revoked_badge_says_why(awarded):
    mine, theirs = awarded
    mine.recipient_identity = ""
    mine.save()
    assertion_claim(assertion=mine, email="awa@example.org")
    with pytest.raises(BadgeError, match="Ce badge a déjà été obtenu"):
        assertion_claim(assertion=mine, email="awa@example.org")
    theirs.recipient_identity = ""
    theirs.save()
    assertion_revoke(assertion=theirs, reason="Fraude")
    with pytest.raises(BadgeError, match="Ce badge a été révoqué"):
        assertion_claim(assertion=theirs, email="awa@example.org")


# Revoking


def test_revoking_revokes_that_award_only(awarded):
    mine, theirs = awarded
    assert assertion_revoke(assertion=mine, reason="  Fraude  ") is True
    assert (mine.is_revoked, mine.revocation_reason) == (True, "Fraude")
    theirs.refresh_from_db()
    assert (theirs.is_revoked, theirs.revocation_reason) == (False, "")


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoking_without_a_reason_is_refused(awarded, reason):
    mine, _theirs = awarded
    with pytest.raises(BadgeError, match="Indiquez le motif de la révocation du badge"):
        assertion_revoke(assertion=mine, reason=reason)
    mine.refresh_from_db()
    assert not mine.is_revoked


def test_a_long_reason_is_kept_to_its_first_300_characters(awarded):
    mine, _theirs = awarded
    assertion_revoke(assertion=mine, reason="a" * 299 + "bc" + "d" * 99)
    mine.refresh_from_db()
    assert mine.revocation_reason == "a" * 299 + "b"


def test_award_if_eligible_after_a_revocation_returns_the_revoked_award(awarded, learner, course):
    # Revoked stays revoked: no second award for the same course.
    mine, _theirs = awarded
    assertion_revoke(assertion=mine, reason="Fraude")
    assert award_if_eligible(learner=learner, course=course) == (mine, False)
    assert Assertion.objects.filter(learner=learner).count() == 1


# Awarding


def test_an_award_in_another_course_is_no_award_in_this_one(
    learner, course, quiz, django_capture_on_commit_callbacks
):
    first = make_course()
    make_unit(first)
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=learner, unit=first.units.get())
    earlier = Assertion.objects.get(learner=learner)
    with django_capture_on_commit_callbacks(execute=False):  # award by hand below
        _complete(learner, course, quiz)
    award, created = award_if_eligible(learner=learner, course=course)
    assert created and award != earlier and award.badge_class.course == course


def test_awarding_again_reads_the_award_made_in_a_fixed_number_of_queries(
    awarded, learner, course, django_assert_num_queries
):
    mine, _theirs = awarded
    # Eligibility (two), the badge class, the award.
    with django_assert_num_queries(4):
        assert award_if_eligible(learner=learner, course=course) == (mine, False)


def test_two_awards_at_once_leave_one_and_return_it(
    learner, other_learner, course, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _complete(other_learner, course, quiz)  # their award, present
        elsewhere = make_course()
        make_unit(elsewhere)
        unit_complete(learner=learner, unit=elsewhere.units.get())  # the learner's, elsewhere
    assert Assertion.objects.filter(learner=learner).count() == 1
    with django_capture_on_commit_callbacks(execute=False):
        _complete(learner, course, quiz)
    badge_class = BadgeClass.objects.get(course=course)
    raced = {}

    def other_request_awards_right_after_the_lookup(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not raced and sql.startswith("SELECT") and '"badges_assertion"' in sql:
            raced["award"] = Assertion.objects.create(
                badge_class=badge_class, learner=learner, issued_on=course.created_at, salt="s"
            )
        return result

    with connection.execute_wrapper(other_request_awards_right_after_the_lookup):
        award, created = award_if_eligible(learner=learner, course=course)
    assert (award, created) == (raced["award"], False)
    assert Assertion.objects.filter(learner=learner, badge_class=badge_class).count() == 1


@pytest.mark.parametrize("quizzes", [1, 3])
def test_awarding_takes_a_fixed_number_of_queries_whatever_the_quizzes(
    learner, quizzes, django_assert_num_queries, django_capture_on_commit_callbacks
):
    course = make_course()
    for _ in range(quizzes):
        quiz = make_quiz(course, pass_mark=50)
        make_question(quiz)
        with django_capture_on_commit_callbacks(execute=False):
            take_quiz(learner, quiz, passing=True)
    badge_class_ensure(course)
    assert Enrolment.objects.get(learner=learner, course=course).completed_at is not None
    # Eligibility (two), the badge class, the award looked up, the evidence
    # (one), and the insert in its savepoint (three).
    with django_assert_num_queries(8):
        award, created = award_if_eligible(learner=learner, course=course)
    assert created and award.evidence.count("%") == 2 * quizzes


# Badge classes


def test_a_badge_class_is_made_once_per_course_and_read_in_one_query(
    course, django_assert_num_queries
):
    made = badge_class_ensure(course)
    other = badge_class_ensure(make_course())
    with django_assert_num_queries(1):
        assert badge_class_ensure(course) == made
    assert made != other and made.course == course


def test_a_badge_class_name_is_cut_to_200_characters():
    course = make_course(title="T" * 200)
    assert badge_class_ensure(course).name == "T" * 200


def test_two_badge_classes_at_once_leave_one_and_return_it():
    make_course()  # another course, with its badge class
    course = make_course()
    BadgeClass.objects.filter(course=course).delete()
    raced = {}

    def other_request_makes_it_right_after_the_lookup(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not raced and sql.startswith("SELECT") and '"badges_badgeclass"' in sql:
            raced["class"] = BadgeClass.objects.create(course=course, name="Autre", description="")
        return result

    with connection.execute_wrapper(other_request_makes_it_right_after_the_lookup):
        badge_class = badge_class_ensure(course)
    assert badge_class == raced["class"]
    assert BadgeClass.objects.filter(course=course).count() == 1
