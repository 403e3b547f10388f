"""Courses as files: read a folder of Markdown files with front matter,
check everything, then load it. The format is described in content/README.md.

Parsing never touches the database and collects every error (file and
field); loading happens only when there is none, so a wrong file loads
nothing. Quiz specifications are read by quizzes.content, the app that owns
quizzes; this module keeps a quiz unit's front matter for it.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from .models import Competence, Course, Unit
from .services import course_publish, course_search_index
from .video import parse_video_url

UNIT_FILE = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.md$")
COURSE_FIELDS = {
    "title",
    "slug",
    "level",
    "language",
    "licence",
    "authors",
    "organisation",
    "source_title",
    "source_url",
    "competences",
    "status",
    "summary",
    "keywords",
}
UNIT_FIELDS = {"kind", "title", "minutes", "required", "video_url", "duration"}


@dataclass
class ContentError:
    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


@dataclass
class UnitSpec:
    path: Path
    slug: str
    position: int
    kind: str
    title: str
    minutes: int
    required: bool
    body: str
    video_url: str = ""
    duration: int | None = None
    meta: dict = field(default_factory=dict)  # the whole front matter, for quizzes


@dataclass
class CourseSpec:
    path: Path
    slug: str
    title: str
    level: str
    language: str
    licence: str
    credits: str
    competences: list[str]
    status: str
    summary: str
    description: str
    units: list[UnitSpec]
    keywords: str = ""
    organisation: str = ""
    source_title: str = ""
    source_url: str = ""


def _read(path: Path, errors: list[ContentError]):
    try:
        return frontmatter.load(path, encoding="utf-8-sig")  # a BOM from Windows editors is fine
    except (yaml.YAMLError, UnicodeDecodeError, ValueError) as exc:
        errors.append(ContentError(path, "front matter", f"cannot be read: {exc}"))
        return None


def _text(
    meta: dict, key: str, path: Path, errors: list, required: bool = True, max_length: int = 200
) -> str:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(ContentError(path, key, "is required"))
        return ""
    if not isinstance(value, str | int | float):
        errors.append(ContentError(path, key, "must be text"))
        return ""
    value = str(value).strip()
    if len(value) > max_length:
        errors.append(ContentError(path, key, f"is longer than {max_length} characters"))
    return value


def _choice(meta: dict, key: str, choices, path: Path, errors: list, default=None) -> str:
    value = meta.get(key, default)
    valid = [c[0] if isinstance(c, tuple) else c for c in choices]
    if value not in valid:
        errors.append(ContentError(path, key, f"must be one of {', '.join(valid)} (got {value!r})"))
        return default or valid[0]
    return value


SMALL_INT_MAX = 32767  # PositiveSmallIntegerField holds up to this on every database


def _positive_int(
    meta: dict,
    key: str,
    path: Path,
    errors: list,
    required: bool = True,
    maximum: int = SMALL_INT_MAX,
) -> int | None:
    value = meta.get(key)
    if value is None:
        if required:
            errors.append(ContentError(path, key, "is required"))
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        errors.append(
            ContentError(path, key, f"must be a whole number from 1 to {maximum} (got {value!r})")
        )
        return None
    return value


def _authors(meta: dict, path: Path, errors: list[ContentError]) -> list[str]:
    """The people credited; none is fine when an ``organisation`` is credited
    (a course is never credited to nobody, nor to a made-up team name)."""
    authors = meta.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    if not authors and str(meta.get("organisation") or "").strip():
        return []
    if (
        not isinstance(authors, list)
        or not authors
        or not all(isinstance(a, str) and a.strip() for a in authors)
    ):
        errors.append(
            ContentError(path, "authors", "must list at least one name (or give an organisation)")
        )
        return []
    return authors


def _source_url(meta: dict, path: Path, errors: list[ContentError]) -> str:
    url = _text(meta, "source_url", path, errors, required=False, max_length=500)
    if url:
        try:
            URLValidator(schemes=["https", "http"])(url)
        except ValidationError:
            errors.append(ContentError(path, "source_url", "must be an https:// address"))
    return url


def _competences(meta: dict, path: Path, errors: list[ContentError], known: set[str]) -> list[str]:
    competences = meta.get("competences") or []
    if not isinstance(competences, list):
        errors.append(ContentError(path, "competences", "must be a list of DigComp codes"))
        return []
    competences = [str(c) for c in competences]
    for code in competences:
        if code not in known:
            errors.append(ContentError(path, "competences", f"unknown competence code {code!r}"))
    return competences


def _keywords(meta: dict, path: Path, errors: list[ContentError]) -> str:
    """Search keywords: a list (or a comma-separated text) of short phrases."""
    keywords = meta.get("keywords") or []
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    if not isinstance(keywords, list) or not all(isinstance(k, str | int) for k in keywords):
        errors.append(ContentError(path, "keywords", "must be a list of words or phrases"))
        return ""
    keywords = [str(k).strip() for k in keywords if str(k).strip()]
    if any(len(k) > 60 for k in keywords):
        errors.append(ContentError(path, "keywords", "each keyword must be under 60 characters"))
    text = ", ".join(keywords)
    if len(text) > 600:
        errors.append(ContentError(path, "keywords", "are longer than 600 characters together"))
    return text


def _unit_specs(path: Path, errors: list[ContentError]) -> list["UnitSpec"]:
    """The course folder's grain files, in file-name order."""
    units = []
    unit_files = sorted(p for p in path.glob("*.md") if p.name != "course.md")
    seen: set[str] = set()
    for unit_file in unit_files:
        match = UNIT_FILE.match(unit_file.name)
        if not match:
            errors.append(ContentError(unit_file, "file name", "must look like 01-my-grain.md"))
            continue
        if len(match.group(2)) > 120:
            errors.append(
                ContentError(
                    unit_file, "file name", "the grain's name is longer than 120 characters"
                )
            )
            continue
        unit = _parse_unit(unit_file, int(match.group(1)), match.group(2), errors)
        if unit is None:
            continue
        if unit.slug in seen:
            errors.append(
                ContentError(unit_file, "file name", f"the grain {unit.slug!r} appears twice")
            )
        seen.add(unit.slug)
        units.append(unit)
    return units


