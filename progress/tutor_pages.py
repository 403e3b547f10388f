"""Page builders of the tutor's pages, shared by the HTML views
(``tutor_views``) and the API (``api``). Composition layer, like the views:
it reads badges (a higher app) and hands them to the progress selectors,
which never import badges themselves."""

from collections.abc import Iterator
from dataclasses import dataclass, replace

from badges import tutor_selectors as badge_selectors
from learning_platform import inputs
from learning_platform.models import Cohort, CohortMembership

from . import tutor_analytics, tutor_selectors
from .tutor_listing import TableListing, sort_rows, table_listing
from .tutor_selectors import CohortSummary, CohortTable, Row


def dashboard_summaries(user) -> list[CohortSummary]:
    """The tutor's cohorts with their headline figures (five queries)."""
    cohorts = tutor_selectors.tutor_cohorts(user)
    counts = badge_selectors.badge_counts_by_cohort(cohort_ids=[c.id for c in cohorts])
    return tutor_selectors.cohort_summaries(cohorts, badge_counts=counts)


def cohort_table_page(cohort: Cohort) -> CohortTable:
    """The cohort's whole progress table with its badges (six queries)."""
    awarded = badge_selectors.awarded_pairs(
        learner_ids=tutor_selectors.consented_learner_ids(cohort),
        course_ids=tutor_selectors.assigned_course_ids(cohort),
    )
    return tutor_selectors.cohort_table(cohort, awarded=awarded)


def _fill(table: CohortTable, rows: list[Row]) -> None:
    """The cells of ``rows`` with their badges (four queries)."""
    awarded = badge_selectors.awarded_pairs(
        learner_ids=[r.learner.id for r in rows],
        course_ids=[a.course_id for a in table.assignments],
    )
    tutor_selectors.cohort_cells(table, rows, awarded=awarded, users=False)


def cohort_listing_page(
    cohort: Cohort, *, sort: str, flag: str, page_number, page_size: int
) -> TableListing:
    """One page of the cohort's table as the tutor asked for it: every
    learner's flags and sort key first (two queries), then the cells of the
    page's learners only (four more), whatever the size of the cohort."""
    course = sort.removeprefix("-")
    sort_course = (
        inputs.parse_int(course.removeprefix("course-")) if course.startswith("course-") else None
    )
    table = tutor_selectors.cohort_rows(cohort, sort_course=sort_course)
    listing = table_listing(
        table, sort=sort, flag=flag, page_number=page_number, page_size=page_size
    )
    _fill(table, list(listing.page.object_list))
    return listing


# Learners whose cells are read at a time in the CSV: the export streams in
# memory bounded by this, not by the size of the cohort, at four queries a chunk.
CSV_CHUNK = 250


def cohort_csv_tables(cohort: Cohort) -> tuple[CohortTable, Iterator[CohortTable]]:
    """The table without cells (for the header), and the same table cut in
    chunks of ``CSV_CHUNK`` learners by name, each with its cells read when
    the chunk is reached and let go after it."""
    table = tutor_selectors.cohort_rows(cohort)
    rows = sort_rows(table, "name")

    def chunks() -> Iterator[CohortTable]:
        for start in range(0, len(rows), CSV_CHUNK):
            chunk = rows[start : start + CSV_CHUNK]
            _fill(table, chunk)
            yield replace(table, rows=chunk)
            for row in chunk:
                row.cells = []

    return table, chunks()


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
