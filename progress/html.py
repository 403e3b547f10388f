"""A learner's progress bar and an assigned course's state, built in Python.

"Mes parcours" shows one of these per course, often thirty of them: as
included templates (a context, a dozen nodes, translations and date
filters each) they took half of the page's time. The same HTML here, for
the templates (progress.templatetags.progress_tags) and for views that fill
in cached pages (courses.views, the catalogue's markers)."""

from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.translation import gettext


def progress_bar(progress) -> str:
    """The bar of a ``progress.selectors.CourseProgress``."""
    percent = int(progress.percent)
    return format_html(
        '<div class="progress">\n  <progress max="100" value="{}" aria-label="{}">{} %</progress>\n'
        '  <span class="progress-label">{}</span>\n</div>',
        percent,
        gettext("Progress"),
        percent,
        gettext("%(percent)s %% done") % {"percent": percent},
    )


def assignment_state(assignment) -> str:
    """Due date, where the learner stands and "late" (as in the tutor's
    table) of a ``progress.selectors.LearnerAssignment``."""
    if assignment.due_date:
        due = format_html(
            '<span>{} <time class="nowrap" datetime="{}">{}</time></span>',
            gettext("Due date:"),
            date_filter(assignment.due_date, "Y-m-d"),
            date_filter(assignment.due_date, "DATE_FORMAT"),
        )
    else:
        due = format_html('<span class="hint">{}</span>', gettext("No due date"))
    if assignment.completed:
        state = format_html('<span class="done-mark">✓ {}</span>', gettext("finished"))
    elif assignment.progress.started:
        state = format_html('<span class="num">{}&nbsp;%</span>', int(assignment.progress.percent))
    else:
        state = format_html('<span class="hint">{}</span>', gettext("not started"))
    late = (
        format_html(' <span class="tag flag-late">{}</span>', gettext("late"))
        if assignment.late
        else ""
    )
    return format_html('<p class="assignment-state">{}\n  <span>{}</span>{}</p>', due, state, late)