def parse_course_dir(
    path: Path, known_competences: set[str]
) -> tuple[CourseSpec | None, list[ContentError]]:
    errors: list[ContentError] = []
    course_file = path / "course.md"
    if not course_file.is_file():
        return None, [ContentError(course_file, "file", "is missing")]
    post = _read(course_file, errors)
    if post is None:
        return None, errors
    meta = post.metadata
    for unknown in sorted(set(meta) - COURSE_FIELDS):
        errors.append(ContentError(course_file, unknown, "is not a known field"))
    slug = _text(meta, "slug", course_file, errors, max_length=120)
    if slug and slugify(slug) != slug:
        errors.append(
            ContentError(course_file, "slug", "must be lowercase letters, digits and hyphens")
        )
    authors = _authors(meta, course_file, errors)
    competences = _competences(meta, course_file, errors, known_competences)
    spec = CourseSpec(
        path=path,
        slug=slug,
        title=_text(meta, "title", course_file, errors),
        level=_choice(meta, "level", Course.Level.choices, course_file, errors),
        language=_choice(meta, "language", ["fr", "en"], course_file, errors, default="fr"),
        licence=_choice(
            meta, "licence", Course.Licence.choices, course_file, errors, default="CC-BY-SA-4.0"
        ),
        credits=", ".join(a.strip() for a in authors),
        competences=competences,
        status=_choice(
            meta, "status", Course.Status.choices, course_file, errors, default="published"
        ),
        summary=_text(meta, "summary", course_file, errors, max_length=600),
        description=post.content,
        units=[],
        keywords=_keywords(meta, course_file, errors),
        organisation=_text(meta, "organisation", course_file, errors, required=False),
        source_title=_text(
            meta, "source_title", course_file, errors, required=False, max_length=300
        ),
        source_url=_source_url(meta, course_file, errors),
    )
    for key in ("organisation", "source_title"):
        if "\n" in getattr(spec, key):
            errors.append(ContentError(course_file, key, "must be on one line"))
    if len(spec.credits) > 300:
        errors.append(
            ContentError(course_file, "authors", "are longer than 300 characters together")
        )

    spec.units.extend(_unit_specs(path, errors))
    if not spec.units:
        errors.append(ContentError(path, "grains", "a course needs at least one grain file"))
    return spec, errors


