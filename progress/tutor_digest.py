"""Reads for the tutor's weekly digest (progress.tasks, ``manage.py
send_tutor_digests``): per cohort, who became inactive, who finished an
assigned course, who is stuck on a quiz, from the cohort table; and the
e-mail that says it."""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from learning_platform.models import Cohort

from .models import Enrolment
from .tutor_selectors import (
    FLAG_FAILING,
    Row,
    cohort_table,
    cohorts_for_tutor,
    consented_learner_ids,
    inactive_days,
)


class DigestSection(NamedTuple):
    """One cohort in a tutor's weekly e-mail; rows of its table."""

    cohort: Cohort
    inactive: list[Row]  # crossed the inactivity threshold during the past week
    finished: list[Row]  # completed an assigned course during the past week
    stuck: list[Row]  # flagged as failing a quiz


def tutor_digest(*, tutor, now: datetime) -> list[DigestSection]:
    """Per active cohort of the tutor, what changed in the week before
    ``now``; cohorts where nothing did, and archived ones, are left out."""
    week_ago = now - timedelta(days=7)
    threshold = timedelta(days=inactive_days())
    sections = []
    for cohort in cohorts_for_tutor(tutor).active():
        table = cohort_table(cohort, now=now)
        finished_ids = set(
            Enrolment.objects.filter(
                course_id__in=[a.course_id for a in table.assignments],
                completed_at__gte=week_ago,
                learner_id__in=consented_learner_ids(cohort),
            ).values_list("learner_id", flat=True)
        )
        inactive, finished, stuck = [], [], []
        for row in table.rows:
            reference = row.last_activity or row.joined_at
            if reference and week_ago - threshold < reference <= now - threshold:
                inactive.append(row)
            if row.learner.id in finished_ids:
                finished.append(row)
            if FLAG_FAILING in row.flags:
                stuck.append(row)
        if inactive or finished or stuck:
            sections.append(DigestSection(cohort, inactive, finished, stuck))
    return sections


def iso_week(now: datetime) -> str:
    """The ISO week of ``now`` in the site's time zone: ``2026-W48``."""
    year, week, _day = timezone.localdate(now).isocalendar()
    return f"{year}-W{week:02d}"


def digest_email(*, tutor, sections: list[DigestSection], week: str) -> tuple[str, str]:
    """(subject, body) of the digest, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "tutor": tutor,
            "sections": sections,
            "week": week,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("tutor/digest_subject.txt", context).strip()
        return subject, render_to_string("tutor/digest.txt", context)
