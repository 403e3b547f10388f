"""Progress subscribes to the events of the apps below it."""

from django.dispatch import receiver

from quizzes.signals import quiz_passed

from .services import unit_complete


@receiver(quiz_passed, dispatch_uid="progress_complete_quiz_unit")
def complete_quiz_unit(sender, *, learner, quiz, **kwargs) -> None:
    """A quiz grain is complete when its quiz is passed."""
    unit_complete(learner=learner, unit=quiz.unit)
