"""Course files credit people, an organisation and the work a course adapts
(content/README.md: authors, organisation, source); the
demo courses credit their organisation, never a made-up team name."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from courses.attribution import attribution
from courses.models import Course
from tests.courses.test_load_content import course_files, load, load_failing, write_course

pytestmark = pytest.mark.django_db

AUTHORS = "authors:\n  - Équipe pédagogique\n  - Ada\n"


def _files(credits: str) -> dict[str, str]:
    files = course_files()
    files["course.md"] = files["course.md"].replace(AUTHORS, credits)
    return files


def test_organisation_and_source_are_loaded(tmp_path):
    credits = (
        "authors:\n  - Ada Lovelace\norganisation: Les Ateliers\n"
        "source:\n  title: Guide du tableur\n  url: https://example.org/guide\n"
    )
    load(write_course(tmp_path, _files(credits)))
    course = Course.objects.get()
    assert (course.credits, course.organisation) == ("Ada Lovelace", "Les Ateliers")
    assert (course.source_title, course.source_url) == (
        "Guide du tableur",
        "https://example.org/guide",
    )


def test_an_organisation_alone_is_enough(tmp_path):
    load(write_course(tmp_path, _files("organisation: Les Ateliers\n")))
    course = Course.objects.get()
    assert (course.credits, course.organisation) == ("", "Les Ateliers")


@pytest.mark.parametrize(
    ("credits", "field"),
    [
        ("organisation: Les Ateliers\nsource:\n  url: javascript:alert(1)\n", "source.url"),
        ("organisation: Les Ateliers\nsource:\n  url: pas une adresse\n", "source.url"),
        ("organisation: " + "x" * 201 + "\n", "organisation"),
        ("organisation: Les Ateliers\nsource:\n  title: " + "x" * 301 + "\n", "title"),
        ("organisation: ''\n", "authors"),
    ],
)
def test_bad_credits_load_nothing_and_name_the_field(tmp_path, credits, field):
    error, stderr = load_failing(write_course(tmp_path, _files(credits)))
    assert f": {field}:" in stderr
    assert not Course.objects.exists()


def test_the_demo_course_credits_its_organisation():
    load(Path(settings.BASE_DIR) / "content" / "securiser-ses-mots-de-passe")
    course = Course.objects.get(slug="securiser-ses-mots-de-passe")
    with translation.override("fr"):
        text = attribution(course).text
    assert text == (
        "« Sécuriser ses mots de passe et ses comptes », par Grains numériques, "
        "sous licence CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/deed.fr)."
    )
    for course_file in (Path(settings.BASE_DIR) / "content").glob("*/course.md"):
        assert "Équipe pédagogique" not in course_file.read_text(encoding="utf-8"), course_file
