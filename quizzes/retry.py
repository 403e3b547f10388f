"""Sets of attempts: the pure rule, no query.

A quiz with limited attempts is never locked for good. Attempts count per
"set": a set holds ``attempts_allowed`` attempts, plus the extra attempts a
tutor or staff granted while it was current. A new set opens
``QUIZ_RETRY_AFTER_HOURS`` after the attempt that used the allowed ones.
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
    (when, extra) of each grant. Events are replayed in time order. The
    attempt that uses the set's ``allowed`` attempts fixes when the set
    gives way to a fresh one (no attempt used, no extra): ``wait`` later.
    A grant adds to the set current when it is made, so a grant to a locked
    learner opens an attempt at once; it never puts the fresh set off (a
    learner helped by a tutor is not made to wait longer), and a grant
    still unused when the fresh set opens is not carried over.
    """
    submitted = list(submitted)
    if allowed is None:
        return AttemptSet(used=len(submitted), left=None, retry_at=None)
    # An attempt and a grant at the same instant: the attempt first.
    events = sorted([(when, 0, 1) for when in submitted] + [(when, 1, n) for when, n in grants])
    used = extra = 0
    reopens_at: datetime | None = None  # once the set's allowed attempts are used
    for when, kind, count in events:
        if reopens_at is not None and when >= reopens_at:
            used = extra = 0
            reopens_at = None
        if kind == 0:
            used += 1
            if reopens_at is None and used >= allowed:
                reopens_at = when + wait
        else:
            extra += count
    if reopens_at is not None and now >= reopens_at:
        return AttemptSet(used=0, left=allowed, retry_at=None)
    left = max(0, allowed + extra - used)
    return AttemptSet(used=used, left=left, retry_at=reopens_at if left == 0 else None)


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
