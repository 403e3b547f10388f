from django import template

from quizzes.retry import retry_message as _retry_message
from quizzes.retry import retry_moment as _retry_moment

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` — None when the mapping is missing or lacks the key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def retry_message(when) -> str:
    """``status.retry_at|retry_message``: "You can try again on 2 December at 14:05"."""
    return _retry_message(when) if when else ""


@register.filter
def retry_moment(when) -> str:
    """``status.retry_at|retry_moment``: "2 December at 14:05"."""
    return _retry_moment(when) if when else ""
