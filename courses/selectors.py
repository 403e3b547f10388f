"""Reads of the courses app."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from .models import Competence, CompetenceArea, Course, Unit


def level_rank(level: str) -> int:
    """The one order of levels, gentlest first: that of ``Course.Level``."""
    return Course.Level.values.index(level)


# The same order in SQL, to sort a queryset.
LEVEL_RANK = Case(
    *(When(level=level, then=Value(level_rank(level))) for level in Course.Level.values),
    output_field=IntegerField(),
)


def competence_areas() -> list[CompetenceArea]:
    return list(CompetenceArea.objects.order_by("code"))


def competence_framework() -> list[CompetenceArea]:
    """The areas with their competences, in code order (two queries)."""
    return list(
        CompetenceArea.objects.order_by("code").prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("code"))
        )
    )


def catalogue_courses(*, q: str = "", level: str = "", area: str = ""):
    """Published courses with their totals and competences, gentlest first."""
    courses = Course.objects.published()
    if level:
        courses = courses.filter(level=level)
    if area:
        courses = courses.filter(competences__area__code=area)
    if q:
        courses = courses.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    ids = courses.values("id")
    return (
        Course.objects.filter(id__in=ids)
        .with_totals()
        .annotate(level_rank=LEVEL_RANK)
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("code")))
        .order_by("level_rank", "title", "id")
    )


def course_for_page(*, slug: str, user) -> Course:
    """The course with its totals and competences, if the user may see it.
    Raises Course.DoesNotExist otherwise."""
    return (
        Course.objects.visible_to(user)
        .with_totals()
        .prefetch_related(
            Prefetch("competences", queryset=Competence.objects.select_related("area"))
        )
        .get(slug=slug)
    )


def course_units(*, course: Course) -> list[Unit]:
    return list(course.units.order_by("position", "id"))


@dataclass(frozen=True)
class UnitInCourse:
    """A grain with its place in the course: for the unit page and the API."""

    unit: Unit
    units: list[Unit]
    previous: Unit | None
    next: Unit | None


def unit_for_page(*, course: Course, unit_slug: str) -> UnitInCourse:
    """The grain of a course the user may see (see ``course_for_page``), with
    its neighbours. Raises Unit.DoesNotExist when the course has no such grain."""
    units = course_units(course=course)
    index = next((i for i, u in enumerate(units) if u.slug == unit_slug), None)
    if index is None:
        raise Unit.DoesNotExist
    unit = units[index]
    unit.course = course  # the course already fetched, with its totals
    return UnitInCourse(
        unit=unit,
        units=units,
        previous=units[index - 1] if index > 0 else None,
        next=units[index + 1] if index + 1 < len(units) else None,
    )


def published_unit(*, unit_id: int, kinds) -> Unit:
    """A grain of one of ``kinds`` in a published course, with its course.
    Raises Unit.DoesNotExist otherwise."""
    return Unit.objects.select_related("course").get(
        pk=unit_id, course__status=Course.Status.PUBLISHED, kind__in=kinds
    )
