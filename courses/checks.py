"""System check: the committee's rule (settings.COMMITTEE) is one the
platform can apply, checked at start rather than at the first vote."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .committee import committee_rule


@register()
def check_committee_rule(app_configs, **kwargs):
    try:
        committee_rule()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="courses.E001")]
    return []