def _parse_unit(
    path: Path, position: int, slug: str, errors: list[ContentError]
) -> UnitSpec | None:
    post = _read(path, errors)
    if post is None:
        return None
    meta = post.metadata
    kind = _choice(meta, "kind", Unit.Kind.choices, path, errors)
    if kind != Unit.Kind.QUIZ:
        for unknown in sorted(set(meta) - UNIT_FIELDS):
            errors.append(ContentError(path, unknown, "is not a known field"))
    required = meta.get("required", True)
    if not isinstance(required, bool):
        errors.append(ContentError(path, "required", "must be true or false"))
        required = True
    unit = UnitSpec(
        path=path,
        slug=slug,
        position=position,
        kind=kind,
        title=_text(meta, "title", path, errors),
        minutes=_positive_int(meta, "minutes", path, errors, maximum=600) or 1,
        required=required,
        body=post.content,
        meta=meta,
    )
    if kind == Unit.Kind.VIDEO:
        unit.video_url = _text(meta, "video_url", path, errors, max_length=200)
        if unit.video_url and parse_video_url(unit.video_url) is None:
            errors.append(
                ContentError(
                    path, "video_url", "must be a YouTube, Vimeo or allowed PeerTube https link"
                )
            )
        unit.duration = _positive_int(
            meta, "duration", path, errors, required=False, maximum=24 * 3600
        )
        if not post.content.strip():
            errors.append(
                ContentError(path, "transcript", "a video grain needs its transcript as the body")
            )
    elif kind == Unit.Kind.FICHE and not post.content.strip():
        errors.append(ContentError(path, "body", "a fiche needs a body"))
    return unit


def read_content(root: Path) -> tuple[list[CourseSpec], list[ContentError]]:
    """Every course folder below ``root`` (a folder holding course.md)."""
    known = set(Competence.objects.values_list("code", flat=True))
    specs, errors = [], []
    folders = sorted({p.parent for p in root.rglob("course.md")})
    if not folders:
        errors.append(ContentError(root, "folder", "holds no course (no course.md found)"))
    slugs: dict[str, Path] = {}
    for folder in folders:
        spec, course_errors = parse_course_dir(folder, known)
        errors.extend(course_errors)
        if spec is not None:
            if spec.slug and spec.slug in slugs:
                errors.append(
                    ContentError(
                        folder / "course.md", "slug", f"already used by {slugs[spec.slug]}"
                    )
                )
            slugs[spec.slug] = folder
            specs.append(spec)
    return specs, errors


def save_if_changed(obj, **values) -> bool:
    """Set the fields and save only if one differs (or the row is new), so
    that loading the same files again changes no data, not even a timestamp."""
    changed = obj.pk is None
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.save()
    return changed


def course_load(spec: CourseSpec) -> tuple[Course, dict[str, Unit], dict[str, int]]:
    """Create or update the course and its grains in place (matched by slug).
    Grains no longer in the files are removed. Call inside a transaction."""
    stats = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
    course = Course.objects.filter(slug=spec.slug).first() or Course(slug=spec.slug)
    is_new = course.pk is None
    status = spec.status
    if status == Course.Status.PUBLISHED and not course.is_published:
        # Published only through courses.services.course_publish: the caller
        # does it once the grains are loaded (course_publish_loaded).
        status = course.status if course.pk else Course.Status.DRAFT
    changed = save_if_changed(
        course,
        title=spec.title,
        level=spec.level,
        language=spec.language,
        licence=spec.licence,
        credits=spec.credits,
        organisation=spec.organisation,
        source_title=spec.source_title,
        source_url=spec.source_url,
        status=status,
        summary=spec.summary,
        description=spec.description,
        keywords=spec.keywords,
    )
    if is_new or set(course.competences.values_list("code", flat=True)) != set(spec.competences):
        course.competences.set(Competence.objects.filter(code__in=spec.competences))
        changed = True

    existing = {u.slug: u for u in course.units.all()}
    units: dict[str, Unit] = {}
    for unit_spec in spec.units:
        unit = existing.pop(unit_spec.slug, None) or Unit(course=course, slug=unit_spec.slug)
        is_video = unit_spec.kind == Unit.Kind.VIDEO
        changed |= save_if_changed(
            unit,
            position=unit_spec.position,
            kind=unit_spec.kind,
            title=unit_spec.title,
            minutes=unit_spec.minutes,
            required=unit_spec.required,
            body="" if is_video else unit_spec.body,
            transcript=unit_spec.body if is_video else "",
            video_url=unit_spec.video_url if is_video else "",
            duration_seconds=unit_spec.duration if is_video else None,
        )
        units[unit.slug] = unit
    if existing:
        changed = True
    for stale in existing.values():
        stale.delete()
        stats["removed"] += 1
    stats["created" if is_new else "updated" if changed else "unchanged"] += 1
    if changed or is_new or not course.search_terms.exists():
        course_search_index(course=course)
    return course, units, stats


def course_publish_loaded(*, spec: CourseSpec, course: Course, changed: bool) -> None:
    """The content files are the platform's trusted seed: a course they say
    is published is published through the committee's one path,
    ``course_publish`` (a new version when its content changed, nothing when
    loaded again unchanged), so that its badge class follows the same
    signal. Call after its grains and quizzes are loaded."""
    if spec.status == Course.Status.PUBLISHED and (not course.is_published or changed):
        course_publish(course=course)
