"""The CSV export, byte for byte: UTF-8 with a BOM, ";" and decimal commas
by default, "," and decimal points on request, CRLF line ends, learners by
name, numbers as numbers and dates in ISO 8601."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from progress.exports import cohort_csv_filename, write_cohort_csv
from progress.tutor_selectors import FLAG_FAILING, FLAG_LATE, Cell, CohortTable, Row


class Learner(SimpleNamespace):
    def __str__(self) -> str:
        return self.name


@pytest.fixture
def table():
    courses = [SimpleNamespace(title="Tableur"), SimpleNamespace(title="Courriel; pièces")]
    assignments = [
        SimpleNamespace(course=courses[0], due_date=date(2026, 12, 1)),
        SimpleNamespace(course=courses[1], due_date=None),
    ]
    rows = [
        Row(
            learner=Learner(username="zoe", name="Zoé Éluard"),
            joined_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
            last_activity=datetime(2026, 2, 1, 23, 30, tzinfo=UTC),  # 2 Feb in Paris
            cells=[
                Cell(percent=66, best_score=Decimal("66.67"), badge=False),
                Cell(percent=100, best_score=Decimal("50.00"), badge=True),
            ],
            flags=[FLAG_FAILING, FLAG_LATE],
        ),
        Row(
            learner=Learner(username="abel", name="Abel"),
            joined_at=None,
            last_activity=None,
            cells=[Cell(), Cell(best_score=Decimal("72.50"))],
        ),
    ]
    return CohortTable(cohort=SimpleNamespace(pk=7), assignments=assignments, rows=rows)


def _write(table, **kwargs) -> str:
    stream = io.StringIO()
    with translation.override("fr"):
        write_cohort_csv(stream, table, **kwargs)
    return stream.getvalue()


HEADER_FR = (
    "Nom d’utilisateur;Nom;Arrivé·e le;Dernière activité;Alertes;"
    "Tableur : % terminé;Tableur : meilleur score au quiz;Tableur : badge (1 = obtenu);"
    "Tableur : échéance;"
    '"Courriel; pièces : % terminé";"Courriel; pièces : meilleur score au quiz";'
    '"Courriel; pièces : badge (1 = obtenu)";"Courriel; pièces : échéance"\r\n'
)


def test_default_csv_is_semicolons_and_decimal_commas(table):
    text = _write(table)
    assert text == (
        "\ufeff"
        + HEADER_FR
        + "abel;Abel;;;;0;;0;2026-12-01;0;72,5;0;\r\n"
        + "zoe;Zoé Éluard;2026-01-05;2026-02-02;Bloqué sur un quiz, En retard;"
        + "66;66,67;0;2026-12-01;100;50;1;\r\n"
    )


def test_comma_csv_is_commas_and_decimal_points(table):
    lines = _write(table, comma=True).split("\r\n")
    assert lines[0].startswith("\ufeffNom d’utilisateur,Nom,")
    assert lines[1] == "abel,Abel,,,,0,,0,2026-12-01,0,72.5,0,"
    assert lines[2] == (
        'zoe,Zoé Éluard,2026-01-05,2026-02-02,"Bloqué sur un quiz, En retard",'
        "66,66.67,0,2026-12-01,100,50,1,"
    )


def test_filename_names_the_cohort_and_the_day(table):
    assert cohort_csv_filename(table, today=date(2026, 3, 9)) == "cohorte-7-2026-03-09.csv"
