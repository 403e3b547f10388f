"""Every CSV export neutralises the cells a spreadsheet would run (OWASP's
CSV injection rule), and keeps numbers as numbers.

The payloads go where people type: learners' display names and usernames,
and course titles (in the column headers). The export is read back with
the csv module, as a spreadsheet would read the file."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from learning_platform.cohorts import membership_join
from learning_platform.spreadsheets import SpreadsheetWriter, spreadsheet_cell
from progress.services import cohort_course_assign
from tests.factories import make_cohort, make_course, make_learner, make_question, make_quiz
from tests.tutors.helpers import take

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "=1+1;=2",  # with the delimiter inside
    '-"quoted"',
    "=",
]


@pytest.mark.parametrize("payload", FORMULAS)
def test_a_text_cell_that_a_spreadsheet_would_run_gets_a_quote(payload):
    assert spreadsheet_cell(payload) == "'" + payload


@pytest.mark.parametrize("text", ["Zoé", "1+1", " =1", "a=1", "", "'=1", "\n=1"])
def test_other_text_is_written_as_it_is(text):
    assert spreadsheet_cell(text) == text


@pytest.mark.parametrize(
    ("value", "comma", "point"),
    [
        (-2, -2, -2),
        (0, 0, 0),
        (True, 1, 1),
        (Decimal("-2.50"), "-2,5", "-2.5"),
        (Decimal("66.67"), "66,67", "66.67"),
        (-0.25, "-0,25", "-0.25"),
        (None, "", ""),
    ],
)
def test_numbers_stay_numbers_even_negative(value, comma, point):
    assert spreadsheet_cell(value, decimal_comma=True) == comma
    assert spreadsheet_cell(value) == point


def test_the_writer_neutralises_every_cell_of_every_row():
    stream = io.StringIO()
    writer = SpreadsheetWriter(stream)
    writer.writerow(["=1", -3, Decimal("-1.5")])
    writer.writerows([["+1", "ok"]])
    assert stream.getvalue() == "\ufeff'=1;-3;-1,5\r\n'+1;ok\r\n"


@pytest.fixture
def exported(client, db):
    """The tutor's export of a cohort whose course titles and learners'
    names carry the payloads; every learner has taken the quiz."""
    tutor = make_learner(username="tutrice")
    cohort = make_cohort(name="Mardi", tutors=[tutor])
    courses = []
    for payload in FORMULAS[:3]:
        course = make_course(title=payload)
        quiz = make_quiz(course)
        make_question(quiz)
        cohort_course_assign(cohort=cohort, course=course)
        courses.append((course, quiz))
    for n, payload in enumerate(FORMULAS):
        learner = make_learner(username=f"l{n}", display_name=payload)
        membership_join(learner=learner, cohort=cohort)
        for _course, quiz in courses:
            take(learner, quiz, passing=n % 2 == 0)
    for name in ("+1+1", "-2+3"):  # usernames may begin with + and -
        learner = make_learner(username=name)
        membership_join(learner=learner, cohort=cohort)
    client.force_login(tutor)
    url = reverse("tutor:export", args=[cohort.pk])

    def read(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        delimiter = "," if params.get("sep") == "comma" else ";"
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))

    return read


@pytest.mark.parametrize("sep", ["semicolon", "comma"])
def test_every_payload_comes_back_as_text_and_numbers_as_numbers(exported, sep):
    header, *rows = exported(sep=sep)
    # Usernames, display names and the course titles in the header.
    cells = [c for row in rows for c in row[:2]] + header
    payload_cells = [c for c in cells if any(p in c for p in FORMULAS)]
    assert len(payload_cells) >= len(FORMULAS) + 2 + 3 * 4
    for cell in payload_cells:
        assert cell.startswith("'"), cell
    names = {row[1] for row in rows}
    assert {"'" + payload for payload in FORMULAS} <= names
    for row in rows:
        for course in range(3):
            percent, score, badge = row[5 + 4 * course : 8 + 4 * course]
            assert 0 <= int(percent) <= 100
            decimal = score.replace(",", ".") if sep == "semicolon" else score
            assert score == "" or 0 <= Decimal(decimal) <= 100
            assert int(badge) in (0, 1)
    assert any(row[6] for row in rows)  # scores are there to parse
