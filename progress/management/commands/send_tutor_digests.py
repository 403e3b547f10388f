"""manage.py send_tutor_digests — each tutor's weekly e-mail: who became
inactive, who finished an assigned course, who is stuck on a quiz, per
cohort. For cron (e.g. Mondays 7:00); idempotent per ISO week: a tutor gets
at most one digest a week, however often it runs."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from learning_platform.models import Cohort
from progress import tutor_selectors as selectors
from progress.models import Enrolment, TutorDigest


def digest_for(tutor, *, now):
    """Per cohort of the tutor: (cohort, became inactive, finished, stuck)."""
    week_ago = now - timedelta(days=7)
    threshold = timedelta(days=selectors.inactive_days())
    sections = []
    for cohort in Cohort.objects.for_tutor(tutor).select_related("organisation"):
        table = selectors.cohort_table(cohort, today=timezone.localdate(now))
        course_ids = [a.course_id for a in table.assignments]
        finished_ids = set(
            Enrolment.objects.filter(
                course_id__in=course_ids,
                completed_at__gte=week_ago,
                learner_id__in=selectors.consented_learner_ids(cohort),
            ).values_list("learner_id", flat=True)
        )
        inactive, finished, stuck = [], [], []
        for row in table.rows:
            reference = row.last_activity or row.joined_at
            # Crossed the inactivity threshold during the past week.
            if reference and week_ago - threshold < reference <= now - threshold:
                inactive.append(row)
            if row.learner.id in finished_ids:
                finished.append(row)
            if selectors.FLAG_FAILING in row.flags:
                stuck.append(row)
        if inactive or finished or stuck:
            sections.append((cohort, inactive, finished, stuck))
    return sections


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
            sections = digest_for(tutor, now=now)
            if not sections:
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    TutorDigest.objects.create(tutor=tutor, week=label)
                    with translation.override(settings.LANGUAGE_CODE):
                        context = {
                            "tutor": tutor,
                            "sections": sections,
                            "week": label,
                            "site_url": settings.SITE_URL,
                        }
                        send_mail(
                            render_to_string("tutor/digest_subject.txt", context).strip(),
                            render_to_string("tutor/digest.txt", context),
                            None,
                            [tutor.email],
                        )
            except IntegrityError:
                skipped += 1  # another run sent it
                continue
            sent += 1
        self.stdout.write(self.style.SUCCESS(f"{label}: {sent} digest(s) sent, {skipped} skipped."))
