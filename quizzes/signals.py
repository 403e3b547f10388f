"""Events quizzes announce to the apps above them (progress subscribes)."""

from django.dispatch import Signal

# Sent after commit when a learner passes a quiz: sender=Quiz, learner, quiz, attempt.
quiz_passed = Signal()
