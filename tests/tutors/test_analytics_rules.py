"""The tutor's analytics at their edges (progress/tutor_analytics.py),
called directly: a learner's wrong answers (theirs only, in the courses
given, each question once with every different answer given) and a quiz's
question figures (answered, right, the wrong choice chosen most often, ties
to the first choice). Another learner, another course and right answers are
always present."""

import random

import pytest

from learning_platform.cohorts import membership_join, membership_leave
from progress.tutor_analytics import question_stats, wrong_answers
from quizzes.models import Question
from quizzes.services import attempt_start, attempt_submit
from tests.factories import make_cohort, make_course, make_question, make_quiz

pytestmark = pytest.mark.django_db


class _Reversed(random.Random):
    """Draws the questions in the reverse of their order."""

    def shuffle(self, x):
        x.reverse()


def _submit(learner, quiz, picks: dict, rng=None):
    """``picks``: question -> choice texts (a list) or the text typed (a str);
    the other drawn questions are left blank."""
    attempt = attempt_start(learner=learner, quiz=quiz, rng=rng)
    answers = {str(qid): [] for qid in attempt.question_ids}
    for question, pick in picks.items():
        if isinstance(pick, str):
            answers[str(question.id)] = [pick]
        else:
            ids = {c.text: str(c.id) for c in question.choices.all()}
            answers[str(question.id)] = [ids[t] for t in pick]
    return attempt_submit(learner=learner, attempt=attempt, answers=answers)


def _choices(*texts, right=("Right",)):
    return [(t, t in right, "") for t in texts]


# A learner's wrong answers


@pytest.fixture
def course_with_two_quizzes():
    """The second quiz's grain comes first in the course, though made last;
    its two questions are placed in the reverse of their making, and after
    the first quiz's questions by their own position."""
    course = make_course()
    later = make_quiz(course)
    single = make_question(
        later, position=1, prompt="Lequel ?", choices=_choices("Right", "Wrong", "Other")
    )
    typed = make_question(
        later, kind=Question.Kind.SHORT_TEXT, position=2, prompt="Quoi ?", accepted_answers=["oui"]
    )
    first = make_quiz(course)
    first.unit.position = later.unit.position - 1
    first.unit.title = "Premier quiz"
    first.unit.save()
    several = make_question(
        first,
        kind=Question.Kind.MULTIPLE,
        position=4,
        prompt="Lesquels ?",
        choices=_choices("A", "B", "C", right=("A", "B")),
    )
    opening = make_question(
        first, position=1, prompt="D'abord ?", choices=_choices("Right", "Wrong")
    )
    return course, later, first, single, typed, several, opening


def test_wrong_answers_are_the_learners_own_in_the_courses_given_each_question_once(
    learner, other_learner, course_with_two_quizzes, django_assert_num_queries
):
    course, later, first, single, typed, several, opening = course_with_two_quizzes
    _submit(learner, later, {single: ["Wrong"], typed: "non"})
    _submit(learner, later, {single: ["Other"], typed: "oui"})  # the text right this time
    _submit(learner, later, {single: ["Wrong"], typed: "Non"})
    _submit(learner, first, {several: ["A", "C"]})  # the opening question left blank
    # Another learner's wrong answers, the learner's in another course.
    _submit(other_learner, later, {single: ["Right"], typed: "jamais"})
    elsewhere = make_quiz(make_course())
    stray = make_question(elsewhere, choices=_choices("Right", "Wrong"))
    _submit(learner, elsewhere, {stray: ["Wrong"]})

    single.choices.get(text="Other").delete()  # an answer's choice removed since
    with django_assert_num_queries(2):
        wrong = wrong_answers(learner=learner, course_ids=[course.id])
        facts = [
            (w.quiz_title, w.question_id, w.prompt_html, w.times_wrong, w.given) for w in wrong
        ]
    assert facts == [
        # In course order: the first quiz's grain, then the later one's.
        ("Premier quiz", opening.id, opening.prompt_html, 1, []),  # wrong, nothing given
        ("Premier quiz", several.id, several.prompt_html, 1, ["A, C"]),
        (later.unit.title, single.id, single.prompt_html, 3, ["Wrong", "?"]),
        (later.unit.title, typed.id, typed.prompt_html, 2, ["non", "Non"]),
    ]


