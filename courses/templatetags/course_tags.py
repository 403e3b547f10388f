"""Template filters for the HTML rendered from authors' Markdown."""

import html
import re

from django import template
from django.conf import settings
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from courses.attribution import attribution

register = template.Library()

_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)
_HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.DOTALL)


@register.filter
def scrollable_tables(rendered: str) -> str:
    """Each table of an author's text in a box that scrolls sideways on a
    narrow screen, which the keyboard can reach (tabindex) and a screen reader
    names (its columns): a table wider than a phone must not widen the page
    (WCAG 1.4.10), nor be out of reach without a mouse (2.1.1).

    ``rendered`` is HTML already sanitised by courses.markup, which keeps the
    allow-list of authors' tags free of div; the box is the app's own."""

    def wrap(match: re.Match) -> str:
        columns = [html.unescape(strip_tags(h)).strip() for h in _HEADER.findall(match.group(0))]
        columns = [c for c in columns if c]
        label = _("Table: %(columns)s") % {"columns": ", ".join(columns)} if columns else _("Table")
        return (
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{escape(label)}">'
            f"{match.group(0)}</div>"
        )

    return mark_safe(_TABLE.sub(wrap, rendered or ""))


@register.simple_tag
def absolute_url(path: str) -> str:
    """A path on the site's public origin (SITE_URL), for canonical links."""
    return settings.SITE_URL + path


@register.filter
def plain_text(rendered: str) -> str:
    """The text of HTML rendered from Markdown, for a place that shows it as
    plain text (a summary, a table cell): tags stripped and entities decoded
    once (``&rsquo;`` becomes ’), then escaped once by autoescape. Not
    ``striptags``, which keeps the entities and lets autoescape escape them
    a second time (a learner read "n&rsquo;avez")."""
    return html.unescape(strip_tags(rendered or ""))


@register.simple_tag
def attribution_line(course, unit=None):
    """The course's (or its grain's) credit line as HTML, escaped and linked:
    ``courses.attribution``, the one place it is worded."""
    return attribution(course, unit).html
