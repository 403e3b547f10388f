"""Test settings and persona fixtures shared by every test.

Test overrides live here, not in a settings module of their own: a fast
password hasher, a local-memory cache (unless REDIS_URL asks for Redis),
plain static storage, no HTTPS redirect.
"""

import os

import pytest
from django.core.cache import cache

from tests.factories import make_cohort, make_learner, make_organisation, make_user


def _worker_redis_url() -> str:
    """REDIS_URL with database 2 + the xdist worker's number (gw0 -> 2)."""
    from urllib.parse import urlsplit, urlunsplit

    worker = int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    return urlunsplit(urlsplit(os.environ["REDIS_URL"])._replace(path=f"/{2 + worker}"))


def _queue_unavailable() -> str | None:
    """Why the ``queue`` tests cannot run, or None when a broker answers."""
    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        return "needs a Celery broker: CELERY_BROKER_URL=redis://127.0.0.1:6379/<n>"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"the broker at CELERY_BROKER_URL does not answer: {exc}"
    return None


def pytest_collection_modifyitems(config, items):
    """Two collection rules for database tests.

    - ``postgres`` tests are skipped here, at collection, on SQLite: a skip
      inside the test would come after its database fixtures have run; so are
      ``queue`` tests without a broker that answers (CELERY_BROKER_URL).
    - Every transactional test uses ``serialized_rollback=True``. Without it,
      its teardown flushes the tables and re-runs post_migrate, which creates
      the content types again under new ids; the next test that restores the
      serialized database then inserts the old ids and fails on the
      (app_label, model) unique constraint. That made
      ``pytest tests/quizzes/test_views.py tests/badges/test_concurrency.py``
      error at setup.
    """
    from django.db import connection

    skip_postgres = pytest.mark.skip(
        reason="needs PostgreSQL (DATABASE_URL): SQLite serialises writers"
    )
    skip_queue = pytest.mark.skip(reason=_queue_unavailable() or "")
    for item in items:
        if connection.vendor != "postgresql" and item.get_closest_marker("postgres"):
            item.add_marker(skip_postgres)
        if item.get_closest_marker("queue") and skip_queue.kwargs["reason"]:
            item.add_marker(skip_queue)
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test needs serialized_rollback=True"
                " (see tests/conftest.py)"
            )


@pytest.fixture(autouse=True)
def _tasks_run_at_once(request):
    """Tasks run eagerly, in the test's own thread and transaction, in every
    test but the ``queue`` ones, even when CELERY_BROKER_URL is set: those
    tests have no worker to run them."""
    from learning_platform.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = not request.node.get_closest_marker("queue")
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def queue_worker(transactional_db):
    """A Celery worker on the broker of CELERY_BROKER_URL (Redis), in this
    process: four threads running the tasks the test queues.

    In-process rather than ``celery worker`` in a subprocess: the worker's
    threads open their own database connections with the test's settings,
    so they see the test database, whatever its name, on PostgreSQL or
    SQLite (a shared in-memory one), and the e-mails they send land in
    ``mail.outbox``. What the test writes must be committed for them to see
    it: a ``queue`` test is transactional. The tasks still go through the
    broker, serialised as JSON, acknowledged, retried at their countdown.
    """
    from celery.contrib.testing.worker import start_worker
    from celery.signals import setup_logging, task_postrun
    from django.db import connections

    from learning_platform.celery import app

    def close_connections(**_kwargs):
        # The worker's threads end with the test: their connections must not
        # outlive it (PostgreSQL refuses to drop a test database in use).
        connections.close_all()

    def keep_logging(**_kwargs):
        pass  # a receiver here stops the worker from replacing pytest's log capture

    task_postrun.connect(close_connections, weak=False)
    setup_logging.connect(keep_logging, weak=False)
    app.control.purge()  # what an interrupted run left in the queue
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=4,
            perform_ping_check=False,
            shutdown_timeout=30,
            loglevel="WARNING",
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(close_connections)
        setup_logging.disconnect(keep_logging)
        app.control.purge()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not os.environ.get("REDIS_URL"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        # Two workers share one Redis: each takes a database of its own, or
        # one's cache.clear() (FLUSHDB) would wipe the other's counts.
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": _worker_redis_url()}
        }
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


# Personas: who the tests act as. Each test builds the rest of its data.


@pytest.fixture
def learner(db):
    return make_learner(username="learner")


@pytest.fixture
def other_learner(db):
    return make_learner(username="other")


@pytest.fixture
def tutor(db):
    """Tutors one cohort (``tutor.tutored_cohorts.get()``), learners to be added."""
    user = make_user(username="tutor")
    make_cohort(name="Lundi", tutors=[user])
    return user


@pytest.fixture
def other_tutor(db):
    """Tutors a cohort of another organisation than ``tutor``'s."""
    user = make_user(username="other-tutor")
    make_cohort(name="Jeudi", tutors=[user])
    return user


@pytest.fixture
def manager(db):
    """Manages an organisation (``manager.managed_organisations.get()``),
    which has one cohort and no tutor."""
    user = make_user(username="manager")
    make_cohort(name="Vendredi", organisation=make_organisation(managers=[user]))
    return user


@pytest.fixture
def author(db):
    """A plain account: an author of the courses a test adds it to."""
    return make_user(username="autrice")


@pytest.fixture
def staff(db):
    return make_user(username="reviewer", is_staff=True)


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def sessions_in_the_database(settings):
    """Sessions read from the database: with REDIS_URL they come from the
    cache, one query fewer, so that query counts are the same everywhere."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
