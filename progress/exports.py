"""The cohort table as CSV for a spreadsheet: UTF-8 with a BOM, ";" and
decimal commas by default (French Excel, LibreOffice), "," and decimal
points on request; numbers as numbers, dates in ISO 8601."""

import csv
from collections.abc import Iterable, Iterator
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .tutor_listing import sort_rows
from .tutor_selectors import FLAG_LABELS, CohortTable


def _number(value, decimal_comma: bool) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".") if value is not None else ""
    return text.replace(".", ",") if decimal_comma else text


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


def cohort_csv_rows(table: CohortTable, *, decimal_comma: bool) -> list[list]:
    """One line per learner, by name, four columns per assigned course."""
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
                _number(cell.best_score, decimal_comma=decimal_comma),
                1 if cell.badge else 0,
                assignment.due_date.isoformat() if assignment.due_date else "",
            ]
        lines.append(line)
    return lines


class _Line:
    """A file that hands back what the CSV writer writes, for streaming."""

    def write(self, text: str) -> str:
        return text


def cohort_csv_stream(
    table: CohortTable, chunks: Iterable[CohortTable], *, comma: bool = False
) -> Iterator[str]:
    """The same file as ``write_cohort_csv``, piece by piece for a streaming
    response: the BOM and the header (``table``'s courses), then the lines of
    each chunk (tables of the same cohort, learners by name across chunks)."""
    writer = csv.writer(_Line(), delimiter="," if comma else ";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(cohort_csv_header(table))
    for chunk in chunks:
        yield "".join(
            writer.writerow(line) for line in cohort_csv_rows(chunk, decimal_comma=not comma)
        )


def write_cohort_csv(stream, table: CohortTable, *, comma: bool = False) -> None:
    """Write the BOM, the header and the lines to ``stream`` (a file or an
    HttpResponse). ``comma``: "," and decimal points instead of ";" and
    decimal commas."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter="," if comma else ";", lineterminator="\r\n")
    writer.writerow(cohort_csv_header(table))
    writer.writerows(cohort_csv_rows(table, decimal_comma=not comma))
