"""API rate limits, counted in the default cache (so shared by every app
process). The rates are read at each request from
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, not frozen at import as DRF's
own classes do, so a test or a setting change takes effect at once."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _LiveRate:
    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No API throttle rate for scope {self.scope!r}") from exc


class AnonThrottle(_LiveRate, AnonRateThrottle):
    """Anonymous clients, per address (scope ``anon``)."""


class UserThrottle(_LiveRate, UserRateThrottle):
    """Authenticated clients, per user (scope ``user``)."""


class ScopedThrottle(_LiveRate, ScopedRateThrottle):
    """Views with a ``throttle_scope`` (e.g. ``quiz``), per user or address."""
