"""Start codes: for people without an e-mail address, whom a tutor brings in
at a workshop table.

A tutor creates accounts for a list of first names in their cohort; each gets
a readable username and a one-time start code, printed on a "carte de
connexion". On first log-in with the code the person chooses a password, then
reads and accepts the same consent screen as everyone joining a cohort: until
then the tutor sees only their name. When such a person forgets their
password, a tutor of one of their cohorts issues a new code in person; the
old password works until the new code is used.

Codes are stored hashed with Django's password hasher, work once, expire
after START_CODE_VALID_DAYS, and a newer code replaces an older one. Log-in
with a code is limited like passwords (learning_platform.login_limits).
"""

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import DomainError
from .models import Cohort, CohortMembership, StartCode

# Without look-alikes (no 0/O, 1/I/L), as the invite codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# A workshop table, not a mailing list.
MAX_ACCOUNTS_AT_ONCE = 30


class StartCodeError(DomainError):
    """A start code the rules refuse."""


def normalise_code(code: str) -> str:
    """What the person typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch in ALPHABET)


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ "K7PMQ3XA" -> "K7PM-Q3XA": two halves are easier to read and type."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def start_code_issue(*, user, reason: str, issued_by=None, cohort: Cohort | None = None) -> str:
    """A new code for ``user``, replacing any unused one; the code itself is
    returned once, formatted for print, and only its hash is kept."""
    code = _new_code()
    now = timezone.now()
    with transaction.atomic():
        StartCode.objects.filter(user=user, used_at__isnull=True, replaced_at__isnull=True).update(
            replaced_at=now
        )
        StartCode.objects.create(
            user=user,
            code_hash=make_password(code),
            reason=reason,
            cohort=cohort,
            issued_by=issued_by,
            created_at=now,
            expires_at=now + timedelta(days=settings.START_CODE_VALID_DAYS),
        )
    return format_code(code)


INVALID = gettext_lazy(
    "This start code does not work: it may be mistyped, already used or expired. "
    "Ask your tutor for a new one."
)


def start_code_redeem(*, username: str, code: str, password: str):
    """The person's code checks out: it is used up and ``password`` becomes
    their password (their old one stops working). Returns the user, and the
    cohort the code was issued for (or None). Any failure gives the same
    message, so that it tells nothing about which accounts exist."""
    user = (
        get_user_model().objects.filter(username__iexact=username.strip(), is_active=True).first()
    )
    now = timezone.now()
    if user is None:
        make_password(code)  # about the same time as a real check
        raise StartCodeError(INVALID)
    with transaction.atomic():
        start = (
            StartCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, replaced_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at", "-id")
            .first()
        )
        if start is None or not check_password(normalise_code(code), start.code_hash):
            raise StartCodeError(INVALID)
        StartCode.objects.filter(pk=start.pk).update(used_at=now)
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, start.cohort


def may_get_help(*, learner, tutor) -> bool:
    """Whether a tutor may give ``learner`` a start code at all: never to
    staff, another tutor or themselves; and whoever has an e-mail address
    uses the reset e-mail instead."""
    return not (
        learner.email
        or learner.is_staff
        or learner.is_superuser
        or learner == tutor
        or learner.is_tutor
    )


def password_help(*, tutor, cohort: Cohort, learner) -> str:
    """A new start code for a consenting member of the tutor's cohort who has
    no e-mail address (who has one uses the reset e-mail). Never for staff
    or another tutor. The caller has checked that ``cohort`` is the tutor's."""
    member = CohortMembership.objects.filter(
        cohort=cohort, learner=learner, consented_at__isnull=False
    ).exists()
    if not member:
        raise StartCodeError(_("This person is not a member of this group."))
    if learner.email:
        raise StartCodeError(
            _(
                "%(name)s has an e-mail address: they can get a new password with "
                "“Forgotten password?” on the log-in page."
            )
            % {"name": learner}
        )
    if not may_get_help(learner=learner, tutor=tutor):
        raise StartCodeError(
            _("A tutor cannot do this for a tutor or an administrator: ask an administrator.")
        )
    return start_code_issue(
        user=learner, reason=StartCode.Reason.FORGOTTEN_PASSWORD, issued_by=tutor, cohort=cohort
    )


def username_base(name: str) -> str:
    """ "Amina Koné" -> "amina.kone": ASCII, lower case, at most 20 characters."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = slugify(ascii_name).replace("-", ".")[:20].strip(".")
    return base or "apprenant"


@dataclass
class NewAccount:
    user: object
    code: str  # formatted, shown once


def accounts_create(*, tutor, cohort: Cohort, names: list[str]) -> list[NewAccount]:
    """One account per name (names already checked by the form): a readable
    username (first name and two digits), no password, no e-mail; invited to
    the cohort, waiting for consent; a start code each. All or nothing."""
    User = get_user_model()
    created = []
    with transaction.atomic():
        for name in names:
            user = _user_with_free_username(User, name)
            CohortMembership.objects.create(cohort=cohort, learner=user, invited_by=tutor)
            code = start_code_issue(
                user=user, reason=StartCode.Reason.NEW_ACCOUNT, issued_by=tutor, cohort=cohort
            )
            created.append(NewAccount(user=user, code=code))
    return created


def _user_with_free_username(User, name: str):
    base = username_base(name)
    for _attempt in range(50):
        username = f"{base}.{secrets.randbelow(90) + 10}"
        if User.objects.filter(username__iexact=username).exists():
            continue
        try:
            with transaction.atomic():
                user = User(username=username, display_name=name)
                user.set_unusable_password()
                user.save()
                return user
        except IntegrityError:  # taken meanwhile by another request
            continue
    # Fifty two-digit tries taken: three digits.
    user = User(username=f"{base}.{secrets.randbelow(9000) + 1000}", display_name=name)
    user.set_unusable_password()
    user.save()
    return user


def code_history(*, user) -> list[StartCode]:
    """The account's start codes, newest first, with who issued them."""
    return list(StartCode.objects.filter(user=user).select_related("issued_by", "cohort"))
