"""Events the courses app announces to the apps above it."""

from django.dispatch import Signal

# Sent once a course is published (courses.services.course_publish, after the
# transaction commits): sender=Course, course, version (the CourseVersion).
# Badges create the course's badge class on it.
course_published = Signal()

# Sent to freeze a course as it is proposed (courses.snapshots): sender=Course,
# course. Each app that holds part of a course returns a dict of grain slug
# to that part, under its own key, e.g. {"quiz": {"quiz-unit-slug": {...}}}:
# quizzes gives its questions and choices. Values must be JSON.
course_snapshot_parts = Signal()
