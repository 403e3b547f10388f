"""Quiz prompts shown as plain text (the quiz form's legends, the folded
right answers of a result, the tutor's learner page, the question
statistics) read as the author wrote them: no "n&rsquo;avez" on screen.

Every demo question, in every such place; the visible text is read from
the parsed page (html5lib), where an entity escaped once is already
decoded, so any entity left in a text node was escaped twice."""

import html
import re
from io import StringIO

import html5lib
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags

from courses.models import Course
from learning_platform.cohorts import membership_join
from quizzes.models import Question, Quiz
from quizzes.services import attempt_start, attempt_submit
from tests.factories import make_learner, make_user, right_answers, wrong_answers
from tests.tutors.helpers import make_cohort

pytestmark = pytest.mark.django_db

RAW_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);?")


def _visible_text(body: bytes | str) -> str:
    tree = html5lib.parse(body, namespaceHTMLElements=False)
    texts = []
    for element in tree.iter():
        if element.tag in ("script", "style"):
            continue
        texts.append(element.text or "")
        for child in element:
            texts.append(child.tail or "")
    return " ".join(" ".join(texts).split())


def _assert_no_raw_entity(place: str, body) -> str:
    text = _visible_text(body)
    found = {m.group(0) for m in RAW_ENTITY.finditer(text)}
    assert not found, f"{place}: {found}"
    for bad in ("&rsquo;", "&amp;", "&#"):
        assert bad not in text, f"{place}: {bad}"
    return text


def _start(question: Question) -> str:
    """The beginning of the prompt as a reader sees it."""
    return " ".join(html.unescape(strip_tags(question.prompt_html)).split())[:40]


@pytest.fixture
def demo(client):
    call_command("load_content", "content/", stdout=StringIO())
    # Every question of the pool in each attempt, as often as needed.
    Quiz.objects.update(questions_per_attempt=None, attempts_allowed=None)
    quizzes = list(Quiz.objects.select_related("unit__course"))
    assert len(quizzes) >= 7
    questions = list(Question.objects.select_related("quiz"))
    assert any("&rsquo;" in q.prompt_html for q in questions), "the demo has apostrophes"
    tutor = make_user(username="sylvie")
    courses = Course.objects.filter(id__in=[q.unit.course_id for q in quizzes])
    cohort = make_cohort(name="Mardi", tutor=tutor, courses=list(courses))
    wrong, right = make_learner(username="nadia"), make_learner(username="thomas")
    for learner in (wrong, right):
        membership_join(learner=learner, cohort=cohort)
    return quizzes, questions, tutor, cohort, wrong, right


def test_no_prompt_shows_a_raw_entity_anywhere_it_is_plain_text(client, demo):
    quizzes, questions, tutor, cohort, wrong, right = demo
    by_quiz = {}
    for question in questions:
        by_quiz.setdefault(question.quiz_id, []).append(question)

    for quiz in quizzes:
        # The learner's quiz form: each prompt in its legend.
        client.force_login(right)
        attempt = attempt_start(learner=right, quiz=quiz)
        text = _assert_no_raw_entity(
            f"quiz form {quiz}", client.get(quiz.unit.get_absolute_url()).content
        )
        for question in by_quiz[quiz.id]:
            assert _start(question) in text, (quiz, question.key)
        # The result of an attempt all right: each prompt in a folded summary.
        attempt_submit(learner=right, attempt=attempt, answers=right_answers(attempt))
        body = client.get(reverse("quizzes:attempt", args=[attempt.id])).content
        text = _assert_no_raw_entity(f"result {quiz}", body)
        for question in by_quiz[quiz.id]:
            assert _start(question) in text, (quiz, question.key)
        # All wrong, for the tutor's pages.
        attempt = attempt_start(learner=wrong, quiz=quiz)
        attempt_submit(learner=wrong, attempt=attempt, answers=wrong_answers(attempt))

    client.force_login(tutor)
    body = client.get(reverse("tutor:learner", args=[cohort.pk, wrong.pk])).content
    text = _assert_no_raw_entity("tutor's learner page", body)
    assert "’" in text
    for question in questions:
        assert text.count(_start(question)) >= 2, question.key  # wrong answers and timeline
    for quiz in quizzes:
        body = client.get(reverse("tutor:cohort_quiz", args=[cohort.pk, quiz.pk])).content
        text = _assert_no_raw_entity(f"cohort question stats {quiz}", body)
        for question in by_quiz[quiz.id]:
            assert _start(question) in text, (quiz, question.key)

    client.force_login(make_user(username="staff", is_staff=True))
    for quiz in quizzes:
        url = reverse("tutor:course_stats", args=[quiz.unit.course.slug])
        text = _assert_no_raw_entity(f"course stats {quiz.unit.course}", client.get(url).content)
        for question in by_quiz[quiz.id]:
            assert _start(question) in text, (quiz, question.key)


def test_plain_text_decodes_once_and_autoescape_escapes_once():
    from django.template import Context, Template

    rendered = Template("{% load course_tags %}{{ value|plain_text }}").render(
        Context({"value": "<p>n&rsquo;avez &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>"})
    )
    assert rendered == "n’avez &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
