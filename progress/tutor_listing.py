"""How the cohort table is listed on the tutor's page: the sort asked for,
the flag filter, the page, and each column's sort link. Pure functions of a
``CohortTable``: no query."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning_platform import inputs

from .tutor_selectors import FLAG_LABELS, FLAGS, CohortTable, Row

FIXED_SORTS = ("name", "activity", "flags")


def normalise_sort(table: CohortTable, sort: str) -> str:
    """``name``, ``activity``, ``flags`` or ``course-<n>`` (the n-th assigned
    course), with a leading ``-`` for descending; anything else is ``name``."""
    key = sort.removeprefix("-")
    if key in FIXED_SORTS or _course_column(table, key) is not None:
        return sort
    return "name"


def _course_column(table: CohortTable, key: str) -> int | None:
    """n for ``course-<n>`` naming an assigned course's column, else None."""
    if not key.startswith("course-"):
        return None
    return inputs.parse_int(key.removeprefix("course-"), maximum=len(table.assignments) - 1)


def sort_rows(table: CohortTable, sort: str) -> list[Row]:
    """Rows in the order ``sort`` asks for (see ``normalise_sort``); a course
    column sorts by percent, then best quiz score."""
    sort = normalise_sort(table, sort)
    reverse = sort.startswith("-")
    key = sort.removeprefix("-")
    if key == "activity":
        oldest = datetime.min.replace(tzinfo=timezone.get_current_timezone())
        return sorted(table.rows, key=lambda r: r.last_activity or oldest, reverse=reverse)
    if key == "flags":
        return sorted(table.rows, key=lambda r: (len(r.flags), r.flags), reverse=reverse)
    i = _course_column(table, key)
    if i is not None:

        def by_course(row: Row):
            # The cells, or before they are read, the sorted course's own.
            cell = row.cells[i] if row.cells else row.sort_cell
            return (cell.percent, cell.best_score or Decimal(-1))

        return sorted(table.rows, key=by_course, reverse=reverse)
    return sorted(table.rows, key=lambda r: str(r.learner).lower(), reverse=reverse)


@dataclass
class Column:
    key: str
    label: str
    first: str  # the sort a first click asks for
    next: str  # the sort this column's link asks for now
    current: bool  # the table is sorted by this column
    descending: bool
    due: date | None = None


def table_columns(table: CohortTable, sort: str) -> list[Column]:
    """The header: a click on the current column reverses its order; a click
    on another sorts by it, the way most useful first (latest activity, most
    flags first)."""
    specs = [
        # Who needs help right after the name: the first thing read in a
        # row, and on a phone the first line of the learner's card.
        ("name", _("Learner"), "name", None),
        ("flags", _("Needs help"), "-flags", None),
        ("activity", _("Last activity"), "-activity", None),
    ] + [
        (f"course-{i}", a.course.title, f"course-{i}", a.due_date)
        for i, a in enumerate(table.assignments)
    ]
    return [
        Column(
            key=key,
            label=label,
            first=first,
            next=("-" + first).replace("--", "") if sort == first else first,
            current=sort.removeprefix("-") == key,
            descending=sort.startswith("-"),
            due=due,
        )
        for key, label, first, due in specs
    ]


@dataclass
class TableListing:
    table: CohortTable
    sort: str
    flag: str  # "" for everyone
    columns: list[Column]
    page: Page
    flags: list[tuple[str, str, int]]  # (flag, label, learners with it)


def table_listing(
    table: CohortTable, *, sort: str, flag: str, page_number, page_size: int
) -> TableListing:
    """The table sorted, filtered on one flag (an unknown one shows
    everyone) and cut to one page (an unknown page shows the nearest)."""
    sort = normalise_sort(table, sort)
    rows = sort_rows(table, sort)
    if flag in FLAGS:
        rows = [r for r in rows if flag in r.flags]
    else:
        flag = ""
    counts = table.flag_counts()
    return TableListing(
        table=table,
        sort=sort,
        flag=flag,
        columns=table_columns(table, sort),
        page=Paginator(rows, page_size).get_page(inputs.page_number(page_number)),
        flags=[(key, FLAG_LABELS[key], counts[key]) for key in FLAGS],
    )
