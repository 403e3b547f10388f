"""Sets of attempts: the pure rule, no query.

A quiz with limited attempts is never locked for good. Attempts count per
"set": a set holds ``attempts_allowed`` attempts, plus the extra attempts a
tutor or staff granted while it was current. Once a set is used up, a new
one opens ``QUIZ_RETRY_AFTER_HOURS`` after the attempt that used it up.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def retry_wait() -> timedelta:
    return timedelta(hours=settings.QUIZ_RETRY_AFTER_HOURS)


@dataclass(frozen=True)
class AttemptSet:
    used: int  # attempts submitted in the current set
    left: int | None  # None: unlimited
    retry_at: datetime | None  # when the used-up set gives way to a new one


def current_set(
    *,
    allowed: int | None,
    submitted: Iterable[datetime],
    grants: Iterable[tuple[datetime, int]],
    now: datetime,
    wait: timedelta,
) -> AttemptSet:
    """Where the learner stands in the current set, at ``now``.

    ``submitted``: when each submitted attempt was submitted; ``grants``:
    (when, extra) of each grant. Events are replayed in time order: before
    each one, a used-up set whose wait is over gives way to a fresh set (no
    attempt used, no extra). A grant adds to the set current when it is
    made, so a grant to a locked learner opens an attempt at once, and a
    grant left unused when a fresh set opens is not carried over.
    """
    submitted = list(submitted)
    if allowed is None:
        return AttemptSet(used=len(submitted), left=None, retry_at=None)
    # An attempt and a grant at the same instant: the attempt first.
    events = sorted([(when, 0, 1) for when in submitted] + [(when, 1, n) for when, n in grants])
    used = extra = 0
    used_up_at: datetime | None = None  # when the current set was used up
    for when, kind, count in events:
        if used_up_at is not None and when >= used_up_at + wait:
            used = extra = 0
        if kind == 0:
            used += 1
        else:
            extra += count
        used_up_at = when if used >= allowed + extra else None
    if used_up_at is not None and now >= used_up_at + wait:
        return AttemptSet(used=0, left=allowed, retry_at=None)
    left = max(0, allowed + extra - used)
    return AttemptSet(
        used=used, left=left, retry_at=used_up_at + wait if used_up_at is not None else None
    )


def retry_moment(when: datetime) -> str:
    """ "2 December at 14:05": when a new set opens, in the active language
    and the site's time zone."""
    local = timezone.localtime(when)
    return _("%(date)s at %(time)s") % {
        # Translators: a PHP-style date format (Django's "date" filter): the
        # day and month a new set of quiz attempts opens, e.g. "j F" in French.
        "date": date_format(local, pgettext("quiz retry date", "F j")),
        # Translators: a PHP-style time format, e.g. "H \\h i" in French (14 h 05).
        "time": date_format(local, pgettext("quiz retry time", "H:i")),
    }


def retry_message(when: datetime) -> str:
    """ "You can try again on 2 December at 14:05." """
    return _("You can try again on %(moment)s.") % {"moment": retry_moment(when)}
