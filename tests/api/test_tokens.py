"""Personal API tokens: only a hash is stored, the token is shown once on the
profile page, and each user creates, lists and revokes their own."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from learning_platform.models import ApiToken
from learning_platform.services import (
    MAX_ACTIVE_TOKENS,
    TokenError,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)

pytestmark = pytest.mark.django_db


def test_the_key_hash_is_unique_both_ways(learner, other_learner):
    token, _ = api_token_create(user=learner, name="phone")
    twin = ApiToken(user=other_learner, name="twin", key_hash=token.key_hash, prefix="lp_x")
    with pytest.raises(ValidationError):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            user=other_learner, name="twin", key_hash=token.key_hash, prefix="lp_x"
        )


def test_only_the_tokens_hash_is_stored(learner):
    token, key = api_token_create(user=learner, name="phone")
    assert key.startswith("lp_") and len(key) >= 40
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:9]
    stored = [str(value) for value in ApiToken.objects.values_list().get(pk=token.pk)]
    assert key not in stored
    assert api_token_authenticate(key=key) == token
    assert api_token_authenticate(key=key + "x") is None


def test_revoking_twice_keeps_the_first_date(learner):
    token, key = api_token_create(user=learner, name="phone")
    first = api_token_revoke(token=token).revoked_at
    assert api_token_revoke(token=ApiToken.objects.get(pk=token.pk)).revoked_at == first
    assert api_token_authenticate(key=key) is None


def test_a_user_has_a_bounded_number_of_active_tokens(learner):
    tokens = [api_token_create(user=learner, name=f"t{i}")[0] for i in range(MAX_ACTIVE_TOKENS)]
    with pytest.raises(TokenError):
        api_token_create(user=learner, name="one too many")
    api_token_revoke(token=tokens[0])
    api_token_create(user=learner, name="now it fits")


# The profile page's "API tokens" section


def test_the_profile_page_creates_a_token_and_shows_it_once(learner_client, learner):
    page = learner_client.get(reverse("profile")).content.decode()
    assert 'id="api-tokens"' in page and reverse("api_token_create") in page
    response = learner_client.post(reverse("api_token_create"), {"token-name": "Mon téléphone"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=learner)
    body = response.content.decode()
    key = body.split('id="new-api-token" value="')[1].split('"')[0]
    assert key.startswith("lp_") and api_token_authenticate(key=key) == token
    assert token.name == "Mon téléphone"

    again = learner_client.get(reverse("profile")).content.decode()
    assert key not in again
    assert "Mon téléphone" in again and f"{token.prefix}…" in again


def test_the_new_token_works_on_the_api(learner_client, learner):
    response = learner_client.post(reverse("api_token_create"), {"token-name": "script"})
    key = response.content.decode().split('id="new-api-token" value="')[1].split('"')[0]
    learner_client.logout()
    api = learner_client.get(reverse("api:enrolment-list"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200


def test_a_token_needs_a_name_and_nothing_is_created_without_one(learner_client):
    response = learner_client.post(reverse("api_token_create"), {"token-name": "  "})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert 'id="new-api-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_profile_page_revokes_the_users_own_token_only(
    client, learner, other_learner, learner_client
):
    mine, my_key = api_token_create(user=learner, name="Laptop token")
    theirs, _ = api_token_create(user=other_learner, name="theirs")
    response = learner_client.post(reverse("api_token_revoke", args=[mine.id]))
    assert response.status_code == 302 and response.url == reverse("profile") + "#api-tokens"
    assert api_token_authenticate(key=my_key) is None
    page = learner_client.get(reverse("profile")).content.decode()
    assert f"{mine.prefix}…" not in page  # no longer listed
    assert "Laptop token" in page  # named in the confirmation
    assert learner_client.post(reverse("api_token_revoke", args=[theirs.id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_token_views_send_anonymous_visitors_to_log_in_and_refuse_get(client, learner):
    token, _ = api_token_create(user=learner, name="phone")
    for url in [reverse("api_token_create"), reverse("api_token_revoke", args=[token.id])]:
        response = client.post(url, {"token-name": "x"})
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(learner)
    assert client.get(reverse("api_token_create")).status_code == 405
    assert client.get(reverse("api_token_revoke", args=[token.id])).status_code == 405
    assert ApiToken.objects.active().count() == 1
