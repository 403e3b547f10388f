"""A course frozen as JSON: what a proposal puts to the committee.

The snapshot holds the course's metadata and every grain in order with its
Markdown; apps above courses add their part of a grain through the
``course_snapshot_parts`` signal (quizzes: the questions and choices), so
this module never imports them. Only JSON values: the same course gives an
equal dict whether fresh or read back from a ``JSONField``.
"""

from .models import Course
from .signals import course_snapshot_parts

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