def test_wrong_answers_follow_the_questions_order_within_a_quiz(learner, course_with_two_quizzes):
    course, _later, first, _single, _typed, several, opening = course_with_two_quizzes
    first.shuffle_questions = True  # drawn, and answered, in the reverse order
    first.save()
    _submit(learner, first, {several: ["C"], opening: ["Wrong"]}, rng=_Reversed())
    assert [w.question_id for w in wrong_answers(learner=learner, course_ids=[course.id])] == [
        opening.id,
        several.id,
    ]


# A quiz's question figures


def test_question_figures_count_the_given_learners_and_name_the_wrong_choice_chosen_most(
    learner, other_learner, django_assert_num_queries
):
    quiz = make_quiz(make_course())
    several = make_question(
        quiz,
        kind=Question.Kind.MULTIPLE,
        position=3,
        choices=[("A", True, ""), ("B", True, ""), ("C", False, ""), ("D", False, "")],
    )
    typed = make_question(quiz, kind=Question.Kind.SHORT_TEXT, position=1, accepted_answers=["oui"])
    # A, the right choice ticked in every wrong answer, is no wrong choice:
    # C and D are chosen once each; the tie goes to the first made, C.
    _submit(learner, quiz, {several: ["A", "C"], typed: "non"})
    _submit(learner, quiz, {several: ["A", "D"], typed: "oui"})
    _submit(learner, quiz, {several: ["A"], typed: "non"})
    _submit(learner, quiz, {several: ["A", "B"], typed: "oui"})
    # Another learner, not counted: D twice more.
    for _ in range(2):
        _submit(other_learner, quiz, {several: ["D"], typed: "non"})
    unanswered = make_question(quiz, position=2)  # added since: no one answered it

    # The questions, the counts, the wrong choices, the wrong answers' choices.
    with django_assert_num_queries(4):
        stats = question_stats(quiz=quiz, learner_ids=[learner.id])
    facts = [
        (
            s.question,
            s.answered,
            s.correct,
            s.percent_correct,
            s.top_wrong_choice,
            s.top_wrong_count,
        )
        for s in stats
    ]
    assert facts == [
        (typed, 4, 2, 50, None, 0),  # text answers have no choice
        (unanswered, 0, 0, None, None, 0),
        (several, 4, 1, 25, "C", 1),
    ]
    everyone = {s.question: s for s in question_stats(quiz=quiz)}
    assert (everyone[several].answered, everyone[several].top_wrong_choice) == (6, "D")
    assert everyone[several].top_wrong_count == 3


def test_the_wrong_choice_chosen_most_wins_over_the_first_made(learner):
    quiz = make_quiz(make_course())
    question = make_question(quiz, choices=_choices("Right", "Early", "Late"))
    _submit(learner, quiz, {question: ["Late"]})
    _submit(learner, quiz, {question: ["Late"]})
    _submit(learner, quiz, {question: ["Early"]})
    (stat,) = question_stats(quiz=quiz, learner_ids=[learner.id])
    assert (stat.top_wrong_choice, stat.top_wrong_count) == ("Late", 2)


# Leaving a cohort


def test_leaving_a_cohort_keeps_the_other_memberships(learner, other_learner):
    left, kept = make_cohort(), make_cohort()
    for cohort in (left, kept):
        membership_join(learner=learner, cohort=cohort)
    membership_join(learner=other_learner, cohort=left)
    assert membership_leave(learner=learner, cohort=left) is True
    assert membership_leave(learner=learner, cohort=left) is False
    assert list(left.memberships.values_list("learner", flat=True)) == [other_learner.id]
    assert list(kept.memberships.values_list("learner", flat=True)) == [learner.id]
