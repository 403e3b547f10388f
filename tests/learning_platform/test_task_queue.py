"""The task queue's set-up (learning_platform.celery, settings): a broker
only from CELERY_BROKER_URL, tasks run at once without one (a laptop, `make
run`, a server with a Redis cache but no worker), and celery beat's
schedule names tasks that exist, at the hour the README gives."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from learning_platform.celery import app

BASE_DIR = Path(__file__).resolve().parents[2]
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
_PRINT_CONF = (
    "import json, django; django.setup();"
    "from learning_platform import celery_app as a;"
    "print(json.dumps([a.conf.task_always_eager, a.conf.broker_url or '']))"
)


def _queue_conf(**env: str) -> list:
    # Only what a shell needs: nothing leaks in from the tests' environment.
    environ = {k: v for k, v in os.environ.items() if k in _KEPT} | env
    environ["DJANGO_SETTINGS_MODULE"] = "learning_platform.settings"
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_CONF],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, [True, ""]),
        # The cache's Redis is no broker: without a worker, mail still leaves.
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, [True, ""]),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0", "CELERY_BROKER_URL": "redis://q:6379/2"},
            [False, "redis://q:6379/2"],
        ),
    ],
)
def test_tasks_run_at_once_unless_a_broker_is_configured(env, expected):
    assert _queue_conf(**env) == expected


def test_beat_sends_the_weekly_digest_job_on_mondays_at_seven_site_time(settings):
    [(name, entry)] = settings.CELERY_BEAT_SCHEDULE.items()
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks and entry["task"] == "progress.tasks.send_tutor_digests"
    schedule = entry["schedule"]
    assert (schedule.day_of_week, schedule.hour, schedule.minute) == ({1}, {7}, {0})
    assert app.conf.timezone == settings.TIME_ZONE == "Europe/Paris"


def test_tasks_take_json_only():
    # A broker message is never unpickled: anyone who can write to Redis
    # could otherwise run code in the worker.
    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
