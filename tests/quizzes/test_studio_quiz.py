"""The studio's quiz editor (quizzes.studio_views): who may use it, what
each kind of question saves and how the learner side then scores it, the
rules of each kind, bad input, and the page's queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courses.models import Course, Unit
from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    make_course,
    make_learner,
    make_question,
    make_quiz,
    make_unit,
    make_user,
)

# Query counts include the session's read: from the database on every
# database, Redis or not (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sessions_in_the_database")]


# Who is who


@pytest.fixture
def studio_author(db):
    return make_user(username="autrice-quiz", is_author=True)


@pytest.fixture
def draft(studio_author):
    course = make_course(status=Course.Status.DRAFT, competences=())
    course.authors.add(studio_author)
    return course


@pytest.fixture
def quiz(draft):
    """A quiz of two single-choice questions in the author's draft."""
    quiz = make_quiz(draft)
    make_question(quiz, prompt="Première ?")
    make_question(quiz, prompt="Deuxième ?")
    return quiz


@pytest.fixture
def other_quiz(db):
    """A quiz of another author's draft, with one question."""
    owner = make_user(username="autre-autrice", is_author=True)
    course = make_course(status=Course.Status.DRAFT)
    course.authors.add(owner)
    quiz = make_quiz(course)
    make_question(quiz, prompt="Ailleurs ?")
    return quiz


def _author_of_another_course():
    user = make_user(username="autre", is_author=True)
    make_course(status=Course.Status.DRAFT).authors.add(user)
    return user


PERSONAS = {
    "learner": lambda: make_learner(username="apprenant"),
    "author-of-another-course": _author_of_another_course,
    "staff-without-is-author": lambda: make_user(
        username="admin", is_staff=True, is_superuser=True
    ),
    # An author of the course who lacks the author role (is_author off).
    "listed-author-without-the-role": None,
}


def state(quiz: Quiz):
    """Everything the editor can change, to check that nothing did."""
    quiz = Quiz.objects.get(pk=quiz.pk)
    questions = list(
        Question.objects.filter(quiz=quiz)
        .order_by("id")
        .values_list(
            "id",
            "position",
            "kind",
            "prompt",
            "explanation",
            "points",
            "accepted_answers",
            "numeric_answer",
            "tolerance",
        )
    )
    choices = list(
        Choice.objects.filter(question__quiz=quiz)
        .order_by("id")
        .values_list("id", "question_id", "position", "text", "is_correct", "feedback")
    )
    settings = (
        quiz.pass_mark,
        quiz.attempts_allowed,
        quiz.questions_per_attempt,
        quiz.shuffle_questions,
        quiz.shuffle_choices,
        quiz.feedback,
    )
    return settings, questions, choices


