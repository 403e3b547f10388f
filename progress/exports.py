"""The cohort table as CSV for a spreadsheet, written by
``learning_platform.spreadsheets`` (";" and decimal commas by default, ","
and decimal points on request; numbers as numbers; text that a spreadsheet
would run, such as a display name "=HYPERLINK(...)", neutralised); dates in
ISO 8601."""

from collections.abc import Iterable, Iterator
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from learning_platform.spreadsheets import SpreadsheetWriter

from .tutor_listing import sort_rows
from .tutor_selectors import FLAG_LABELS, CohortTable


def cohort_csv_filename(table: CohortTable, *, today: date) -> str:
    return f"cohorte-{table.cohort.pk}-{today.isoformat()}.csv"


def cohort_csv_header(table: CohortTable) -> list[str]:
    header = [_("Username"), _("Name"), _("Joined on"), _("Last activity"), _("Flags")]
    for assignment in table.assignments:
        title = assignment.course.title
        header += [
            _("%(course)s: %% done") % {"course": title},
            _("%(course)s: best quiz score") % {"course": title},
            _("%(course)s: badge (1 = earned)") % {"course": title},
            _("%(course)s: due date") % {"course": title},
        ]
    return header


def cohort_csv_rows(table: CohortTable) -> list[list]:
    """One line per learner, by name, four columns per assigned course; the
    values as they are (the writer formats and neutralises them)."""
    lines = []
    for row in sort_rows(table, "name"):
        line = [
            row.learner.username,
            str(row.learner),
            row.joined_at.date().isoformat() if row.joined_at else "",
            timezone.localtime(row.last_activity).date().isoformat() if row.last_activity else "",
            ", ".join(str(FLAG_LABELS[f]) for f in row.flags),
        ]
        for assignment, cell in zip(table.assignments, row.cells, strict=True):
            line += [
                cell.percent,
                cell.best_score,
                1 if cell.badge else 0,
                assignment.due_date.isoformat() if assignment.due_date else "",
            ]
        lines.append(line)
    return lines


class _Buffer:
    """A file the writer writes into; each piece is taken for streaming."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def cohort_csv_stream(
    table: CohortTable, chunks: Iterable[CohortTable], *, comma: bool = False
) -> Iterator[str]:
    """The same file as ``write_cohort_csv``, piece by piece for a streaming
    response: the BOM and the header (``table``'s courses), then the lines of
    each chunk (tables of the same cohort, learners by name across chunks),
    through the same neutralising writer."""
    buffer = _Buffer()
    writer = SpreadsheetWriter(buffer, comma=comma)
    writer.writerow(cohort_csv_header(table))
    yield buffer.take()
    for chunk in chunks:
        writer.writerows(cohort_csv_rows(chunk))
        yield buffer.take()


def write_cohort_csv(stream, table: CohortTable, *, comma: bool = False) -> None:
    """Write the BOM, the header and the lines to ``stream`` (a file or an
    HttpResponse). ``comma``: "," and decimal points instead of ";" and
    decimal commas."""
    writer = SpreadsheetWriter(stream, comma=comma)
    writer.writerow(cohort_csv_header(table))
    writer.writerows(cohort_csv_rows(table))
