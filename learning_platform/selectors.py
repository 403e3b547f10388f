"""Reads of the site-wide app."""

from .models import ApiToken


def api_tokens_for(*, user):
    """The user's tokens still in use, newest first."""
    return ApiToken.objects.active().filter(user=user).order_by("-created_at", "-id")
