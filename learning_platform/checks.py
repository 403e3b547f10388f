"""System checks: refuse to serve production with the default secret key;
refuse a SITE_URL whose links the site itself would not answer."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.http.request import split_domain_port, validate_host

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


def _allowed_hosts() -> list[str]:
    # What Django itself accepts (HttpRequest.get_host): with DEBUG on and
    # ALLOWED_HOSTS empty, the local addresses.
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [".localhost", "127.0.0.1", "[::1]"]
    return settings.ALLOWED_HOSTS


@register()
def check_site_url(app_configs, **kwargs):
    """Share links, Open Badges ids and e-mails are built on SITE_URL: its
    host must be one the site answers, or every such link is a 400."""
    parts = urlsplit(settings.SITE_URL)
    host, _port = split_domain_port(parts.netloc.rpartition("@")[2])
    if parts.scheme not in ("http", "https") or not host:
        return [
            Error(
                f"SITE_URL {settings.SITE_URL!r} is not an http(s) address.",
                hint="Set SITE_URL to the address learners open, e.g. https://learn.example.org.",
                id="learning_platform.E003",
            )
        ]
    if not validate_host(host, _allowed_hosts()):
        return [
            Error(
                f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS"
                f" {settings.ALLOWED_HOSTS!r}: links to the site would not open.",
                hint=(
                    f"Add {host!r} to ALLOWED_HOSTS, or set SITE_URL to the address"
                    " learners open (make run sets it from HOST and PORT)."
                ),
                id="learning_platform.E002",
            )
        ]
    return []


@register()
def check_media_storage(app_configs, **kwargs):
    """Media on S3-compatible storage need django-storages and boto3 (the
    `deploy` extra): say so at start, not at the first upload."""
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend.startswith("storages."):
        try:
            import boto3  # noqa: F401
            import storages  # noqa: F401
        except ImportError:
            return [
                Error(
                    "AWS_STORAGE_BUCKET_NAME is set but django-storages or boto3 is not installed.",
                    hint="pip install '.[deploy]', or unset AWS_STORAGE_BUCKET_NAME to keep"
                    " media in MEDIA_ROOT.",
                    id="learning_platform.E004",
                )
            ]
    return []
