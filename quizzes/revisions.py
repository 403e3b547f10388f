"""A quiz's part in revising a published course (courses' working copies
and snapshots, through the signals of courses.signals answered in
quizzes.receivers): copy a grain's quiz to the working copy, and apply a
validated snapshot's quiz to the published grain in place."""

from decimal import Decimal

from courses.models import Competence

from .models import Choice, Question, Quiz

QUIZ_SETTINGS = (
    "pass_mark",
    "attempts_allowed",
    "questions_per_attempt",
    "shuffle_questions",
    "shuffle_choices",
    "feedback",
)
QUESTION_FIELDS = ("position", "kind", "prompt", "explanation", "points", "accepted_answers")
CHOICE_FIELDS = ("position", "text", "is_correct", "feedback")


def quiz_copy(*, source_unit, target_unit) -> Quiz | None:
    """Copy the quiz of ``source_unit`` (its settings, questions and choices,
    same keys and positions) to ``target_unit``, which has none yet: a
    working copy's grain. None when the source has no quiz."""
    source = Quiz.objects.filter(unit=source_unit).first()
    if source is None:
        return None
    quiz = Quiz.objects.create(
        unit=target_unit, **{name: getattr(source, name) for name in QUIZ_SETTINGS}
    )
    for question in source.questions.prefetch_related("choices").order_by("position", "id"):
        choices = list(question.choices.all())
        question.pk, question.id, question.quiz = None, None, quiz
        question._state.adding = True
        question.save()
        for choice in choices:
            choice.pk, choice.id, choice.question = None, None, question
            choice._state.adding = True
            choice.save()
    return quiz


def _decimal(value):
    return None if value is None else Decimal(value)


def quiz_apply(*, unit, part: dict | None) -> Quiz | None:
    """Make the quiz of ``unit`` what ``part`` (a grain's ``quiz`` in a course
    snapshot) says; None removes it. Updated in place, so that what learners
    did stays: questions are matched by their key (the stable identifier of
    a question in its quiz), then updated; new keys are created, keys no
    longer there deleted (with their answers). A question's choices are
    matched by their order: updated, extra ones created, surplus deleted.
    Attempts and their answers keep pointing at the same rows, so a quiz
    passed stays passed."""
    if part is None:
        Quiz.objects.filter(unit=unit).delete()
        return None
    quiz, _created = Quiz.objects.get_or_create(unit=unit)
    for name in QUIZ_SETTINGS:
        setattr(quiz, name, part[name])
    quiz.save()
    wanted = {q["key"]: q for q in part["questions"]}
    existing = {q.key: q for q in quiz.questions.prefetch_related("choices")}
    quiz.questions.exclude(key__in=wanted).delete()
    competences = dict(
        Competence.objects.filter(
            code__in=[q["competence"] for q in part["questions"] if q["competence"]]
        ).values_list("code", "pk")
    )
    for key, data in wanted.items():
        question = existing.get(key) or Question(quiz=quiz, key=key)
        for name in QUESTION_FIELDS:
            setattr(question, name, data[name])
        question.competence_id = competences.get(data["competence"])
        question.numeric_answer = _decimal(data["numeric_answer"])
        question.tolerance = _decimal(data["tolerance"])
        question.save()
        choices = (
            sorted(question.choices.all(), key=lambda c: (c.position, c.id))
            if (key in existing)
            else []
        )
        for index, choice_data in enumerate(data["choices"]):
            choice = choices[index] if index < len(choices) else Choice(question=question)
            for name in CHOICE_FIELDS:
                setattr(choice, name, choice_data[name])
            choice.save()
        surplus = [c.pk for c in choices[len(data["choices"]) :]]
        if surplus:
            Choice.objects.filter(pk__in=surplus).delete()
    return quiz
