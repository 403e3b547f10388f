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

# Sent when a working copy of a published course is made (studio's
# revision_start), inside its transaction: sender=Course, source (the
# published course), target (the copy, whose grains have the same slugs).
# Each app that holds part of a grain copies it to the grain of the same slug
# (quizzes: the quiz, its questions and choices).
course_copy_parts = Signal()

# Sent when an accepted revision is applied to the published course
# (courses.snapshots.snapshot_apply), inside course_publish's transaction:
# sender=Course, course, snapshot (as course_snapshot made it). Each app that
# holds part of a grain makes the course's grains match their part of the
# snapshot, updating its rows in place where it can, so that what learners
# did (answers, passed attempts) keeps pointing at them.
course_snapshot_apply_parts = Signal()
