"""Badges: the one-award-per-learner-and-badge constraint both ways
(``full_clean()`` raises ``ValidationError``, ``objects.create()`` raises
``IntegrityError``), and the awards it still allows.

A unique constraint on fields reports, in Python, Django's "already exists"
message rather than its name: the error's ``unique_check`` names the fields.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from badges.models import Assertion, BadgeClass
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def _badge_class() -> BadgeClass:
    """A published course gets its badge class when it is saved."""
    return BadgeClass.objects.get(course=make_course())


def _assertion(badge_class: BadgeClass, learner) -> Assertion:
    """An unsaved, otherwise valid award."""
    return Assertion(
        badge_class=badge_class,
        learner=learner,
        issued_on=timezone.now(),
        salt="a-salt",
        evidence="https://example.org/evidence",
    )


# badges_assertion_unique


def test_full_clean_refuses_a_second_award_of_a_badge_to_a_learner(learner):
    badge_class = _badge_class()
    _assertion(badge_class, learner).save()

    with pytest.raises(ValidationError) as excinfo:
        _assertion(badge_class, learner).full_clean()

    (error,) = excinfo.value.error_dict["__all__"]
    assert error.code == "unique_together"
    assert error.params["unique_check"] == ("badge_class", "learner")


def test_database_refuses_a_second_award_of_a_badge_to_a_learner(learner):
    badge_class = _badge_class()
    _assertion(badge_class, learner).save()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        _assertion(badge_class, learner).save()

    message = str(excinfo.value)
    if connection.vendor == "sqlite":
        assert (
            "UNIQUE constraint failed: badges_assertion.badge_class_id, badges_assertion.learner_id"
            in message
        )
    else:
        assert "badges_assertion_unique" in message


def test_learner_may_earn_two_badges(learner):
    _assertion(_badge_class(), learner).save()
    assertion = _assertion(_badge_class(), learner)

    assertion.full_clean()
    assertion.save()


def test_two_learners_may_earn_one_badge(learner, other_learner):
    badge_class = _badge_class()
    _assertion(badge_class, other_learner).save()
    assertion = _assertion(badge_class, learner)

    assertion.full_clean()
    assertion.save()


def test_awards_of_two_deleted_accounts_are_both_kept():
    # Deleting an account keeps its awards with no learner (SET_NULL):
    # NULLs are distinct, so two such awards of one badge coexist.
    badge_class = _badge_class()
    _assertion(badge_class, None).save()
    assertion = _assertion(badge_class, None)

    assertion.full_clean()
    assertion.save()
