"""Refuse to serve production with the default secret key."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MESSAGE = (
    "SECRET_KEY is the insecure default: set SECRET_KEY in the environment"
    " (or DEBUG=true on a laptop)."
)


def uses_default_secret_key() -> bool:
    return not settings.DEBUG and settings.SECRET_KEY == settings.INSECURE_SECRET_KEY


def refuse_insecure_key() -> None:
    """Called by the WSGI and ASGI entry points before serving anything."""
    if uses_default_secret_key():
        raise ImproperlyConfigured(MESSAGE)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    if uses_default_secret_key():
        return [Error(MESSAGE, id="learning_platform.E001")]
    return []
