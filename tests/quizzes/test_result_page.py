"""The moment after submitting: the quiz facts are right at once (in place
with htmx, on the result page without), the next step comes first, the
questions to review are open and the right ones folded."""

import html5lib
import pytest
from django.urls import reverse

from courses.models import Unit
from quizzes.models import Question
from quizzes.services import attempt_start
from tests.factories import make_course, make_question, make_quiz, make_unit, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    course = make_course()
    make_unit(course, slug="before", position=1)
    quiz = make_quiz(course, attempts_allowed=3)
    Unit.objects.filter(pk=quiz.unit_id).update(position=2)
    make_question(quiz, prompt="Que faire d'un lien *douteux* ?")
    make_question(quiz, prompt="Second question?")
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["mot"], prompt="Third?")
    return quiz


def _submit(client, attempt, answers, **extra):
    return client.post(
        reverse("quizzes:submit", args=[attempt.id]),
        {f"q-{k}": v for k, v in answers.items()},
        **extra,
    )


def _half_right(attempt) -> dict:
    """The first question right, the others left empty: 33 %."""
    first = attempt.question_ids[0]
    return {str(first): right_answers(attempt)[str(first)]}


def _tree(body: str):
    return html5lib.parse(body, namespaceHTMLElements=False)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_htmx_result_sends_the_quiz_facts_again_out_of_band(learner_client, learner, quiz):
    page = learner_client.get(quiz.unit.get_absolute_url()).content.decode()
    assert f'id="quiz-facts-{quiz.id}"' in page and "3 tentatives restantes" in page
    attempt = attempt_start(learner=learner, quiz=quiz)
    response = _submit(learner_client, attempt, _half_right(attempt), HTTP_HX_REQUEST="true")
    tree = _tree(response.content.decode())
    facts = tree.find(f".//ul[@id='quiz-facts-{quiz.id}']")
    assert facts is not None and facts.get("hx-swap-oob") == "true"
    assert "2 tentatives restantes" in _text(facts)
    assert "Meilleur score : 33 %" in _text(facts)


def test_without_javascript_the_redirect_shows_the_same_facts(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    response = _submit(learner_client, attempt, _half_right(attempt), follow=True)
    result = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("quizzes:attempt", args=[attempt.id])
    assert "Votre score : 33 %" in result and "Il reste 2 tentatives." in result
    assert "hx-swap-oob" not in result
    page = learner_client.get(quiz.unit.get_absolute_url()).content.decode()
    facts = _text(_tree(page).find(f".//ul[@id='quiz-facts-{quiz.id}']"))
    assert "2 tentatives restantes" in facts and "Meilleur score : 33 %" in facts


def test_questions_to_review_come_first_and_open_right_ones_folded(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    _submit(learner_client, attempt, _half_right(attempt))
    tree = _tree(learner_client.get(reverse("quizzes:attempt", args=[attempt.id])).content)
    results = tree.findall(".//li[@class]")
    kinds = [li.get("class") for li in results if "result" in li.get("class").split()]
    assert kinds == ["result is-wrong", "result is-wrong", "result is-correct"]
    assert not any(li.find(".//details") is not None for li in results[:2])
    summary = tree.find(".//li[@class='result is-correct']/details/summary")
    assert _text(summary) == "Que faire d’un lien douteux ? ✓ Juste"
    assert tree.find(".//li[@class='result is-correct']/details").get("open") is None


def test_the_next_step_comes_before_the_questions(learner_client, learner, quiz):
    attempt = attempt_start(learner=learner, quiz=quiz)
    _submit(learner_client, attempt, _half_right(attempt))
    body = learner_client.get(reverse("quizzes:attempt", args=[attempt.id])).content.decode()
    assert body.index("Réessayer") < body.index("questions à revoir")
    # Passed: the next grain, if any, then the course overview.
    attempt = attempt_start(learner=learner, quiz=quiz)
    _submit(learner_client, attempt, right_answers(attempt))
    body = learner_client.get(reverse("quizzes:attempt", args=[attempt.id])).content.decode()
    assert "Réessayer" not in body and "Grain suivant" not in body  # the quiz is the last grain
    assert "Sommaire du parcours" in body
    after = make_unit(quiz.unit.course, slug="after", position=3, title="Après le quiz")
    body = learner_client.get(reverse("quizzes:attempt", args=[attempt.id])).content.decode()
    assert f'href="{after.get_absolute_url()}"' in body and "Grain suivant" in body
    assert body.index("Grain suivant") < body.index("bonnes réponses")


def test_each_question_says_what_was_given_and_what_was_right(learner_client, learner):
    quiz = make_quiz(make_course())
    make_question(
        quiz,
        kind=Question.Kind.MULTIPLE,
        points=2,
        prompt="Which <tags> are right?",
        choices=[("A <b>", True, "*Bien*"), ("B", True, ""), ("C", False, "Non")],
    )
    make_question(quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["mot"], prompt="Short?")
    long_prompt = "Une question **longue** dont l'énoncé dépasse soixante caractères, bien sûr."
    make_question(quiz, prompt=long_prompt)
    attempt = attempt_start(learner=learner, quiz=quiz)
    multiple, short, single = attempt.question_ids
    a, _b, _c = sorted(choice for item in attempt.drawn for choice in item["choices"])[:3]
    answers = {str(multiple): [str(a)], str(single): right_answers(attempt)[str(single)]}
    response = _submit(learner_client, attempt, answers, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    tree = _tree(body)
    wrong = tree.findall(".//li[@class='result is-wrong']")
    assert [_text(li.find("p[@class='question-number']")) for li in wrong] == [
        "Question 1",
        "Question 2",
    ]
    # Partly right: one right choice of two ticked, no wrong one.
    assert _text(wrong[0].find("p[@class='verdict']")) == "◐ Partiellement correct 1 / 2 pt"
    ticked = [_text(li) for li in wrong[0].findall(".//ul[@class='choices-result']/li")]
    assert ticked == [
        "Votre réponse : Bonne réponse : A <b> Bien",
        "Bonne réponse : B",
        "C Non",
    ]
    assert "A &lt;b&gt;" in body and "Which &lt;tags&gt; are right?" in body
    assert _text(wrong[1].find("p[@class='verdict']")) == "✗ Incorrect 0 / 1 pt"
    said = [_text(p) for p in wrong[1].findall("p")[2:-1]]  # the last: report an error
    assert said == ["Votre réponse : (pas de réponse)", "Bonne réponse : mot"]
    # Right: folded under the start of its prompt, the whole prompt inside.
    (right,) = tree.findall(".//li[@class='result is-correct']")
    summary = _text(right.find("details/summary"))
    assert summary == "Une question longue dont l’énoncé dépasse soixante caractèr… ✓ Juste"
    assert _text(right.find("details/div[@class='prompt']")).startswith("Une question longue")
    assert _text(right.find("details/div[@class='explanation']")).startswith("Explication :")
