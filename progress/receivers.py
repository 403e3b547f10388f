"""Progress subscribes to the events of the apps below it."""

from django.dispatch import receiver

from courses.signals import course_published
from learning_platform.signals import personal_data_export
from quizzes.signals import quiz_passed

from .models import Enrolment, UnitCompletion
from .services import course_completions_settle, unit_complete


@receiver(quiz_passed, dispatch_uid="progress_complete_quiz_unit")
def complete_quiz_unit(sender, *, learner, quiz, **kwargs) -> None:
    """A quiz grain is complete when its quiz is passed."""
    unit_complete(learner=learner, unit=quiz.unit)


@receiver(personal_data_export, dispatch_uid="progress_export")
def export_progress(sender, *, user, **kwargs) -> dict:
    """Enrolments and completed grains (deletion: they cascade with the user)."""
    return {
        "enrolments": [
            {
                "course": e.course.title,
                "course_slug": e.course.slug,
                "started_at": e.started_at.isoformat(),
                "last_activity_at": e.last_activity_at.isoformat(),
                "completed_at": e.completed_at.isoformat() if e.completed_at else None,
            }
            for e in Enrolment.objects.filter(learner=user).select_related("course")
        ],
        "completions": [
            {
                "course_slug": c.unit.course.slug,
                "grain": c.unit.title,
                "completed_at": c.completed_at.isoformat(),
            }
            for c in UnitCompletion.objects.filter(learner=user).select_related("unit__course")
        ],
    }


@receiver(course_published, dispatch_uid="progress_settle_completions")
def settle_completions(sender, *, course, **kwargs) -> None:
    """A new version may have removed the last required grain a learner had
    left: their course is complete now (and their badge follows)."""
    course_completions_settle(course=course)
