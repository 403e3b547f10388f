"""Events progress announces to the apps above it (badges subscribes)."""

from django.dispatch import Signal

# Sent after commit (transaction.on_commit) when a learner completes a course:
# sender=Course, learner, course, enrolment.
course_completed = Signal()
