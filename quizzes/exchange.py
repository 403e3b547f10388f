"""Importing a shared course: a zip of course files (content/README.md)
becomes a new draft, proposed to the pedagogical committee.

Lives in quizzes, the lowest app that knows both courses and quizzes (as
``manage.py load_content`` does); reading the zip safely and writing one is
courses.exchange's. An import never publishes: the course is created as a
draft and goes through the committee like any other
(courses.services.proposal_submit).
"""

import dataclasses
import tempfile
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.content import course_load, parse_course_dir
from courses.exchange import ExchangeError, content_error_lines, extract_course_zip
from courses.models import Competence, Course, Proposal, Unit
from courses.services import proposal_submit

from .content import parse_quiz, quiz_load

SLUG_MAX = 120
_SLUG_TRIES = 5


class _SlugTaken(Exception):
    """Another course took the slug meanwhile: try the next one."""


def _free_slug(slug: str) -> str:
    """``slug`` if no course has it, else the first free ``slug-2``, ``slug-3``..."""
    taken = set(
        Course.objects.filter(slug__startswith=slug[: SLUG_MAX - 4]).values_list("slug", flat=True)
    )
    if slug not in taken:
        return slug
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = slug[: SLUG_MAX - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def course_import_zip(*, author, upload) -> Proposal:
    """Read the zip ``upload`` (checked by courses.exchange.extract_course_zip),
    check every file as ``load_content`` does, then create the course as a
    new draft (its slug followed by -2, -3... when taken), with ``author``
    among its authors, and propose it to the committee. Refused with an
    ExchangeError (nothing created) when anything is wrong. Only an author
    (``user.is_author``) may import."""
    if not getattr(author, "is_author", False):
        raise ExchangeError(_("Only authors may import a course."))
    with tempfile.TemporaryDirectory(prefix="course-import-") as tmp:
        root = Path(tmp)
        folder = extract_course_zip(upload, root)
        known = set(Competence.objects.values_list("code", flat=True))
        spec, errors = parse_course_dir(folder, known)
        quizzes = {}
        for unit in spec.units if spec is not None else []:
            if unit.kind == Unit.Kind.QUIZ:
                quiz_spec, quiz_errors = parse_quiz(unit.path, unit.meta, known)
                errors.extend(quiz_errors)
                quizzes[unit.slug] = quiz_spec
        if errors or spec is None:
            raise ExchangeError(
                _("The course was not imported: correct these errors and try again."),
                content_error_lines(errors, root),
            )
        for _try in range(_SLUG_TRIES):
            try:
                return _create_and_propose(spec=spec, quizzes=quizzes, author=author)
            except (_SlugTaken, IntegrityError):
                continue
    raise ExchangeError(_("The course could not be imported just now: please try again."))


def _create_and_propose(*, spec, quizzes: dict, author) -> Proposal:
    with transaction.atomic():
        slug = _free_slug(spec.slug)
        # A draft whatever the files say: only the committee publishes.
        draft = dataclasses.replace(spec, slug=slug, status=Course.Status.DRAFT)
        course, units, stats = course_load(draft)
        if not stats["created"]:
            raise _SlugTaken  # course_load found a course of that slug: leave it alone
        for unit_slug, unit in units.items():
            if unit.kind == Unit.Kind.QUIZ:
                quiz_load(unit=unit, spec=quizzes[unit_slug], language=course.language)
        course.authors.add(author)
        return proposal_submit(
            author=author,
            course=course,
            note=_("Imported from a course file (%(slug)s).") % {"slug": spec.slug},
        )
