"""Background work of the progress app, run by the task queue
(learning_platform.celery; README, "Tâches de fond").

The tutors' weekly digest is two tasks. ``send_tutor_digests``, started by
celery beat (settings.CELERY_BEAT_SCHEDULE) or ``manage.py
send_tutor_digests``, queues one ``send_tutor_digest`` per tutor; that one
reads the tutor's cohorts, claims the week's row and only then sends. The
row (progress.TutorDigest, unique per tutor and ISO week) makes every run
after the first a no-op: a second scheduler started by mistake, a re-run of
the command, a task given back to the queue by a worker that died.

A mail server that refuses or does not answer (an ``OSError``: SMTP errors,
refused connections, timeouts) marks the row ``failed`` with its answer
(admin, "Tutor digests") and the task is tried again later, waiting twice
as long each time (exponential backoff with jitter); each failure is
logged with the task's id. After the last try, or at once when tasks run
without a broker, the row stays ``failed`` and the next run of the job
claims it again.
"""

import logging
from collections import Counter

from celery import shared_task
from celery.result import EagerResult
from celery.utils.time import get_exponential_backoff_interval
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from .models import TutorDigest
from .services import tutor_digest_claim, tutor_digest_failed, tutor_digest_sent
from .tutor_digest import digest_email, iso_week, tutor_digest

logger = logging.getLogger(__name__)

# Errors worth another try: the mail server's, the network's.
# (smtplib.SMTPException and socket timeouts are OSErrors.)
TRANSIENT_ERRORS = (OSError,)
# Tries after the first, and the longest wait between two (seconds); the
# waits double from RETRY_BACKOFF with full jitter: at most 1, 2, 4, 8, 16
# minutes. Keep them below the broker's visibility timeout (settings).
MAX_RETRIES = 5
RETRY_BACKOFF = 60
RETRY_BACKOFF_MAX = 30 * 60

_BUSY = (TutorDigest.Status.SENDING, TutorDigest.Status.SENT)


@shared_task
def send_tutor_digests() -> dict[str, int | str]:
    """The weekly job: queue a digest for each tutor who has an address and
    no digest sent or being sent this ISO week. Returns what became of them:
    the outcomes when tasks run at once (no broker), else how many were
    queued."""
    week = iso_week(timezone.now())
    tutor_ids = (
        get_user_model()
        .objects.filter(tutored_cohorts__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    busy = set(
        TutorDigest.objects.filter(week=week, status__in=_BUSY).values_list("tutor", flat=True)
    )
    outcomes = Counter()
    for tutor_id in tutor_ids:
        if tutor_id in busy:
            outcomes["already sent"] += 1
            continue
        result = send_tutor_digest.delay(tutor_id, week)
        outcomes[result.result if isinstance(result, EagerResult) else "queued"] += 1
    return {"week": week, **outcomes}


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_tutor_digest(self, tutor_id: int, week: str) -> str:
    """One tutor's digest of ``week``, at most once: ``sent``, ``failed``
    (after the last try), or why nothing was sent (``no address``,
    ``no news``, ``already sent``: sent or being sent by another task)."""
    tutor = get_user_model().objects.filter(pk=tutor_id).exclude(email="").first()
    if tutor is None:
        return "no address"
    # Cheap early exit before the reads: the claim below is what decides.
    if TutorDigest.objects.filter(tutor=tutor, week=week, status__in=_BUSY).exists():
        return "already sent"
    sections = tutor_digest(tutor=tutor, now=timezone.now())
    if not sections:
        return "no news"
    subject, body = digest_email(tutor=tutor, sections=sections, week=week)
    digest = tutor_digest_claim(tutor=tutor, week=week)
    if digest is None:
        return "already sent"
    try:
        send_mail(subject, body, None, [tutor.email])
    except TRANSIENT_ERRORS as exc:
        tutor_digest_failed(digest=digest, error=f"{type(exc).__name__}: {exc}")
        tries = self.request.retries + 1
        # Run at once (no broker), nobody should wait for a backoff: the row
        # stays failed and the next run of the job tries again.
        if self.request.is_eager or self.request.retries >= MAX_RETRIES:
            logger.error(
                "Tutor digest %s for tutor %s not sent after %d tries, given up (task %s)",
                week,
                tutor_id,
                tries,
                self.request.id,
                exc_info=True,
            )
            return "failed"
        countdown = get_exponential_backoff_interval(
            factor=RETRY_BACKOFF,
            retries=self.request.retries,
            maximum=RETRY_BACKOFF_MAX,
            full_jitter=True,
        )
        logger.warning(
            "Tutor digest %s for tutor %s not sent (try %d of %d), retry in %ds (task %s): %s",
            week,
            tutor_id,
            tries,
            MAX_RETRIES + 1,
            countdown,
            self.request.id,
            exc,
        )
        raise self.retry(exc=exc, countdown=countdown, max_retries=MAX_RETRIES) from exc
    tutor_digest_sent(digest=digest)
    logger.info("Tutor digest %s sent to tutor %s (task %s)", week, tutor_id, self.request.id)
    return "sent"
