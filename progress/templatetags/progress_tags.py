"""Template tags of progress/html.py: ``{% progress_bar progress %}`` and
``{% assignment_state assignment %}``."""

from django import template

from progress.html import assignment_state, progress_bar

register = template.Library()
register.simple_tag(progress_bar)
register.simple_tag(assignment_state)
