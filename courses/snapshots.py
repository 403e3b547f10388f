"""A course frozen as JSON: what a proposal puts to the committee.

The snapshot holds the course's metadata and every grain in order with its
Markdown; apps above courses add their part of a grain through the
``course_snapshot_parts`` signal (quizzes: the questions and choices), so
this module never imports them. Only JSON values: the same course gives an
equal dict whether fresh or read back from a ``JSONField``.
"""

from .models import Competence, Course, Unit
from .signals import course_snapshot_apply_parts, course_snapshot_parts

FORMAT = 1


def _file_name(field) -> str:
    return field.name or ""


def course_snapshot(*, course: Course) -> dict:
    """The course as it stands: metadata, competences and grains (with the
    parts other apps hold, e.g. ``units[i]["quiz"]``). Authors' accounts are
    not content (they grant editing) and stay out; the credited names are in."""
    units = [
        {
            "slug": unit.slug,
            "position": unit.position,
            "kind": unit.kind,
            "title": unit.title,
            "minutes": unit.minutes,
            "required": unit.required,
            "body": unit.body,
            "video_url": unit.video_url,
            "video_file": _file_name(unit.video_file),
            "captions": _file_name(unit.captions),
            "transcript": unit.transcript,
            "duration_seconds": unit.duration_seconds,
        }
        for unit in course.units.order_by("position", "id")
    ]
    by_slug = {unit["slug"]: unit for unit in units}
    for _receiver, parts in course_snapshot_parts.send(sender=Course, course=course):
        for key, per_unit in (parts or {}).items():
            for slug, part in per_unit.items():
                if slug in by_slug:
                    by_slug[slug][key] = part
    return {
        "format": FORMAT,
        "course": {
            "slug": course.slug,
            "title": course.title,
            "summary": course.summary,
            "description": course.description,
            "level": course.level,
            "language": course.language,
            "licence": course.licence,
            "credits": course.credits,
            "organisation": course.organisation,
            "source_title": course.source_title,
            "source_url": course.source_url,
            "keywords": course.keywords,
            "competences": sorted(course.competences.values_list("code", flat=True)),
        },
        "units": units,
    }


def _fields(model, data: dict, *, skip: set[str]) -> list[str]:
    """The keys of ``data`` that are editable fields of ``model``: what the
    snapshot holds of it (a part another app adds, e.g. "quiz", is not)."""
    names = {f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key}
    return [name for name in data if name in names and name not in skip]


def snapshot_apply(*, course: Course, snapshot: dict) -> Course:
    """Make ``course`` (a published course) what ``snapshot`` says: an
    accepted revision, applied by courses.services.course_publish inside its
    transaction. The course keeps its row and slug. Its grains are matched
    by slug: a grain still there is updated in place (same row, so the
    completions, enrolments and badges pointing at it stay), a new slug is
    created, a slug no longer in the snapshot is deleted. Apps above courses
    apply their part of each grain (``course_snapshot_apply_parts``)."""
    data = snapshot["course"]
    for name in _fields(Course, data, skip={"slug", "status", "published_at", "revision_of"}):
        setattr(course, name, data[name])
    course.save()
    course.competences.set(Competence.objects.filter(code__in=data["competences"]))
    wanted = {unit["slug"]: unit for unit in snapshot["units"]}
    course.units.exclude(slug__in=wanted).delete()
    existing = {unit.slug: unit for unit in course.units.all()}
    for slug, unit_data in wanted.items():
        unit = existing.get(slug) or Unit(course=course, slug=slug)
        # File fields take their stored name (the file is shared, never copied).
        for name in _fields(Unit, unit_data, skip={"slug", "course"}):
            setattr(unit, name, unit_data[name])
        unit.save()
    course_snapshot_apply_parts.send(sender=Course, course=course, snapshot=snapshot)
    return course
