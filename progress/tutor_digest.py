"""Reads for the tutor's weekly digest (``manage.py send_tutor_digests``):
per cohort, who became inactive, who finished an assigned course, who is
stuck on a quiz, from the cohort table."""

from datetime import datetime, timedelta
from typing import NamedTuple

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
