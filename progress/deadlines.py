"""When an assigned course is late: one rule, read by the tutor's table and
by the learner's own pages, so that both say "late" on the same day."""

from datetime import date


def is_late(*, due_date: date | None, completed: bool, today: date) -> bool:
    """Late once the due date has passed (the due day itself is still on
    time) and the course is not completed; a course without a due date, or
    completed, is never late."""
    return due_date is not None and due_date < today and not completed
