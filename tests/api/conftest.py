"""API clients for the personas: anonymous, and learners with a personal token."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from learning_platform.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Rate-limit counters live in the cache: each test starts with none.
    cache.clear()


def token_client(user, name: str = "tests") -> APIClient:
    _, key = api_token_create(user=user, name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def learner_api(learner):
    return token_client(learner)


@pytest.fixture
def other_api(other_learner):
    return token_client(other_learner)
