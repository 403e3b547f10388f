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
from django.core.files import File
from django.core.validators import URLValidator
from django.utils.text import slugify

from learning_platform.validators import CAPTIONS_MAX, VIDEO_MAX

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
    "competences",
    "status",
    "summary",
    "keywords",
    "organisation",
    "source",
}
UNIT_FIELDS = {
    "kind",
    "title",
    "minutes",
    "required",
    "video_url",
    "duration",
    "video_file",
    "captions",
}
# Media a grain's front matter may name, relative to the course folder:
# field -> (allowed extensions, largest size in bytes).
MEDIA_FILES = {
    "video_file": ({".mp4", ".webm"}, VIDEO_MAX),
    "captions": ({".vtt"}, CAPTIONS_MAX),
}


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
    video_file: Path | None = None  # a file of the course folder
    captions: Path | None = None
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


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without aliases (``*name``): course files never need them, and a
    few nested aliases expand to billions of values once printed or walked
    (a "billion laughs" in a shared zip)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


class _FrontMatter(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs):
        return yaml.load(fm, Loader=_NoAliasLoader)  # noqa: S506 (a SafeLoader)


def _read(path: Path, errors: list[ContentError]):
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from Windows editors is fine
        handler = _FrontMatter() if _FrontMatter().detect(text) else None
        post = frontmatter.loads(text, handler=handler)
        if "\x00" in text or _holds_nul(post.metadata):
            # PostgreSQL refuses NUL in text: a file would fail half loaded.
            errors.append(ContentError(path, "file", "holds a NUL character"))
            return None
        return post
    except (yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        errors.append(ContentError(path, "front matter", f"cannot be read: {exc}"))
        return None


def _holds_nul(value) -> bool:
    """Whether a NUL character hides in the front matter (YAML's "\\0" escape)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


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


def _single_line(meta: dict, key: str, path: Path, errors: list, max_length: int) -> str:
    value = _text(meta, key, path, errors, required=False, max_length=max_length)
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        errors.append(ContentError(path, key, "must be one line of text"))
    return value


def _source(meta: dict, path: Path, errors: list[ContentError]) -> tuple[str, str]:
    """The work a course adapts: ``source: {title: ..., url: https://...}``."""
    source = meta.get("source")
    if source is None:
        return "", ""
    if not isinstance(source, dict) or set(source) - {"title", "url"}:
        errors.append(ContentError(path, "source", "must be a mapping with a title and a url"))
        return "", ""
    title = _single_line(source, "title", path, errors, 300)
    url = _text(source, "url", path, errors, required=False, max_length=500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.append(ContentError(path, "source.url", "must be an http(s) address"))
    return title, url


def _media(meta: dict, key: str, folder: Path, path: Path, errors: list) -> Path | None:
    """A media file named by a grain, inside its course folder."""
    name = meta.get(key)
    if name is None:
        return None
    extensions, largest = MEDIA_FILES[key]
    if not isinstance(name, str) or not name.strip():
        errors.append(ContentError(path, key, "must be a file path, like media/video.mp4"))
        return None
    relative = Path(name.strip())
    target = (folder / relative).resolve()
    if (
        relative.is_absolute()
        or ".." in relative.parts
        or not target.is_relative_to(folder.resolve())
    ):
        errors.append(ContentError(path, key, "must be a file inside the course folder"))
        return None
    if target.suffix.lower() not in extensions or not target.is_file() or target.is_symlink():
        errors.append(
            ContentError(path, key, f"must be an existing {' or '.join(sorted(extensions))} file")
        )
        return None
    if target.stat().st_size > largest:
        errors.append(ContentError(path, key, f"is larger than {largest // (1024 * 1024)} MB"))
        return None
    return target


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
    )
    spec.organisation = _single_line(meta, "organisation", course_file, errors, 200)
    spec.source_title, spec.source_url = _source(meta, course_file, errors)
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
        unit.video_file = _media(meta, "video_file", path.parent, path, errors)
        unit.captions = _media(meta, "captions", path.parent, path, errors)
        unit.video_url = _text(
            meta,
            "video_url",
            path,
            errors,
            required="video_file" not in meta,
            max_length=200,
        )
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
    else:
        for key in MEDIA_FILES:
            if key in meta:
                errors.append(ContentError(path, key, "only a video grain has media files"))
        if kind == Unit.Kind.FICHE and not post.content.strip():
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


def _same_content(stored, source: Path) -> bool:
    try:
        if stored.size != source.stat().st_size:
            return False
        with stored.open("rb") as ours, source.open("rb") as theirs:
            while chunk := ours.read(1 << 20):
                if chunk != theirs.read(len(chunk)):
                    return False
        return True
    except OSError:
        return False


def _stored_file(current, source: Path | None) -> str:
    """The storage name of a grain's media file: the current one when it
    holds the same bytes as ``source`` (loading again changes nothing), else
    a copy of ``source`` saved in the field's folder; "" when there is none."""
    if source is None:
        return ""
    if current and _same_content(current, source):
        return current.name
    with source.open("rb") as handle:
        name = current.field.generate_filename(current.instance, source.name)
        return current.storage.save(name, File(handle), max_length=current.field.max_length)


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
            video_file=_stored_file(unit.video_file, unit_spec.video_file),
            captions=_stored_file(unit.captions, unit_spec.captions),
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
