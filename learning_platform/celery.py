"""The Celery application: the task queue for work that need not happen in a
request (e-mails, scheduled digests). Configured from Django's settings
(``CELERY_*``); tasks live in each app's ``tasks.py``, found by name, so this
module imports no app above ``learning_platform``.

Run a worker and the scheduler with ``make worker`` (README, "Tâches de
fond"). Without ``CELERY_BROKER_URL`` every task runs at once, in the
calling process (``task_always_eager``): a laptop needs no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")

app = Celery("learning_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
