"""Cohort memberships and API tokens: every named constraint both ways
(``full_clean()`` raises ``ValidationError``, ``objects.create()`` raises
``IntegrityError``), with the rows next to each edge that stay allowed.

A unique constraint on fields reports, in Python, Django's "already exists"
message rather than its name: the error's ``unique_check`` names the fields.
"""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from learning_platform.models import ApiToken, CohortMembership
from tests.constraints import assert_unique_violated
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db


def _token(user, secret: str = "secret", **fields) -> ApiToken:
    """An unsaved, otherwise valid token whose hash is the SHA-256 of ``secret``."""
    values = {
        "name": "Mon téléphone",
        "key_hash": hashlib.sha256(secret.encode()).hexdigest(),
        "prefix": secret[:8],
    }
    values.update(fields)
    return ApiToken(user=user, **values)


# learning_platform_membership_unique


def test_full_clean_refuses_a_second_membership_of_a_cohort(learner):
    cohort = make_cohort()
    CohortMembership.objects.create(cohort=cohort, learner=learner)

    with pytest.raises(ValidationError) as excinfo:
        CohortMembership(cohort=cohort, learner=learner).full_clean()

    (error,) = excinfo.value.error_dict["__all__"]
    assert error.code == "unique_together"
    assert error.params["unique_check"] == ("cohort", "learner")


def test_database_refuses_a_second_membership_of_a_cohort(learner):
    cohort = make_cohort()
    CohortMembership.objects.create(cohort=cohort, learner=learner)

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        CohortMembership.objects.create(cohort=cohort, learner=learner)

    assert_unique_violated(
        excinfo,
        name="learning_platform_membership_unique",
        columns=[
            "learning_platform_cohortmembership.cohort_id",
            "learning_platform_cohortmembership.learner_id",
        ],
    )


def test_learner_may_join_two_cohorts(learner):
    CohortMembership.objects.create(cohort=make_cohort(name="Mardi"), learner=learner)
    membership = CohortMembership(cohort=make_cohort(name="Jeudi"), learner=learner)

    membership.full_clean()
    membership.save()


def test_two_learners_may_join_one_cohort(learner, other_learner):
    cohort = make_cohort()
    CohortMembership.objects.create(cohort=cohort, learner=other_learner)
    membership = CohortMembership(cohort=cohort, learner=learner)

    membership.full_clean()
    membership.save()


# learning_platform_apitoken_key_hash_unique


def test_full_clean_refuses_a_second_token_with_the_same_hash(learner, other_learner):
    _token(other_learner, "same-secret").save()

    with pytest.raises(ValidationError) as excinfo:
        _token(learner, "same-secret").full_clean()

    (error,) = excinfo.value.error_dict["key_hash"]
    assert error.code == "unique"
    assert error.params["unique_check"] == ("key_hash",)


def test_database_refuses_a_second_token_with_the_same_hash(learner, other_learner):
    _token(other_learner, "same-secret").save()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        _token(learner, "same-secret").save()

    assert_unique_violated(
        excinfo,
        name="learning_platform_apitoken_key_hash_unique",
        columns=["learning_platform_apitoken.key_hash"],
    )


def test_revoked_tokens_hash_is_still_taken(learner):
    _token(learner, "same-secret", revoked_at=timezone.now()).save()

    with pytest.raises(IntegrityError), transaction.atomic():
        _token(learner, "same-secret").save()


def test_user_may_hold_two_tokens_with_different_hashes(learner):
    _token(learner, "first-secret").save()
    token = _token(learner, "second-secret")

    token.full_clean()
    token.save()
