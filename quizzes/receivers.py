"""Quizzes' answers to the site-wide data-rights events, and its part of a
course frozen for the committee (courses.snapshots)."""

from django.dispatch import receiver

from courses.models import Unit
from courses.signals import (
    course_copy_parts,
    course_snapshot_apply_parts,
    course_snapshot_parts,
)
from learning_platform.data_rights import anonymous_user
from learning_platform.signals import account_deleting, personal_data_export

from .models import Attempt, AttemptGrant, Question, Quiz
from .revisions import quiz_apply, quiz_copy


@receiver(personal_data_export, dispatch_uid="quizzes_export")
def export_attempts(sender, *, user, **kwargs) -> dict:
    attempts = Attempt.objects.filter(learner=user).select_related("quiz__unit__course")
    return {
        "attempts": [
            {
                "quiz": a.quiz.unit.title,
                "course_slug": a.quiz.unit.course.slug,
                "started_at": a.started_at.isoformat(),
                "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
                "score": float(a.score) if a.score is not None else None,
                "passed": a.passed,
                "answers": [
                    {
                        "question": answer.question.prompt,
                        "response": answer.response,
                        "correct": answer.is_correct,
                        "points": float(answer.points_awarded),
                    }
                    for answer in a.answers.all()
                ],
            }
            for a in attempts.prefetch_related("answers__question")
        ],
        # Extra attempts given to the learner (who gave them is the giver's data).
        "attempt_grants": [
            {"quiz": g.quiz.unit.title, "extra": g.extra, "granted_at": g.created_at.isoformat()}
            for g in AttemptGrant.objects.filter(learner=user).select_related("quiz__unit")
        ],
    }


@receiver(account_deleting, dispatch_uid="quizzes_anonymise")
def anonymise_attempts(sender, *, user, **kwargs) -> None:
    """Open attempts go; submitted ones stay, under the anonymous account, so
    that question statistics keep their answers."""
    Attempt.objects.filter(learner=user, submitted_at__isnull=True).delete()
    Attempt.objects.filter(learner=user).update(learner=anonymous_user())


@receiver(course_snapshot_parts, dispatch_uid="quizzes_course_snapshot")
def snapshot_quizzes(sender, *, course, **kwargs) -> dict:
    """The quizzes of the course's grains, as a proposal freezes them (JSON:
    decimals as text)."""
    quizzes = Quiz.objects.filter(unit__course=course).select_related("unit")
    questions = (
        Question.objects.filter(quiz__unit__course=course)
        .select_related("competence")
        .prefetch_related("choices")
        .order_by("position", "id")
    )
    by_quiz: dict[int, list] = {}
    for q in questions:
        by_quiz.setdefault(q.quiz_id, []).append(
            {
                "key": q.key,
                "position": q.position,
                "kind": q.kind,
                "prompt": q.prompt,
                "explanation": q.explanation,
                "points": q.points,
                "competence": q.competence.code if q.competence else None,
                "accepted_answers": q.accepted_answers,
                "numeric_answer": None if q.numeric_answer is None else str(q.numeric_answer),
                "tolerance": str(q.tolerance),
                "choices": [
                    {
                        "position": c.position,
                        "text": c.text,
                        "is_correct": c.is_correct,
                        "feedback": c.feedback,
                    }
                    for c in sorted(q.choices.all(), key=lambda c: (c.position, c.id))
                ],
            }
        )
    return {
        "quiz": {
            quiz.unit.slug: {
                "pass_mark": quiz.pass_mark,
                "attempts_allowed": quiz.attempts_allowed,
                "questions_per_attempt": quiz.questions_per_attempt,
                "shuffle_questions": quiz.shuffle_questions,
                "shuffle_choices": quiz.shuffle_choices,
                "feedback": quiz.feedback,
                "questions": by_quiz.get(quiz.pk, []),
            }
            for quiz in quizzes
        }
    }


@receiver(course_copy_parts, dispatch_uid="quizzes_course_copy")
def copy_quizzes(sender, *, source, target, **kwargs) -> None:
    """A working copy's quiz grains get the quizzes of the published
    course's grains of the same slug."""
    targets = {unit.slug: unit for unit in target.units.filter(kind=Unit.Kind.QUIZ)}
    for unit in source.units.filter(kind=Unit.Kind.QUIZ):
        if unit.slug in targets:
            quiz_copy(source_unit=unit, target_unit=targets[unit.slug])


@receiver(course_snapshot_apply_parts, dispatch_uid="quizzes_snapshot_apply")
def apply_quizzes(sender, *, course, snapshot, **kwargs) -> None:
    """The quizzes of an accepted revision, applied to the published
    course's grains (matched by slug), in place."""
    parts = {unit["slug"]: unit.get("quiz") for unit in snapshot["units"]}
    for unit in course.units.all():
        if unit.slug in parts:
            quiz_apply(unit=unit, part=parts[unit.slug])
