"""Test settings and persona fixtures shared by every test.

Test overrides live here, not in a settings module of their own: a fast
password hasher, a local-memory cache (unless REDIS_URL asks for Redis),
plain static storage, no HTTPS redirect.
"""

import os

import pytest
from django.core.cache import cache

from tests.factories import make_learner, make_user


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not os.environ.get("REDIS_URL"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.SECURE_SSL_REDIRECT = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "fr"
    # Local memory outlives a test, Redis too: counts such as failed logins
    # (learning_platform.login_limits) must not leak from one test to the next.
    cache.clear()


@pytest.fixture
def learner(db):
    return make_learner(username="learner")


@pytest.fixture
def other_learner(db):
    return make_learner(username="other")


@pytest.fixture
def staff(db):
    return make_user(username="reviewer", is_staff=True)


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
