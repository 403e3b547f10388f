"""Writes of the studio: an author creates and edits a draft course and its
grains, and proposes it. Each service checks that the author may still edit
the course (``courses.selectors.course_editable_by``) with the course's row
locked, so a grain cannot change while the course is being proposed; the
proposal itself is ``courses.services.proposal_submit``, the governance's
one entry point.

Views parse the input with the studio's forms (which run the models'
validators) and hand the unsaved instance to a service, which saves it."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from courses.models import Course, Unit
from courses.selectors import course_editable_by
from courses.services import course_search_index, proposal_submit
from courses.signals import course_copy_parts
from learning_platform.errors import DomainError
from quizzes.models import Quiz

SLUG_MAX = 100  # leaves room for "-NNN" under the slug columns' 120 characters
SLUG_TRIES = 5


class StudioError(DomainError):
    """A change the studio refuses; ``message`` says why, in the user's language."""


class CourseLocked(StudioError):
    """The course is no longer a draft this user may edit."""


def unique_slug(title: str, *, taken, fallback: str) -> str:
    """``title`` as a slug (ASCII, at most SLUG_MAX characters), made unique
    by "-2", "-3"... among the slugs ``taken(prefix)`` returns."""
    base = slugify(title)[:SLUG_MAX].strip("-") or fallback
    existing = set(taken(base))
    if base not in existing:
        return base
    n = 2
    while f"{base}-{n}" in existing:
        n += 1
    return f"{base}-{n}"


def _course_slug(title: str) -> str:
    return unique_slug(
        title,
        taken=lambda base: Course.objects.filter(slug__startswith=base).values_list(
            "slug", flat=True
        ),
        fallback="parcours",
    )


def _unit_slug(course: Course, title: str, *, exclude: int | None = None) -> str:
    def taken(base):
        units = course.units.filter(slug__startswith=base)
        if exclude is not None:
            units = units.exclude(pk=exclude)
        return units.values_list("slug", flat=True)

    return unique_slug(title, taken=taken, fallback="grain")


def _locked_course(*, user, course_id: int) -> Course:
    """The course, its row locked for the transaction, if ``user`` may edit it."""
    course = Course.objects.select_for_update().get(pk=course_id)
    if not course_editable_by(user=user, course=course):
        raise CourseLocked(_("This course can no longer be changed: it is not a draft you author."))
    return course


def _touch(course: Course) -> None:
    """The course changed through one of its grains: newest first in the studio,
    and its search index rebuilt."""
    Course.objects.filter(pk=course.pk).update(updated_at=timezone.now())
    course_search_index(course=course)


def _save_with_slug(obj, make_slug) -> None:
    """Save ``obj`` under a fresh slug; two authors saving the same title at
    the same moment both succeed (the loser of the race takes the next one)."""
    for attempt in range(SLUG_TRIES):
        obj.slug = make_slug()
        try:
            with transaction.atomic():
                obj.save()
            return
        except IntegrityError:
            if attempt == SLUG_TRIES - 1:
                raise


def course_create(*, author, course: Course, competences) -> Course:
    """Save a new draft ``course`` (an unsaved instance, validated by the
    studio's form): a slug from its title, unique; ``author`` among its
    authors; its competences; its search index."""
    if not (author.is_authenticated and author.is_author):
        raise StudioError(_("Only authors write courses in the studio."))
    with transaction.atomic():
        course.status = Course.Status.DRAFT
        course.published_at = None
        _save_with_slug(course, lambda: _course_slug(course.title))
        course.authors.add(author)
        course.competences.set(competences)
        course_search_index(course=course)
    return course


def course_update(*, user, course: Course, competences) -> Course:
    """Save the metadata of a draft ``course`` (the form's instance, changed
    in memory). Its slug, status and authors stay as they are."""
    with transaction.atomic():
        stored = _locked_course(user=user, course_id=course.pk)
        course.slug = stored.slug
        course.status = stored.status
        course.published_at = stored.published_at
        course.save()
        course.competences.set(competences)
        course_search_index(course=course)
    return course


def _renumber(course: Course) -> list[Unit]:
    """Positions 1, 2, 3... in the grains' current order; the grains, in order."""
    units = list(course.units.order_by("position", "id"))
    changed = []
    for position, unit in enumerate(units, start=1):
        if unit.position != position:
            unit.position = position
            changed.append(unit)
    if changed:
        Unit.objects.bulk_update(changed, ["position"])
    return units


def unit_create(*, user, course: Course, unit: Unit) -> Unit:
    """Add the grain ``unit`` (unsaved, its kind set, validated by the
    studio's form) at the end of the draft ``course``, with a slug from its
    title unique in the course. A quiz grain gets its quiz with the default
    settings (the questions are written in the quiz editor)."""
    if unit.kind not in Unit.Kind.values:
        raise StudioError(_("Choose a fiche, a video or a quiz."))
    with transaction.atomic():
        course = _locked_course(user=user, course_id=course.pk)
        unit.course = course
        unit.position = (course.units.aggregate(last=Max("position"))["last"] or 0) + 1
        _save_with_slug(unit, lambda: _unit_slug(course, unit.title))
        if unit.kind == Unit.Kind.QUIZ:
            Quiz.objects.create(unit=unit)
        _renumber(course)
        _touch(course)
    return unit


