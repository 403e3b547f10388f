"""Quizzes' answers to the site-wide data-rights events."""

from django.dispatch import receiver

from learning_platform.data_rights import anonymous_user
from learning_platform.signals import account_deleting, personal_data_export

from .models import Attempt, AttemptGrant


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