def choice_rows(*rows, initial: int = 0, total: int | None = None) -> dict:
    """The POST data of the choices formset: rows of (text, correct[, feedback[, delete]])."""
    data = {
        "choices-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "choices-INITIAL_FORMS": str(initial),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        text, correct, *rest = row
        data[f"choices-{index}-text"] = text
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
        data[f"choices-{index}-feedback"] = rest[0] if rest else ""
        if len(rest) > 1 and rest[1]:
            data[f"choices-{index}-DELETE"] = "on"
    return data


def settings_data(**changes) -> dict:
    data = {
        "pass_mark": "80",
        "attempts_allowed": "3",
        "questions_per_attempt": "",
        "shuffle_questions": "on",
        "feedback": Quiz.Feedback.AFTER_PASS,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def single_data(choices: dict | None = None, **changes) -> dict:
    """A single-choice question's POST data; ``choices`` from ``choice_rows``."""
    data = {"prompt": "Quelle **clé** ?", "explanation": "Parce que.", "points": "1"}
    data.update(choices or choice_rows(("A", True, "Oui"), ("B", False, "Non"), ("", False)))
    data.update(changes)
    return data


# Every view, for every persona


def _views(quiz: Quiz) -> list[tuple[str, str, dict]]:
    """(method, url, data) of each view, with data that would change something."""
    unit = quiz.unit.pk
    first, second = quiz.questions.order_by("position")
    return [
        ("get", reverse("quizzes:studio_quiz", args=[unit]), {}),
        ("post", reverse("quizzes:studio_quiz_settings", args=[unit]), settings_data()),
        ("get", reverse("quizzes:studio_question_new", args=[unit]) + "?kind=single", {}),
        (
            "post",
            reverse("quizzes:studio_question_new", args=[unit]) + "?kind=single",
            single_data(),
        ),
        ("get", reverse("quizzes:studio_question_edit", args=[unit, first.pk]), {}),
        (
            "post",
            reverse("quizzes:studio_question_edit", args=[unit, first.pk]),
            single_data(prompt="Changée ?"),
        ),
        (
            "post",
            reverse("quizzes:studio_question_move", args=[unit, second.pk]),
            {"direction": "up"},
        ),
        ("get", reverse("quizzes:studio_question_delete", args=[unit, first.pk]), {}),
        ("post", reverse("quizzes:studio_question_delete", args=[unit, first.pk]), {}),
    ]


VIEW_IDS = [
    "quiz",
    "settings",
    "new-get",
    "new-post",
    "edit-get",
    "edit-post",
    "move",
    "delete-get",
    "delete-post",
]


@pytest.mark.parametrize("index", range(len(VIEW_IDS)), ids=VIEW_IDS)
def test_anonymous_visitor_is_sent_to_log_in_and_changes_nothing(client, quiz, index):
    method, url, data = _views(quiz)[index]
    before = state(quiz)
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert state(quiz) == before


@pytest.mark.parametrize("persona", PERSONAS, ids=PERSONAS)
@pytest.mark.parametrize("index", range(len(VIEW_IDS)), ids=VIEW_IDS)
def test_anyone_but_the_course_author_is_refused_and_changes_nothing(
    client, quiz, draft, index, persona
):
    if PERSONAS[persona] is None:
        user = make_user(username="sans-role")
        draft.authors.add(user)
    else:
        user = PERSONAS[persona]()
    method, url, data = _views(quiz)[index]
    before = state(quiz)
    client.force_login(user)
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert state(quiz) == before


@pytest.mark.parametrize("status", [Course.Status.IN_REVIEW, Course.Status.PUBLISHED])
@pytest.mark.parametrize("index", range(len(VIEW_IDS)), ids=VIEW_IDS)
def test_the_author_cannot_edit_once_the_course_is_in_review_or_published(
    client, studio_author, quiz, draft, index, status
):
    Course.objects.filter(pk=draft.pk).update(status=status)
    method, url, data = _views(quiz)[index]
    before = state(quiz)
    client.force_login(studio_author)
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert state(quiz) == before


@pytest.mark.parametrize("index", range(len(VIEW_IDS)), ids=VIEW_IDS)
def test_the_course_author_may_use_every_view_of_a_draft(client, studio_author, quiz, index):
    method, url, data = _views(quiz)[index]
    before = state(quiz)
    client.force_login(studio_author)
    response = getattr(client, method)(url, data)
    if method == "get":
        assert response.status_code == 200
        assert state(quiz) == before
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("quizzes:studio_quiz", args=[quiz.unit.pk]))
        assert state(quiz) != before


def test_a_grain_that_is_not_a_quiz_or_does_not_exist_is_404(client, studio_author, draft):
    fiche = make_unit(draft)
    client.force_login(studio_author)
    assert client.get(reverse("quizzes:studio_quiz", args=[fiche.pk])).status_code == 404
    assert client.get(reverse("quizzes:studio_quiz", args=[987654])).status_code == 404
    assert client.get(f"/quiz/studio/{'9' * 30}/").status_code == 404


# The quiz page


def test_quiz_page_lists_the_questions_in_order_with_their_actions(client, studio_author, quiz):
    first, second = quiz.questions.order_by("position")
    client.force_login(studio_author)
    page = client.get(reverse("quizzes:studio_quiz", args=[quiz.unit.pk])).content.decode()
    assert page.index("Première ?") < page.index("Deuxième ?")
    assert reverse("quizzes:studio_question_edit", args=[quiz.unit.pk, first.pk]) in page
    assert reverse("quizzes:studio_question_delete", args=[quiz.unit.pk, second.pk]) in page
    assert 'name="direction" value="up"' in page and 'name="direction" value="down"' in page
    # The feedback policies, each explained.
    assert "Après chaque tentative" in page and "Jamais" in page
    assert "seulement une fois le quiz réussi ou les tentatives épuisées" in page


def test_a_quiz_grain_without_a_quiz_yet_gets_one_on_the_first_save(client, studio_author, draft):
    unit = make_unit(draft, kind=Unit.Kind.QUIZ)
    client.force_login(studio_author)
    assert client.get(reverse("quizzes:studio_quiz", args=[unit.pk])).status_code == 200
    assert not Quiz.objects.filter(unit=unit).exists()
    response = client.post(
        reverse("quizzes:studio_question_new", args=[unit.pk]) + "?kind=single", single_data()
    )
    assert response.status_code == 302
    assert Quiz.objects.get(unit=unit).questions.count() == 1


def test_settings_are_saved(client, studio_author, quiz):
    client.force_login(studio_author)
    response = client.post(
        reverse("quizzes:studio_quiz_settings", args=[quiz.unit.pk]),
        settings_data(questions_per_attempt="2", attempts_allowed=""),
    )
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert (quiz.pass_mark, quiz.attempts_allowed, quiz.questions_per_attempt) == (80, None, 2)
    assert (quiz.shuffle_questions, quiz.shuffle_choices) == (True, False)
    assert quiz.feedback == Quiz.Feedback.AFTER_PASS


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pass_mark": "101"}, "pass_mark", "inférieure ou égale à 100"),
        ({"pass_mark": "-1"}, "pass_mark", "supérieure ou égale à 0"),
        ({"pass_mark": "soixante"}, "pass_mark", "Saisissez un nombre entier"),
        ({"questions_per_attempt": "3"}, "questions_per_attempt", "Le quiz a 2 questions"),
        ({"questions_per_attempt": "0"}, "questions_per_attempt", "supérieure ou égale à 1"),
        ({"attempts_allowed": "0"}, "attempts_allowed", "supérieure ou égale à 1"),
        ({"feedback": "always"}, "feedback", "Sélectionnez un choix valide"),
    ],
)
def test_settings_that_break_a_rule_are_refused_and_keep_what_was_typed(
    client, studio_author, quiz, changes, field, message
):
    before = state(quiz)
    client.force_login(studio_author)
    response = client.post(
        reverse("quizzes:studio_quiz_settings", args=[quiz.unit.pk]), settings_data(**changes)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert response.context["form"].errors[field]
    if field != "feedback":  # radios: the valid choices only
        assert f'value="{next(iter(changes.values()))}"' in page
    assert state(quiz) == before


def test_moving_a_question_up_and_down_swaps_it_with_its_neighbour(client, studio_author, quiz):
    third = make_question(quiz, prompt="Troisième ?")
    first, second = quiz.questions.order_by("position")[:2]
    client.force_login(studio_author)
    url = reverse("quizzes:studio_question_move", args=[quiz.unit.pk, third.pk])

    client.post(url, {"direction": "up"})
    assert list(quiz.questions.order_by("position")) == [first, third, second]
    client.post(url, {"direction": "down"})
    client.post(url, {"direction": "down"})  # already last: stays
    assert list(quiz.questions.order_by("position")) == [first, second, third]
    before = state(quiz)
    response = client.post(url, {"direction": "sideways"})
    assert response.status_code == 302
    assert state(quiz) == before


def test_deleting_asks_first_then_removes_the_question_and_its_choices(client, studio_author, quiz):
    first = quiz.questions.order_by("position").first()
    client.force_login(studio_author)
    url = reverse("quizzes:studio_question_delete", args=[quiz.unit.pk, first.pk])
    page = client.get(url).content.decode()
    assert "Supprimer cette question ?" in page and "Première ?" in page
    assert Question.objects.filter(pk=first.pk).exists()

    assert client.post(url).status_code == 302
    assert not Question.objects.filter(pk=first.pk).exists()
    assert not Choice.objects.filter(question_id=first.pk).exists()


def test_deleting_below_the_questions_drawn_is_refused(client, studio_author, quiz):
    Quiz.objects.filter(pk=quiz.pk).update(questions_per_attempt=2)
    first = quiz.questions.order_by("position").first()
    before = state(quiz)
    client.force_login(studio_author)
    response = client.post(
        reverse("quizzes:studio_question_delete", args=[quiz.unit.pk, first.pk]), follow=True
    )
    assert "abaissez ce nombre" in response.content.decode()
    assert state(quiz) == before


# Each kind: created, edited, then scored by the learner side


def _publish(quiz: Quiz) -> None:
    # A test shortcut past the committee: only the learner side is under test here.
    Course.objects.filter(pk=quiz.unit.course_id).update(status=Course.Status.PUBLISHED)


def _attempt(quiz: Quiz, answer) -> Attempt:
    """A learner's attempt at the quiz's only question, answered with
    ``answer``: choice texts (a list) or the text typed."""
    learner = make_learner()
    quiz = Quiz.objects.get(pk=quiz.pk)
    attempt = attempt_start(learner=learner, quiz=quiz)
    question = quiz.questions.get()
    if isinstance(answer, list):
        values = [str(question.choices.get(text=text).pk) for text in answer]
    else:
        values = [answer]
    return attempt_submit(learner=learner, attempt=attempt, answers={str(question.pk): values})


KINDS = {
    "single": (
        single_data(),
        single_data(choice_rows(("A", False), ("B", True), ("C", False), initial=2)),
        [(["B"], True), (["A"], False), ([], False)],
    ),
    "multiple": (
        {
            "prompt": "Lesquelles ?",
            "points": "2",
            **choice_rows(("A", True), ("B", False), ("C", True)),
        },
        {
            "prompt": "Lesquelles ?",
            "points": "2",
            **choice_rows(("A", True), ("B", True), ("C", False, "", True), initial=3),
        },
        [(["A", "B"], True), (["A"], False), (["B"], False)],
    ),
    "true_false": (
        {"prompt": "Vrai ?", "points": "1", "true_false_answer": "true"},
        {
            "prompt": "Vrai ?",
            "points": "1",
            "true_false_answer": "false",
            "feedback_true": "Non.",
            "feedback_false": "Oui.",
        },
        [(["Faux"], True), (["Vrai"], False)],
    ),
    "short_text": (
        {"prompt": "Le sigle ?", "points": "1", "accepted": "2FA"},
        {"prompt": "Le sigle ?", "points": "1", "accepted": "Double authentification\n\nA2F\n"},
        [("double AUTHENTIFICATION ", True), ("a2f", True), ("2FA", False)],
    ),
    "numeric": (
        {"prompt": "Combien ?", "points": "1", "numeric_answer": "12", "tolerance": "0"},
        {"prompt": "Combien ?", "points": "1", "numeric_answer": "3,5", "tolerance": "0.1"},
        [("3,6", True), ("3.4", True), ("3,61", False), ("12", False)],
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_created_edited_and_scored_by_the_learner_side(
    client, studio_author, draft, kind
):
    created, edited, answers = KINDS[kind]
    quiz = make_quiz(draft, pass_mark=100)
    client.force_login(studio_author)

    new_url = reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + f"?kind={kind}"
    assert client.get(new_url).status_code == 200
    response = client.post(new_url, created)
    assert response.status_code == 302, response.context and response.context["form"].errors
    question = quiz.questions.get()
    assert question.kind == kind

    edit_url = reverse("quizzes:studio_question_edit", args=[quiz.unit.pk, question.pk])
    form_page = client.get(edit_url)
    assert form_page.status_code == 200
    response = client.post(edit_url, edited)
    assert response.status_code == 302, response.context and (
        response.context["form"].errors,
        response.context["formset"] and response.context["formset"].non_form_errors(),
    )
    assert quiz.questions.get().pk == question.pk  # changed in place
    if kind == "multiple":  # the row ticked "delete" is gone
        assert list(question.choices.values_list("text", flat=True)) == ["A", "B"]

    _publish(quiz)
    for answer, passes in answers:
        attempt = _attempt(quiz, answer)
        assert attempt.passed is passes, (answer, attempt.score)


def test_a_saved_question_comes_back_in_its_form(client, studio_author, draft):
    quiz = make_quiz(draft)
    client.force_login(studio_author)
    url = reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + "?kind=numeric"
    client.post(
        url, {"prompt": "Combien ?", "points": "3", "numeric_answer": "3,5", "tolerance": "0,25"}
    )
    question = quiz.questions.get()
    assert (question.numeric_answer, question.tolerance, question.points) == (
        Decimal("3.5"),
        Decimal("0.25"),
        3,
    )
    page = client.get(
        reverse("quizzes:studio_question_edit", args=[quiz.unit.pk, question.pk])
    ).content.decode()
    assert 'value="3.5"' in page and 'value="0.25"' in page and "Combien ?" in page


def test_true_false_choices_follow_the_course_language(client, studio_author, draft):
    Course.objects.filter(pk=draft.pk).update(language="en")
    quiz = make_quiz(draft)
    client.force_login(studio_author)
    client.post(
        reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + "?kind=true_false",
        {"prompt": "Right?", "points": "1", "true_false_answer": "true"},
    )
    choices = quiz.questions.get().choices.order_by("position")
    assert [(c.text, c.is_correct) for c in choices] == [("True", True), ("False", False)]


# The rules of each kind


RULE_BREAKS = {
    "single-without-correct": (
        "single",
        single_data(choice_rows(("A", False), ("B", False))),
        "exactement une bonne réponse",
    ),
    "single-with-two-correct": (
        "single",
        single_data(choice_rows(("A", True), ("B", True))),
        "exactement une bonne réponse (2 cochées)",
    ),
    "single-with-one-choice": (
        "single",
        single_data(choice_rows(("A", True), ("", False))),
        "au moins deux choix",
    ),
    "multiple-without-correct": (
        "multiple",
        {"prompt": "Q ?", "points": "1", **choice_rows(("A", False), ("B", False))},
        "au moins une bonne réponse",
    ),
    "short-text-without-accepted": (
        "short_text",
        {"prompt": "Q ?", "points": "1", "accepted": " \n  \n"},
        "au moins une réponse acceptée",
    ),
    "numeric-without-answer": (
        "numeric",
        {"prompt": "Q ?", "points": "1", "numeric_answer": "", "tolerance": "0"},
        "la bonne réponse, un nombre",
    ),
    "numeric-not-a-number": (
        "numeric",
        {"prompt": "Q ?", "points": "1", "numeric_answer": "douze", "tolerance": "0"},
        "Saisissez un nombre, par exemple 12 ou 3,5",
    ),
    "negative-tolerance": (
        "numeric",
        {"prompt": "Q ?", "points": "1", "numeric_answer": "12", "tolerance": "-0,5"},
        "La tolérance ne peut pas être négative",
    ),
    "too-many-decimals": (
        "numeric",
        {"prompt": "Q ?", "points": "1", "numeric_answer": "1,123456", "tolerance": "0"},
        "au plus 4 décimales",
    ),
    "huge-number": (
        "numeric",
        {"prompt": "Q ?", "points": "1", "numeric_answer": "99999999999", "tolerance": "0"},
        "inférieur à 10",
    ),
    "true-false-without-answer": (
        "true_false",
        {"prompt": "Q ?", "points": "1"},
        "Ce champ est obligatoire",
    ),
    "empty-prompt": ("single", single_data(prompt="   "), "Ce champ est obligatoire"),
    "control-characters": ("single", single_data(prompt="Quoi\x1b ?"), "caractères de contrôle"),
    "control-characters-in-a-choice": (
        "single",
        single_data(choice_rows(("A\u202e", True), ("B", False))),
        "caractères invisibles",
    ),
    "huge-prompt": ("single", single_data(prompt="x" * 100_000), "au plus 5000 caractères"),
    "points-zero": ("single", single_data(points="0"), "supérieure ou égale à 1"),
    "points-too-many": ("single", single_data(points="101"), "inférieure ou égale à 100"),
    "unknown-competence": (
        "single",
        single_data(competence="987654"),
        "Choisissez une des options proposées",
    ),
    "competence-not-an-id": (
        "single",
        single_data(competence="٣"),
        "Choisissez une des options proposées",
    ),
    "choice-correct-without-text": (
        "single",
        single_data(choice_rows(("A", True), ("B", False), ("", True))),
        "Ce champ est obligatoire",
    ),
}


@pytest.mark.parametrize(("kind", "data", "message"), RULE_BREAKS.values(), ids=RULE_BREAKS)
def test_a_new_question_that_breaks_a_rule_says_so_keeps_the_input_and_saves_nothing(
    client, studio_author, quiz, kind, data, message
):
    before = state(quiz)
    client.force_login(studio_author)
    url = reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + f"?kind={kind}"
    for extra in ({}, {"preview": "1"}):
        response = client.post(url, {**data, **extra})
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page, page[page.find("message-error") :][:1500]
        assert "Rien n’est encore enregistré" in page
        assert response.context["preview"] is None
        assert state(quiz) == before
    if len(data.get("prompt", "")) < 1000 and data.get("prompt", "").strip():
        assert data["prompt"].replace("*", "") in page.replace("*", "")


def test_an_edit_that_breaks_a_rule_changes_nothing(client, studio_author, quiz):
    question = quiz.questions.order_by("position").first()
    before = state(quiz)
    client.force_login(studio_author)
    response = client.post(
        reverse("quizzes:studio_question_edit", args=[quiz.unit.pk, question.pk]),
        single_data(choice_rows(("A", True), ("B", True), initial=2), prompt="Nouvelle ?"),
    )
    assert response.status_code == 200
    assert "exactement une bonne réponse" in response.content.decode()
    assert 'value="A"' in response.content.decode()
    assert state(quiz) == before


@pytest.mark.parametrize(
    "management",
    [
        {"choices-TOTAL_FORMS": "100000"},
        {"choices-TOTAL_FORMS": "x"},
        {"choices-TOTAL_FORMS": None, "choices-INITIAL_FORMS": None},
    ],
    ids=["huge-total", "not-a-number", "missing"],
)
def test_a_tampered_choice_formset_is_refused_and_saves_nothing(
    client, studio_author, quiz, management
):
    data = single_data(choice_rows(*[(f"C{i}", i == 0) for i in range(25)]))
    data.update(management)
    data = {k: v for k, v in data.items() if v is not None}
    before = state(quiz)
    client.force_login(studio_author)
    response = client.post(
        reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + "?kind=single", data
    )
    assert response.status_code == 200
    assert state(quiz) == before


def test_an_unknown_kind_sends_back_to_the_quiz_with_a_message(client, studio_author, quiz):
    client.force_login(studio_author)
    url = reverse("quizzes:studio_question_new", args=[quiz.unit.pk])
    before = state(quiz)
    for query in ("?kind=essay", "", "?kind=%00"):
        response = client.post(url + query, single_data(), follow=True)
        assert "Choisissez le type de question" in response.content.decode()
    assert state(quiz) == before


# Preview


def test_preview_shows_the_question_as_the_learner_will_and_saves_nothing(
    client, studio_author, quiz
):
    before = state(quiz)
    client.force_login(studio_author)
    response = client.post(
        reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + "?kind=single",
        single_data(
            prompt="Quelle **clé** ?<script>alert(1)</script>",
            explanation="Voir [la fiche](https://example.org/).",
            preview="1",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>clé</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert '<a href="https://example.org/"' in page
    assert "Oui" in page and "Non" in page  # the choices' feedback
    # What was typed stays in the form, to save it next.
    assert "Quelle **clé** ?" in page
    assert state(quiz) == before


# Ids and methods


def test_a_question_of_another_quiz_is_404_and_changes_nothing(
    client, studio_author, quiz, other_quiz
):
    foreign = other_quiz.questions.get()
    before, other_before = state(quiz), state(other_quiz)
    client.force_login(studio_author)
    unit = quiz.unit.pk
    for method, name, data in [
        ("get", "studio_question_edit", {}),
        ("post", "studio_question_edit", single_data()),
        ("post", "studio_question_move", {"direction": "up"}),
        ("get", "studio_question_delete", {}),
        ("post", "studio_question_delete", {}),
    ]:
        for question_id in (foreign.pk, 987654):
            url = reverse(f"quizzes:{name}", args=[unit, question_id])
            assert getattr(client, method)(url, data).status_code == 404, (name, question_id)
    assert state(quiz) == before and state(other_quiz) == other_before


def test_the_other_authors_quiz_is_not_reachable_through_its_own_unit_either(
    client, studio_author, other_quiz
):
    client.force_login(studio_author)
    response = client.get(reverse("quizzes:studio_quiz", args=[other_quiz.unit.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "name", "with_question"),
    [
        ("post", "studio_quiz", False),
        ("put", "studio_quiz", False),
        ("get", "studio_quiz_settings", False),
        ("delete", "studio_question_new", False),
        ("put", "studio_question_edit", True),
        ("get", "studio_question_move", True),
        ("delete", "studio_question_delete", True),
    ],
)
def test_wrong_method_is_405_and_changes_nothing(
    client, studio_author, quiz, method, name, with_question
):
    question = quiz.questions.order_by("position").first()
    args = [quiz.unit.pk, question.pk] if with_question else [quiz.unit.pk]
    before = state(quiz)
    client.force_login(studio_author)
    response = getattr(client, method)(reverse(f"quizzes:{name}", args=args))
    assert response.status_code == 405
    assert state(quiz) == before


# Queries


@pytest.mark.parametrize("count", [2, 20])
def test_quiz_page_reads_in_a_fixed_number_of_queries(
    client, studio_author, draft, django_assert_num_queries, count
):
    quiz = make_quiz(draft)
    for _ in range(count):
        make_question(quiz)
    client.force_login(studio_author)
    url = reverse("quizzes:studio_quiz", args=[quiz.unit.pk])
    client.get(url)  # warm: session, translations
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('name="direction"') == 2 * (count - 1)


def test_the_error_summary_names_each_field_in_french_and_links_to_it(client, studio_author, quiz):
    client.force_login(studio_author)
    numeric = client.post(
        reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + "?kind=numeric",
        {"prompt": "Q ?", "points": "1", "numeric_answer": "12", "tolerance": "-1"},
    ).content.decode()
    assert (
        '<a href="#id_tolerance">Tolérance</a> : La tolérance ne peut pas être négative.' in numeric
    )
    single = client.post(
        reverse("quizzes:studio_question_new", args=[quiz.unit.pk]) + "?kind=single",
        single_data(choice_rows(("A", True), ("B", False), ("", True))),
    ).content.decode()
    assert '<a href="#id_choices-2-text">Choix 3, Texte du choix</a> :' in single
    settings = client.post(
        reverse("quizzes:studio_quiz_settings", args=[quiz.unit.pk]),
        settings_data(questions_per_attempt="3"),
    ).content.decode()
    assert '<a href="#id_questions_per_attempt">Questions tirées par tentative</a> :' in settings


def test_a_refused_first_question_leaves_a_grain_without_quiz_as_it_was(
    client, studio_author, draft
):
    unit = make_unit(draft, kind=Unit.Kind.QUIZ)
    client.force_login(studio_author)
    client.post(
        reverse("quizzes:studio_question_new", args=[unit.pk]) + "?kind=single",
        single_data(choice_rows(("A", False), ("B", False))),
    )
    client.post(
        reverse("quizzes:studio_quiz_settings", args=[unit.pk]),
        settings_data(questions_per_attempt="1"),
    )
    assert not Quiz.objects.filter(unit=unit).exists()
    response = client.post(reverse("quizzes:studio_quiz_settings", args=[unit.pk]), settings_data())
    assert response.status_code == 302
    assert Quiz.objects.get(unit=unit).pass_mark == 80