def unit_update(*, user, unit: Unit) -> Unit:
    """Save the grain ``unit`` (the form's instance, changed in memory). Its
    course, kind, slug and position stay as they are."""
    with transaction.atomic():
        course = _locked_course(user=user, course_id=unit.course_id)
        stored = course.units.get(pk=unit.pk)
        unit.kind, unit.slug, unit.position = stored.kind, stored.slug, stored.position
        unit.save()
        _touch(course)
    return unit


def unit_move(*, user, unit: Unit, direction: str) -> None:
    """Move the grain one place up or down; at either end, nothing moves."""
    if direction not in ("up", "down"):
        raise StudioError(_("Move a grain up or down."))
    with transaction.atomic():
        course = _locked_course(user=user, course_id=unit.course_id)
        units = _renumber(course)
        index = next((i for i, u in enumerate(units) if u.pk == unit.pk), None)
        if index is None:
            raise StudioError(_("This grain is not in this course."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(units):
            return
        first, second = units[index], units[other]
        first.position, second.position = second.position, first.position
        Unit.objects.bulk_update([first, second], ["position"])
        _touch(course)


def unit_toggle_required(*, user, unit: Unit) -> Unit:
    """A required grain becomes optional, an optional one required."""
    with transaction.atomic():
        course = _locked_course(user=user, course_id=unit.course_id)
        unit = course.units.get(pk=unit.pk)
        unit.required = not unit.required
        unit.save()
        _touch(course)
    return unit


def unit_delete(*, user, unit: Unit) -> None:
    """Delete the grain (and its quiz) from the draft; the others close the gap."""
    with transaction.atomic():
        course = _locked_course(user=user, course_id=unit.course_id)
        course.units.filter(pk=unit.pk).delete()
        _renumber(course)
        _touch(course)


def course_propose(*, user, course: Course, note: str = ""):
    """Put the draft to the pedagogical committee (``proposal_submit``): the
    course is frozen as it is now. A course without any grain has nothing
    to review and is refused here. A working copy is proposed as a revision
    of its published course, with ``note`` (what changed, required)."""
    with transaction.atomic():
        if course.revision_of_id is not None:
            # The published course's row is locked before its copy's, as in
            # revision_start and proposal_submit.
            Course.objects.select_for_update().filter(pk=course.revision_of_id).first()
        course = _locked_course(user=user, course_id=course.pk)
        if not course.units.exists():
            raise StudioError(
                _("Add at least one grain (a fiche, a video or a quiz) before proposing.")
            )
        return proposal_submit(author=user, course=course, note=note)


# Revising a published course: a working copy

# What a working copy takes from its published course, besides its grains.
COPIED_FIELDS = (
    "title",
    "summary",
    "description",
    "level",
    "language",
    "licence",
    "credits",
    "organisation",
    "source_title",
    "source_url",
    "keywords",
)
COPIED_UNIT_FIELDS = (
    "slug",
    "position",
    "kind",
    "title",
    "minutes",
    "required",
    "body",
    "video_url",
    "video_file",
    "captions",
    "transcript",
    "duration_seconds",
)


def revision_start(*, user, course: Course) -> Course:
    """The working copy of the published ``course``, made on the first call:
    a draft with the same information, competences, authors and grains (same
    slugs, positions and content; quizzes copied by the quizzes app through
    ``course_copy_parts``), under the slug "<slug>-revision". Its authors
    edit it in the studio while learners keep following the published
    course; proposed, it is a revision of it (``proposal_submit``). A second
    call returns the same copy. Only an author of the course may."""
    if not (user.is_authenticated and user.is_author):
        raise StudioError(_("Only authors write courses in the studio."))
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if not course.authors.filter(pk=user.pk).exists():
            raise CourseLocked(_("Only an author of this course may revise it."))
        if course.status != Course.Status.PUBLISHED or course.revision_of_id is not None:
            raise StudioError(_("Only a published course is revised."))
        existing = course.working_copies.first()
        if existing is not None:
            return existing
        copy = Course(
            revision_of=course,
            status=Course.Status.DRAFT,
            **{name: getattr(course, name) for name in COPIED_FIELDS},
        )
        _save_with_slug(
            copy,
            lambda: unique_slug(
                f"{course.slug}-revision",
                taken=lambda base: Course.objects.filter(slug__startswith=base).values_list(
                    "slug", flat=True
                ),
                fallback="revision",
            ),
        )
        copy.authors.set(course.authors.all())
        copy.competences.set(course.competences.all())
        for unit in course.units.order_by("position", "id"):
            fields = {name: getattr(unit, name) for name in COPIED_UNIT_FIELDS}
            # The uploaded files are shared by name, never copied.
            fields["video_file"], fields["captions"] = unit.video_file.name, unit.captions.name
            Unit.objects.create(course=copy, **fields)
        course_copy_parts.send(sender=Course, source=course, target=copy)
        course_search_index(course=copy)
    return copy


def revision_discard(*, user, course: Course) -> Course:
    """Give up the working copy ``course`` (a draft revision: not while the
    committee reads it): it is deleted; the published course, its learners
    and its history stay as they are. Returns the published course."""
    if course.revision_of_id is None:
        raise StudioError(_("Only a revision in progress can be discarded."))
    with transaction.atomic():
        original = Course.objects.select_for_update().get(pk=course.revision_of_id)
        copy = _locked_course(user=user, course_id=course.pk)
        copy.delete()
    return original
