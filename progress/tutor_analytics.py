"""Reads for tutors about one learner (timeline, questions got wrong) and
about a quiz's questions (share right, wrong choice chosen most often).

The callers limit the learners: a tutor's page passes the cohort's
consented learners and its assigned courses.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q

from courses.models import Course
from quizzes.models import Attempt, AttemptAnswer, Choice, Question, Quiz

from .models import UnitCompletion

# A learner, for their tutor


@dataclass
class TimelineEvent:
    when: datetime
    kind: str  # "grain", "attempt", "badge"
    title: str
    course: Course
    attempt: Attempt | None = None
    passed: bool | None = None
    score: Decimal | None = None


def learner_timeline(*, learner, course_ids, extra_events=()) -> list[TimelineEvent]:
    """Grains completed and attempts submitted by the learner in the given
    courses, with ``extra_events`` (badges, read by the caller), newest
    first; each attempt with its answers and their questions. Three
    queries."""
    events = [
        TimelineEvent(c.completed_at, "grain", c.unit.title, c.unit.course)
        for c in UnitCompletion.objects.filter(
            learner=learner, unit__course_id__in=course_ids
        ).select_related("unit__course")
    ]
    events += [
        TimelineEvent(
            a.submitted_at, "attempt", a.quiz.unit.title, a.quiz.unit.course, a, a.passed, a.score
        )
        for a in Attempt.objects.filter(
            learner=learner, quiz__unit__course_id__in=course_ids, submitted_at__isnull=False
        )
        .select_related("quiz__unit__course")
        .prefetch_related("answers__question")
    ]
    events += list(extra_events)
    return sorted(events, key=lambda e: e.when, reverse=True)


@dataclass
class WrongAnswer:
    quiz_title: str
    question_id: int
    prompt_html: str
    times_wrong: int
    given: list[str]


def wrong_answers(*, learner, course_ids) -> list[WrongAnswer]:
    """Per quiz, the questions the learner got wrong (and what they gave, in
    the order they gave it), over all their submitted attempts. Two queries."""
    answers = list(
        AttemptAnswer.objects.filter(
            attempt__learner=learner,
            attempt__submitted_at__isnull=False,
            attempt__quiz__unit__course_id__in=course_ids,
            is_correct=False,
        )
        .select_related("question__quiz__unit")
        # What they gave, in the order they gave it (ties on position in any
        # database: PostgreSQL promises no order of its own).
        .order_by("question__quiz__unit__position", "question__position", "attempt_id", "id")
    )
    choice_ids = {cid for a in answers for cid in a.response.get("choices", [])}
    texts = dict(Choice.objects.filter(id__in=choice_ids).values_list("id", "text"))
    grouped: dict[int, WrongAnswer] = {}
    for answer in answers:
        question = answer.question
        entry = grouped.setdefault(
            question.id,
            WrongAnswer(question.quiz.unit.title, question.id, question.prompt_html, 0, []),
        )
        entry.times_wrong += 1
        given = ", ".join(texts.get(c, "?") for c in answer.response.get("choices", [])) or (
            answer.response.get("text", "")
        )
        if given and given not in entry.given:
            entry.given.append(given)
    return list(grouped.values())


# Question analytics


@dataclass
class QuestionStat:
    question: Question
    answered: int
    correct: int
    top_wrong_choice: str | None
    top_wrong_count: int

    @property
    def percent_correct(self) -> int | None:
        return self.correct * 100 // self.answered if self.answered else None


def question_stats(*, quiz: Quiz, learner_ids=None) -> list[QuestionStat]:
    """For each question of the quiz: how many answered, the share right, and
    the wrong choice chosen most often. Over all learners, or the given ones
    (a queryset or list). Four queries."""
    questions = list(quiz.questions.order_by("position", "id"))
    answers = AttemptAnswer.objects.filter(attempt__quiz=quiz, attempt__submitted_at__isnull=False)
    if learner_ids is not None:
        answers = answers.filter(attempt__learner_id__in=learner_ids)
    counts = {
        r["question_id"]: r
        for r in answers.values("question_id").annotate(
            n=Count("id"), right=Count("id", filter=Q(is_correct=True))
        )
    }
    wrong_choices = {c.id: c for c in Choice.objects.filter(question__quiz=quiz, is_correct=False)}
    tally: dict[int, dict[int, int]] = {}
    for question_id, response in answers.filter(is_correct=False).values_list(
        "question_id", "response"
    ):
        for choice_id in response.get("choices", []):
            if choice_id in wrong_choices:
                per = tally.setdefault(question_id, {})
                per[choice_id] = per.get(choice_id, 0) + 1
    stats = []
    for question in questions:
        row = counts.get(question.id, {"n": 0, "right": 0})
        per = tally.get(question.id, {})
        top = max(per, key=lambda c: (per[c], -c)) if per else None
        stats.append(
            QuestionStat(
                question=question,
                answered=row["n"],
                correct=row["right"],
                top_wrong_choice=wrong_choices[top].text if top else None,
                top_wrong_count=per.get(top, 0) if top else 0,
            )
        )
    return stats


def course_question_stats(*, course: Course) -> list[tuple[Quiz, list[QuestionStat]]]:
    """Each quiz of the course, in course order, with its question stats over
    all learners (for the course's authors)."""
    quizzes = (
        Quiz.objects.filter(unit__course=course).select_related("unit").order_by("unit__position")
    )
    return [(quiz, question_stats(quiz=quiz)) for quiz in quizzes]
