"""Writes of the site-wide app: personal API tokens.

A token is ``lp_`` and 43 random URL-safe characters. Only its SHA-256 is
stored, so a copy of the database gives no working token; the token itself
is shown once, when it is created.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import ApiToken

TOKEN_PREFIX = "lp_"
# Enough for every device and script a person uses; a bound on what a stolen
# session could create.
MAX_ACTIVE_TOKENS = 20
# ``last_used_at`` is written at most this often per token: not one write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(DomainError):
    """A request the token rules refuse."""


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token for the user. Returns the token and its key: the key
    is stored nowhere and cannot be shown again."""
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise TokenError(
            _("You have %(count)d active tokens: revoke one before creating another.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), key_hash=api_token_hash(key), prefix=key[:9]
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke the token from now on. Revoking it again changes nothing."""
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
    else:
        token.refresh_from_db(fields=["revoked_at"])
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token with this key, its user active too; None otherwise.
    Records when it was last used, at most once a minute."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=api_token_hash(key))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional: of many concurrent requests, one writes.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
