"""Courses and units: named constraints both ways, derived HTML, the
catalogue querysets, and the DigComp 2.2 framework loaded by migration."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from courses.models import Competence, CompetenceArea, Course, Unit
from tests.factories import make_course, make_unit, make_user

pytestmark = pytest.mark.django_db


def _unit(course, **fields) -> Unit:
    """An unsaved, otherwise valid fiche."""
    values = {
        "slug": "fiche",
        "title": "Fiche",
        "kind": Unit.Kind.FICHE,
        "minutes": 5,
        "body": "Texte.",
    }
    values.update(fields)
    return Unit(course=course, **values)


# courses_unit_slug_unique


def test_full_clean_refuses_a_second_unit_with_the_same_slug_in_a_course():
    course = make_course()
    make_unit(course, slug="fiche")

    with pytest.raises(ValidationError) as excinfo:
        _unit(course, slug="fiche").full_clean()

    assert "__all__" in excinfo.value.message_dict


def test_database_refuses_a_second_unit_with_the_same_slug_in_a_course():
    course = make_course()
    make_unit(course, slug="fiche")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_unit(course, slug="fiche")


def test_same_unit_slug_is_allowed_in_two_courses():
    make_unit(make_course(), slug="fiche")
    unit = _unit(make_course(), slug="fiche")

    unit.full_clean()
    unit.save()


# courses_unit_minutes_positive


def test_full_clean_refuses_zero_minutes():
    with pytest.raises(ValidationError) as excinfo:
        _unit(make_course(), minutes=0).full_clean()

    assert "minutes" in excinfo.value.message_dict


def test_minutes_constraint_is_checked_by_name_in_python():
    with pytest.raises(ValidationError) as excinfo:
        _unit(make_course(), minutes=0).validate_constraints()

    assert "courses_unit_minutes_positive" in str(excinfo.value)


def test_database_refuses_zero_minutes():
    course = make_course()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_unit(course, minutes=0)

    assert "courses_unit_minutes_positive" in str(excinfo.value)


def test_one_minute_is_enough():
    unit = _unit(make_course(), minutes=1)

    unit.full_clean()
    unit.save()


# courses_unit_video_has_source


def test_full_clean_refuses_a_video_unit_without_link_or_file():
    unit = _unit(make_course(), kind=Unit.Kind.VIDEO, video_url="", transcript="Ce qui est dit.")

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        unit.full_clean()
    with translation.override("en"):
        assert excinfo.value.message_dict["__all__"] == [
            "A video grain needs a video link or a video file."
        ]


def test_database_refuses_a_video_unit_without_link_or_file():
    course = make_course()

    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_unit(course, kind=Unit.Kind.VIDEO, video_url="")

    assert "courses_unit_video_has_source" in str(excinfo.value)


def test_video_unit_with_an_uploaded_file_needs_no_link():
    unit = _unit(make_course(), kind=Unit.Kind.VIDEO, video_url="", video_file="videos/clip.mp4")

    unit.full_clean()
    unit.save()


def test_fiche_needs_no_video_source():
    unit = _unit(make_course(), kind=Unit.Kind.FICHE, video_url="")

    unit.full_clean()
    unit.save()


def test_full_clean_refuses_a_video_link_outside_the_allow_list():
    unit = _unit(
        make_course(), kind=Unit.Kind.VIDEO, video_url="https://evil.example/watch?v=dQw4w9WgXcQ"
    )

    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()

    assert "video_url" in excinfo.value.message_dict


# Derived HTML


def test_course_description_html_follows_the_markdown_on_save():
    course = make_course(description="# Objectifs")
    assert course.description_html == "<h2>Objectifs</h2>"

    course.description = "**Nouveau** texte"
    course.save()

    course.refresh_from_db()
    assert course.description_html == "<p><strong>Nouveau</strong> texte</p>"


def test_unit_body_and_transcript_html_follow_the_markdown_on_save():
    unit = make_unit(make_course(), body="*un*", transcript="")
    assert unit.body_html == "<p><em>un</em></p>"
    assert unit.transcript_html == ""

    unit.body = "<script>alert(1)</script>"
    unit.transcript = "- dit"
    unit.save()

    unit.refresh_from_db()
    assert unit.body_html == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert unit.transcript_html == "<ul>\n<li>dit</li>\n</ul>"


# Querysets


def test_published_keeps_only_published_courses():
    published = make_course()
    for status in (Course.Status.DRAFT, Course.Status.IN_REVIEW, Course.Status.ARCHIVED):
        make_course(status=status)

    assert list(Course.objects.published()) == [published]


def test_with_totals_counts_units_and_sums_minutes():
    course = make_course()
    make_unit(course, minutes=5)
    make_unit(course, minutes=7)
    make_unit(course, kind=Unit.Kind.VIDEO, minutes=3)
    empty = make_course()

    totals = {c.pk: (c.unit_count, c.total_minutes) for c in Course.objects.with_totals()}

    assert totals[course.pk] == (3, 15)
    assert totals[empty.pk] == (0, None)


@pytest.fixture
def catalogue(author):
    published = make_course(title="A publié")
    draft = make_course(title="B brouillon", status=Course.Status.DRAFT)
    draft.authors.add(author)
    in_review = make_course(title="C relecture", status=Course.Status.IN_REVIEW)
    return {"author": author, "published": published, "draft": draft, "in_review": in_review}


def test_anonymous_sees_only_published_courses(catalogue):
    assert list(Course.objects.visible_to(AnonymousUser())) == [catalogue["published"]]


def test_learner_sees_only_published_courses(catalogue, learner):
    assert list(Course.objects.visible_to(learner)) == [catalogue["published"]]


def test_author_sees_their_draft_and_published_courses(catalogue):
    visible = list(Course.objects.visible_to(catalogue["author"]))

    assert visible == [catalogue["published"], catalogue["draft"]]


def test_another_author_does_not_see_someone_elses_draft(catalogue):
    other_author = make_user()
    make_course(status=Course.Status.DRAFT).authors.add(other_author)

    assert catalogue["draft"] not in Course.objects.visible_to(other_author)


def test_staff_sees_every_course(catalogue, staff):
    visible = set(Course.objects.visible_to(staff))

    assert visible == {catalogue["published"], catalogue["draft"], catalogue["in_review"]}


def test_totals_are_not_multiplied_by_the_number_of_authors():
    authors = [make_user() for _ in range(3)]
    course = make_course()
    course.authors.add(*authors)
    make_unit(course, minutes=5)
    make_unit(course, minutes=10)

    row = Course.objects.visible_to(authors[0]).with_totals().get(pk=course.pk)
    # The other order, as a view may chain them.
    row_other_order = Course.objects.with_totals().visible_to(authors[1]).get(pk=course.pk)

    assert (row.unit_count, row.total_minutes) == (2, 15)
    assert (row_other_order.unit_count, row_other_order.total_minutes) == (2, 15)


def test_course_with_several_authors_is_listed_once():
    authors = [make_user() for _ in range(3)]
    course = make_course(status=Course.Status.DRAFT)
    course.authors.add(*authors)

    assert list(Course.objects.visible_to(authors[2]).with_totals()) == [course]


# DigComp 2.2, loaded by migration 0002


def test_digcomp_framework_has_five_areas_and_twenty_one_competences():
    assert list(CompetenceArea.objects.values_list("code", flat=True)) == ["1", "2", "3", "4", "5"]
    assert Competence.objects.count() == 21
    per_area = {area.code: area.competences.count() for area in CompetenceArea.objects.all()}
    assert per_area == {"1": 3, "2": 6, "3": 4, "4": 4, "5": 4}


def test_every_digcomp_entry_has_a_french_and_an_english_name():
    for item in [*CompetenceArea.objects.all(), *Competence.objects.all()]:
        assert item.name_fr.strip() and item.name_en.strip(), item.code


def test_competence_belongs_to_the_area_of_its_code():
    for competence in Competence.objects.select_related("area"):
        assert competence.code.split(".")[0] == competence.area.code


def test_competence_4_2_has_its_french_and_english_names():
    competence = Competence.objects.get(code="4.2")

    assert competence.name_fr.startswith("Protéger")
    assert competence.name_en == "Protecting personal data and privacy"
    assert competence.area.name_fr == "Sécurité"


def test_competence_name_follows_the_active_language():
    competence = Competence.objects.get(code="4.2")
    area = competence.area

    with translation.override("fr"):
        assert competence.name == "Protéger ses données personnelles et sa vie privée"
        assert area.name == "Sécurité"
        assert str(competence) == "4.2 Protéger ses données personnelles et sa vie privée"
    with translation.override("en"):
        assert competence.name == "Protecting personal data and privacy"
        assert area.name == "Safety"
        assert str(area) == "4. Safety"


def test_name_falls_back_to_the_other_language_when_one_is_missing():
    area = CompetenceArea(code="9", name_fr="", name_en="Only English")

    with translation.override("fr"):
        assert area.name == "Only English"
