"""The cohort table as listed on the page: sort, column links, flag filter
and pages. Pure functions: the table is built by hand."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

from progress.tutor_listing import normalise_sort, sort_rows, table_columns, table_listing
from progress.tutor_selectors import FLAG_FAILING, FLAG_INACTIVE, Cell, CohortTable, Row


class Learner(SimpleNamespace):
    def __str__(self) -> str:
        return self.name


def _row(name, *, last=None, flags=(), percent=0, score=None):
    return Row(
        learner=Learner(name=name, username=name.lower()),
        joined_at=None,
        last_activity=last,
        cells=[Cell(percent=percent, best_score=score)],
        flags=list(flags),
    )


def _table(*rows):
    course = SimpleNamespace(title="Tableur")
    assignment = SimpleNamespace(course=course, due_date=date(2026, 12, 1))
    return CohortTable(cohort=None, assignments=[assignment], rows=list(rows))


ABEL = _row("Abel", last=datetime(2026, 1, 2, tzinfo=UTC), percent=50, score=Decimal("40"))
zoe = _row("zoé", flags=[FLAG_INACTIVE, FLAG_FAILING], percent=50, score=Decimal("90"))
MAYA = _row("Maya", last=datetime(2026, 3, 1, tzinfo=UTC), flags=[FLAG_INACTIVE], percent=100)
TABLE = _table(zoe, MAYA, ABEL)


def _names(rows):
    return [r.learner.name for r in rows]


def test_unknown_sorts_fall_back_to_name():
    for bad in ("", "nope", "--name", "course-1", "course-", "-course-x", "\x00"):
        assert normalise_sort(TABLE, bad) == "name", bad
    for good in ("name", "-name", "activity", "-flags", "course-0", "-course-0"):
        assert normalise_sort(TABLE, good) == good


def test_sort_by_name_ignores_case_and_reverses():
    assert _names(sort_rows(TABLE, "name")) == ["Abel", "Maya", "zoé"]
    assert _names(sort_rows(TABLE, "-name")) == ["zoé", "Maya", "Abel"]


def test_sort_by_activity_puts_never_active_first():
    assert _names(sort_rows(TABLE, "activity")) == ["zoé", "Abel", "Maya"]
    assert _names(sort_rows(TABLE, "-activity")) == ["Maya", "Abel", "zoé"]


def test_sort_by_flags_counts_them():
    assert _names(sort_rows(TABLE, "-flags")) == ["zoé", "Maya", "Abel"]


def test_sort_by_course_uses_percent_then_best_score():
    assert _names(sort_rows(TABLE, "course-0")) == ["Abel", "zoé", "Maya"]
    assert _names(sort_rows(TABLE, "-course-0")) == ["Maya", "zoé", "Abel"]


def test_column_links_reverse_the_current_sort_and_start_others_their_way():
    columns = {c.key: c for c in table_columns(TABLE, "name")}
    assert [c.key for c in columns.values()] == ["name", "flags", "activity", "course-0"]
    assert (columns["name"].current, columns["name"].next) == (True, "-name")
    assert (columns["activity"].current, columns["activity"].next) == (False, "-activity")
    assert columns["flags"].next == "-flags" and columns["course-0"].next == "course-0"
    assert (columns["course-0"].label, columns["course-0"].due) == ("Tableur", date(2026, 12, 1))
    columns = {c.key: c for c in table_columns(TABLE, "-activity")}
    assert columns["activity"].current and columns["activity"].descending
    assert columns["activity"].next == "activity"
    assert columns["name"].next == "name" and not columns["name"].current
    columns = {c.key: c for c in table_columns(TABLE, "-course-0")}
    assert columns["course-0"].current and columns["course-0"].next == "course-0"


def test_listing_filters_on_a_known_flag_and_counts_each_flag():
    listing = table_listing(TABLE, sort="name", flag=FLAG_INACTIVE, page_number=1, page_size=50)
    assert _names(listing.page.object_list) == ["Maya", "zoé"]
    assert listing.flag == FLAG_INACTIVE
    counts = {key: count for key, _label, count in listing.flags}
    assert counts == {"inactive": 2, "failing": 1, "not_started": 0, "late": 0}


def test_listing_ignores_an_unknown_flag_sort_or_page():
    listing = table_listing(TABLE, sort="bad", flag="nope", page_number="zz", page_size=2)
    assert (listing.flag, listing.sort) == ("", "name")
    assert _names(listing.page.object_list) == ["Abel", "Maya"]
    assert listing.page.paginator.num_pages == 2
    last = table_listing(TABLE, sort="name", flag="", page_number="9", page_size=2)
    assert _names(last.page.object_list) == ["zoé"]
