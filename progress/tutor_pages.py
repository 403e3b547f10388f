"""Page builders of the tutor's pages, shared by the HTML views
(``tutor_views``) and the API (``api``). Composition layer, like the views:
it reads badges (a higher app) and hands them to the progress selectors,
which never import badges themselves."""

from dataclasses import dataclass

from badges import tutor_selectors as badge_selectors
from learning_platform.models import Cohort, CohortMembership

from . import tutor_analytics, tutor_selectors
from .tutor_selectors import CohortSummary, CohortTable


def dashboard_summaries(user) -> list[CohortSummary]:
    """The tutor's cohorts with their headline figures (five queries)."""
    cohorts = tutor_selectors.tutor_cohorts(user)
    counts = badge_selectors.badge_counts_by_cohort(cohort_ids=[c.id for c in cohorts])
    return tutor_selectors.cohort_summaries(cohorts, badge_counts=counts)


def cohort_table_page(cohort: Cohort) -> CohortTable:
    """The cohort's progress table with its badges (six queries)."""
    awarded = badge_selectors.awarded_pairs(
        learner_ids=tutor_selectors.consented_learner_ids(cohort),
        course_ids=tutor_selectors.assigned_course_ids(cohort),
    )
    return tutor_selectors.cohort_table(cohort, awarded=awarded)


@dataclass
class LearnerPage:
    timeline: list[tutor_analytics.TimelineEvent]
    wrong: list[tutor_analytics.WrongAnswer]


def learner_page(membership: CohortMembership) -> LearnerPage:
    """A consented learner of the cohort, limited to its assigned courses."""
    learner = membership.learner
    course_ids = tutor_selectors.assigned_course_ids(membership.cohort)
    badges = badge_selectors.badge_events(learner=learner, course_ids=course_ids)
    return LearnerPage(
        timeline=tutor_analytics.learner_timeline(
            learner=learner, course_ids=course_ids, extra_events=badges
        ),
        wrong=tutor_analytics.wrong_answers(learner=learner, course_ids=course_ids),
    )
