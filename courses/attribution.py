"""The attribution line of a course or of one of its grains, in the TASL
form the Creative Commons licences ask for: Title, Authors, Source, Licence.

Built here once, from the course's data; every place that credits a course
shows this line: the course page and each grain page (as HTML, through
``Attribution.html`` or the ``{% attribution_line %}`` tag), the badge's
criteria and the personal-data export (as plain text, ``Attribution.text``).
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import Course, Unit


@dataclass(frozen=True)
class Attribution:
    """The parts of a course's credit line; ``text`` and ``html`` word them."""

    course_title: str
    unit_title: str  # "" when crediting the whole course
    authors: tuple[str, ...]  # people, as credited (or the author accounts' names)
    organisation: str
    source_title: str
    source_url: str
    licence: str  # as shown: "CC BY-SA 4.0"
    licence_url: str

    def _sentence(self, parts: dict[str, str]) -> str:
        """The line with ``parts`` (already escaped for HTML, or plain) in
        the active language's wording."""
        if self.unit_title:
            work = _("“%(unit)s” from the course “%(course)s”") % {
                "unit": parts["unit"],
                "course": parts["course"],
            }
        else:
            work = _("“%(course)s”") % {"course": parts["course"]}
        names = parts["authors"]
        if names and parts["organisation"]:
            by = _("%(names)s (%(organisation)s)") % {
                "names": names,
                "organisation": parts["organisation"],
            }
        else:
            by = names or parts["organisation"]
        source = ""
        if parts["source"]:
            source = _(", adapted from “%(source)s”") % {"source": parts["source"]}
            source += parts.get("source_address", "")
        values = {"work": work, "by": by, "source": source, "licence": parts["licence"]}
        if by:
            return _("%(work)s by %(by)s%(source)s, licence %(licence)s.") % values
        return _("%(work)s%(source)s, licence %(licence)s.") % values

    def _plain_parts(self) -> dict[str, str]:
        return {
            "unit": self.unit_title,
            "course": self.course_title,
            "authors": ", ".join(self.authors),
            "organisation": self.organisation,
            "source": self.source_title or self.source_url,
            "licence": self.licence,
        }

    @property
    def text(self) -> str:
        """The line as plain text (badge criteria, exports), with the
        addresses of the source and the licence in brackets."""
        parts = self._plain_parts()
        if self.source_url and self.source_title:
            parts["source_address"] = f" ({self.source_url})"
        if self.licence_url:
            parts["licence"] = f"{self.licence} ({self.licence_url})"
        return self._sentence(parts)

    @property
    def html(self) -> SafeString:
        """The line as HTML: every part escaped, the source and the licence linked."""
        parts = {key: escape(value) for key, value in self._plain_parts().items()}
        if self.source_url and parts["source"]:
            parts["source"] = (
                f'<a href="{escape(self.source_url)}" rel="noopener">{parts["source"]}</a>'
            )
        if self.licence_url:
            url = escape(self.licence_url)
            parts["licence"] = f'<a href="{url}" rel="license noopener">{parts["licence"]}</a>'
        return mark_safe(self._sentence(parts))

    def __str__(self) -> str:
        return self.text


def credited_names(credits: str) -> tuple[str, ...]:
    """The names of ``Course.credits`` (separated by commas), trimmed."""
    return tuple(name.strip() for name in (credits or "").split(",") if name.strip())


def attribution(course: Course, unit: Unit | None = None) -> Attribution:
    """The credit line of ``course``, or of its grain ``unit``. The authors
    are the names as credited (``Course.credits``); when there are none, the
    display names of the course's author accounts (one query, none when
    ``authors`` is prefetched), never a generic label."""
    names = credited_names(course.credits)
    if not names and course.pk:
        names = tuple(
            sorted(
                (user.display_name or user.username for user in course.authors.all()),
                key=str.casefold,
            )
        )
    return Attribution(
        course_title=course.title,
        unit_title=unit.title if unit is not None else "",
        authors=names,
        organisation=course.organisation.strip(),
        source_title=course.source_title.strip(),
        source_url=course.source_url.strip(),
        licence=course.get_licence_display(),
        licence_url=course.licence_url,
    )
