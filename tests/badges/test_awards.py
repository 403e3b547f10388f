"""Eligibility and awards: a completed course with every required quiz
passed earns exactly one badge; nothing else does."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from badges.models import Assertion, BadgeClass
from badges.selectors import badge_criteria, eligibility
from badges.services import award_all, award_if_eligible, badge_class_ensure, hash_email
from courses.models import Course
from courses.services import course_publish
from progress.models import Enrolment
from progress.services import unit_complete
from tests.badges.helpers import finish_fiche_and_video, take_quiz
from tests.factories import make_course, make_learner, make_quiz, make_unit

pytestmark = pytest.mark.django_db


def test_publishing_a_course_creates_its_badge_class_with_generated_criteria(
    course, quiz, django_capture_on_commit_callbacks
):
    badge = BadgeClass.objects.get(course=course)
    assert badge.name == "Sécuriser ses comptes (Débutant)"
    assert badge.criteria == ""  # generated, so it follows the course
    criteria = badge_criteria(badge_class=badge)
    assert "Le quiz" in criteria and "au moins 70 %" in criteria
    badge.criteria = "Écrit à la main."
    # The editor's text, then the course's credit line (courses.attribution).
    criteria = badge_criteria(badge_class=badge)
    assert criteria.startswith("Écrit à la main.\n\n") and "Sécuriser ses comptes" in criteria
    draft = make_course(status=Course.Status.DRAFT)
    assert not BadgeClass.objects.filter(course=draft).exists()
    # Saving a course as published is no publication: the service is.
    draft.status = Course.Status.PUBLISHED
    draft.save()
    assert not BadgeClass.objects.filter(course=draft).exists()
    with django_capture_on_commit_callbacks(execute=True):
        course_publish(course=draft)
    assert BadgeClass.objects.filter(course=draft).count() == 1
    assert badge_class_ensure(draft) == BadgeClass.objects.get(course=draft)


def test_failed_then_passed_quiz_awards_exactly_one_badge(
    camille, course, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish_fiche_and_video(camille, course)
        take_quiz(camille, quiz, passing=False)
    assert not Assertion.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(camille, quiz, passing=True)
    award = Assertion.objects.get()
    assert award.learner == camille and award.badge_class.course == course
    assert award.recipient_identity == hash_email("camille.martin@example.org", award.salt)
    assert "100 %" in award.evidence and "70 %" in award.evidence
    # Passing again, or the command, changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        take_quiz(camille, quiz, passing=True)
    assert award_all() == 0
    assert Assertion.objects.count() == 1


def test_hash_is_sha256_of_the_normalised_email_and_the_salt():
    expected = hashlib.sha256(b"camille@example.org" + b"abc").hexdigest()
    assert hash_email("  Camille@Example.ORG ", "abc") == "sha256$" + expected


def test_no_badge_for_an_incomplete_course(
    camille, course, quiz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=camille, unit=course.units.get(slug="fiche"))
        take_quiz(camille, quiz, passing=True)
    assert award_if_eligible(learner=camille, course=course) == (None, False)
    assert award_all() == 0
    assert not Assertion.objects.exists()
    state = eligibility(learner=camille, course=course)
    assert not state.eligible and not state.course_complete and state.quizzes_to_pass == []


def test_no_badge_when_the_quiz_is_under_its_pass_mark(camille, course, quiz):
    # Even if the enrolment says complete (a course edited after the fact),
    # a required quiz under its pass mark blocks the badge.
    finish_fiche_and_video(camille, course)
    take_quiz(camille, quiz, passing=False)
    Enrolment.objects.filter(learner=camille).update(completed_at="2026-01-01T10:00:00Z")
    assert award_if_eligible(learner=camille, course=course) == (None, False)
    assert award_all() == 0
    [(blocking_quiz, best)] = eligibility(learner=camille, course=course).quizzes_to_pass
    assert blocking_quiz == quiz and best == 0


def test_raising_the_pass_mark_above_the_best_score_blocks_new_awards(camille, course, quiz):
    finish_fiche_and_video(camille, course)
    attempt = take_quiz(camille, quiz, passing=True)
    assert attempt.score == 100
    other = make_learner(email="other@example.org")
    finish_fiche_and_video(other, course)
    take_quiz(other, quiz, passing=True)
    Assertion.objects.all().delete()
    quiz.pass_mark = 100
    quiz.save()
    assert award_all() == 2  # 100 % still reaches a pass mark of 100


def test_no_badge_for_an_unpublished_course(camille, course, quiz):
    finish_fiche_and_video(camille, course)
    take_quiz(camille, quiz, passing=True)
    Assertion.objects.all().delete()
    Course.objects.filter(pk=course.pk).update(status=Course.Status.ARCHIVED)
    course.refresh_from_db()
    assert award_if_eligible(learner=camille, course=course) == (None, False)


def test_optional_quiz_is_not_needed(camille, django_capture_on_commit_callbacks):
    course = make_course()
    fiche = make_unit(course)
    optional_quiz = make_quiz(course)
    optional_quiz.unit.required = False
    optional_quiz.unit.save()
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=camille, unit=fiche)
    assert Assertion.objects.filter(learner=camille, badge_class__course=course).count() == 1


def test_award_badges_command_awards_past_completions_once(camille, course, quiz):
    # Completions recorded before badges existed (no on-commit callbacks ran).
    finish_fiche_and_video(camille, course)
    take_quiz(camille, quiz, passing=True)
    assert not Assertion.objects.exists()
    out = StringIO()
    call_command("award_badges", stdout=out)
    assert "1 badge(s) awarded." in out.getvalue()
    out = StringIO()
    call_command("award_badges", stdout=out)
    assert "0 badge(s) awarded." in out.getvalue()
    assert Assertion.objects.count() == 1


def test_learner_without_email_earns_an_unclaimed_award(course, quiz):
    learner = make_learner(email="")
    finish_fiche_and_video(learner, course)
    take_quiz(learner, quiz, passing=True)
    award, created = award_if_eligible(learner=learner, course=course)
    assert created and not award.is_claimed and award.recipient_identity == ""
