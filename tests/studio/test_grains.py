"""A course's grains in the studio: adding a fiche, a video or a quiz
(its quiz row made with the defaults), ordering them (positions stay 1, 2,
3...), required or optional, deleting with a confirmation; and the page's
query count, fixed whatever the number of grains."""

import pytest
from django.urls import reverse

from courses.models import Unit
from quizzes.models import Quiz
from tests.factories import make_unit
from tests.studio.conftest import positions

# Query counts include the session's read: from the database on every
# database, Redis or not (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sessions_in_the_database")]


def _move(client, course, slug, direction):
    unit = course.units.get(slug=slug)
    return client.post(
        reverse("studio:unit_move", args=[course.pk, unit.pk]), {"direction": direction}
    )


def test_the_course_page_lists_the_grains_in_order_with_their_facts(author_client, draft):
    page = author_client.get(reverse("studio:course", args=[draft.pk])).content.decode()
    first, second = page.index("Un mot de passe long"), page.index("La vidéo")
    assert first < second
    assert "Fiche" in page and "Vidéo" in page and "Quiz" in page
    assert "obligatoire" in page and "Monter" in page and "Descendre" in page


def test_moving_a_grain_swaps_it_with_its_neighbour(author_client, draft):
    response = _move(author_client, draft, "video", "up")
    assert response.status_code == 302 and response.url.endswith(
        f"#unit-{draft.units.get(slug='video').pk}"
    )
    slugs = [slug for slug, _p in positions(draft)]
    assert slugs[:2] == ["video", "fiche"]
    assert [p for _s, p in positions(draft)] == [1, 2, 3]
    _move(author_client, draft, "video", "down")
    assert [slug for slug, _p in positions(draft)][:2] == ["fiche", "video"]


def test_moving_past_either_end_changes_nothing(author_client, draft):
    before = positions(draft)
    _move(author_client, draft, "fiche", "up")
    last = positions(draft)[-1][0]
    _move(author_client, draft, last, "down")
    assert positions(draft) == before


def test_a_bad_direction_is_refused_with_a_message(author_client, draft):
    before = positions(draft)
    response = _move(author_client, draft, "fiche", "sideways")
    assert response.status_code == 302
    page = author_client.get(response.url).content.decode()
    assert "Montez ou descendez un grain." in page
    assert positions(draft) == before


def test_gaps_in_positions_are_closed_when_grains_move(author_client, draft):
    draft.units.filter(slug="fiche").update(position=10)
    draft.units.filter(slug="video").update(position=40)
    _move(author_client, draft, "video", "down")
    assert [p for _s, p in positions(draft)] == [1, 2, 3]


def test_toggling_required(author_client, draft):
    fiche = draft.units.get(slug="fiche")
    url = reverse("studio:unit_required", args=[draft.pk, fiche.pk])
    author_client.post(url)
    fiche.refresh_from_db()
    assert fiche.required is False
    author_client.post(url)
    fiche.refresh_from_db()
    assert fiche.required is True


def test_deleting_asks_first_then_closes_the_gap(author_client, draft):
    video = draft.units.get(slug="video")
    url = reverse("studio:unit_delete", args=[draft.pk, video.pk])
    page = author_client.get(url).content.decode()
    assert "Supprimer le grain « La vidéo » ?" in page
    assert draft.units.filter(pk=video.pk).exists()
    author_client.post(url)
    assert not draft.units.filter(pk=video.pk).exists()
    assert [p for _s, p in positions(draft)] == [1, 2]


def test_deleting_a_quiz_grain_deletes_its_quiz(author_client, draft):
    quiz_unit = draft.units.get(kind=Unit.Kind.QUIZ)
    author_client.post(reverse("studio:unit_delete", args=[draft.pk, quiz_unit.pk]))
    assert not Quiz.objects.filter(unit_id=quiz_unit.pk).exists()


def test_adding_a_fiche_puts_it_last_with_a_slug_unique_in_the_course(author_client, draft):
    url = reverse("studio:unit_new", args=[draft.pk, "fiche"])
    data = {"title": "Un mot de passe long", "minutes": "4", "required": "on", "body": "Texte."}
    response = author_client.post(url, data)
    unit = draft.units.order_by("-id").first()
    assert response.status_code == 302
    assert response.url == reverse("studio:unit_edit", args=[draft.pk, unit.pk])
    assert unit.kind == Unit.Kind.FICHE and unit.position == 4 and unit.minutes == 4
    assert unit.slug == "un-mot-de-passe-long"  # "fiche" is the other grain's slug
    author_client.post(url, data)
    assert draft.units.order_by("-id").first().slug == "un-mot-de-passe-long-2"


def test_adding_a_quiz_grain_makes_its_quiz_with_the_defaults(author_client, draft):
    response = author_client.post(
        reverse("studio:unit_new", args=[draft.pk, "quiz"]),
        {"title": "Testez-vous", "minutes": "5", "required": "on"},
    )
    unit = draft.units.get(title="Testez-vous")
    quiz = Quiz.objects.get(unit=unit)
    assert response.status_code == 302
    assert (quiz.pass_mark, quiz.attempts_allowed, quiz.questions_per_attempt) == (70, None, None)
    assert quiz.feedback == Quiz.Feedback.AFTER_SUBMIT


def test_a_quiz_grain_links_to_its_question_editor(author_client, draft):
    quiz_unit = draft.units.get(kind=Unit.Kind.QUIZ)
    page = author_client.get(reverse("studio:course", args=[draft.pk])).content.decode()
    assert f'href="/quiz/studio/{quiz_unit.pk}/"' in page
    response = author_client.post(
        reverse("studio:unit_new", args=[draft.pk, "quiz"]),
        {"title": "Second quiz", "minutes": "5"},
    )
    new = draft.units.get(title="Second quiz")
    assert response.url == f"/quiz/studio/{new.pk}/"  # on to writing its questions


def test_a_grain_with_bad_numbers_is_refused_naming_the_field(author_client, draft):
    before = draft.units.count()
    for minutes in ["0", "-3", "abc", "9" * 5000, "70000"]:
        response = author_client.post(
            reverse("studio:unit_new", args=[draft.pk, "fiche"]),
            {"title": "Fiche", "minutes": minutes, "body": "Texte."},
        )
        assert response.status_code == 200, minutes
        assert "Durée estimée (minutes) :" in response.content.decode(), minutes
    assert draft.units.count() == before


def test_a_fiche_needs_a_title_and_a_text(author_client, draft):
    before = draft.units.count()
    response = author_client.post(
        reverse("studio:unit_new", args=[draft.pk, "fiche"]),
        {"title": "", "minutes": "5", "body": "   "},
    )
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page and "Écrivez le texte de la fiche." in page
    assert draft.units.count() == before


@pytest.mark.parametrize("size", [2, 20])
def test_the_course_page_takes_the_same_queries_whatever_the_grains(
    author_client, draft, size, django_assert_num_queries
):
    draft.units.all().delete()
    for n in range(size):
        make_unit(draft, slug=f"g{n}", position=n + 1)
    url = reverse("studio:course", args=[draft.pk])
    # session, user, course, "is an author of it", latest proposal, grains
    with django_assert_num_queries(6):
        response = author_client.get(url)
    assert response.content.decode().count('class="studio-unit"') == size
