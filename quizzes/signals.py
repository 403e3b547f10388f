"""Events quizzes announce to the apps above them (progress subscribes)."""

from django.dispatch import Signal

# Sent inside the submission's transaction when a learner passes a quiz:
# sender=Quiz, learner, quiz, attempt. Inside, not after commit, on purpose:
# the grain's completion (progress) is written in the same transaction as
# the attempt, so a passed attempt never exists without its completion.
quiz_passed = Signal()
