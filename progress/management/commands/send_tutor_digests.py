"""manage.py send_tutor_digests — each tutor's weekly e-mail: who became
inactive, who finished an assigned course, who is stuck on a quiz, per
cohort. Celery beat runs the same job every week (README, "Tâches de
fond"); this command runs it now, for a cron or by hand. The digests go
through the task queue: sent by the worker when CELERY_BROKER_URL is set,
here and now otherwise. At most one digest per tutor and ISO week, however
often it runs, even two runs at once (progress.tasks)."""

from django.core.management.base import BaseCommand

from progress.tasks import send_tutor_digests


class Command(BaseCommand):
    help = "Send each tutor their weekly digest (once per ISO week), through the task queue."

    def handle(self, *args, **options):
        # The job itself runs here; each tutor's digest is a task of its own.
        outcomes = send_tutor_digests()
        week = outcomes.pop("week")
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        self.stdout.write(self.style.SUCCESS(f"{week}: {summary or 'no tutor to write to'}."))
