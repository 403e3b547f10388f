"""manage.py send_tutor_digests — each tutor's weekly e-mail: who became
inactive, who finished an assigned course, who is stuck on a quiz, per
cohort. For cron (e.g. Mondays 7:00); idempotent per ISO week: a tutor gets
at most one digest a week, however often it runs, even two runs at once
(the unique row of TutorDigest)."""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from progress.models import TutorDigest
from progress.tutor_digest import tutor_digest

logger = logging.getLogger(__name__)


def _render(tutor, sections, week: str) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "tutor": tutor,
            "sections": sections,
            "week": week,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("tutor/digest_subject.txt", context).strip()
        return subject, render_to_string("tutor/digest.txt", context)


def _send(digest_id: int, subject: str, body: str, address: str) -> None:
    """After commit: send; if the mail server refuses, forget the row so the
    next run tries again."""
    try:
        send_mail(subject, body, None, [address])
    except OSError:  # smtplib.SMTPException included
        logger.exception("Tutor digest not sent to %s", address)
        TutorDigest.objects.filter(pk=digest_id).delete()


class Command(BaseCommand):
    help = "Send each tutor their weekly digest (once per ISO week)."

    def handle(self, *args, **options):
        now = timezone.now()
        year, week, _day = timezone.localdate(now).isocalendar()
        label = f"{year}-W{week:02d}"
        sent = skipped = 0
        tutors = get_user_model().objects.filter(tutored_cohorts__isnull=False).distinct()
        for tutor in tutors:
            if not tutor.email or TutorDigest.objects.filter(tutor=tutor, week=label).exists():
                skipped += 1
                continue
            # Read and render outside the transaction: it only guards the row.
            sections = tutor_digest(tutor=tutor, now=now)
            if not sections:
                skipped += 1
                continue
            subject, body = _render(tutor, sections, label)
            try:
                with transaction.atomic():
                    digest = TutorDigest.objects.create(tutor=tutor, week=label)
                    transaction.on_commit(partial(_send, digest.pk, subject, body, tutor.email))
            except IntegrityError:
                skipped += 1  # another run claimed this week's digest
                continue
            sent += 1
        self.stdout.write(self.style.SUCCESS(f"{label}: {sent} digest(s) sent, {skipped} skipped."))
