"""Template helpers of badges: the absolute links an award is shared by,
and what is missing for a course's badge from what the course page has."""

from django import template

from badges import openbadges
from badges.selectors import steps_from

register = template.Library()


@register.filter
def verification_url(award) -> str:
    """The award's public address (what an employer opens)."""
    return openbadges.assertion_url(award)


@register.filter
def linkedin_url(award) -> str:
    """LinkedIn's "add a certification" form, prefilled with the award."""
    return openbadges.linkedin_url(award)


@register.simple_tag
def badge_steps(units, done, eligibility) -> list:
    """The steps left for the badge, from the course page's grains, the ids
    of those done and ``badges.selectors.Eligibility`` (no query)."""
    if eligibility is None:
        return []
    return steps_from(units=units, done=done, quizzes_to_pass=eligibility.quizzes_to_pass)
