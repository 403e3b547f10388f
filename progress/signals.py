"""Events progress announces to the apps above it (badges will subscribe)."""

from django.dispatch import Signal

# Sent after commit when a learner completes a course: sender=Course, learner, course, enrolment.
course_completed = Signal()
