"""Sharing the commons: a course as a zip of the Markdown files that
content/README.md describes, and such a zip read back safely.

``course_zip`` writes a course's folder from its snapshot
(courses.snapshots: the very data the committee votes on, quizzes
included, so this module never imports quizzes). ``extract_course_zip``
checks a zip before writing a byte of it (size, member count, paths,
links), then extracts it to a folder the content loader reads. The import
service that loads that folder and proposes the course lives in
quizzes.exchange, the lowest app that knows both courses and quizzes (as
``manage.py load_content`` does).
"""

import io
import re
import stat
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path, PurePosixPath

import yaml
from django.utils.translation import gettext as _

from learning_platform.errors import DomainError

from .content import ContentError
from .models import Course, Unit
from .snapshots import course_snapshot

MAX_ZIP_BYTES = 50 * 1024 * 1024  # the upload, compressed
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # every member, once extracted
MAX_MEMBERS = 500
_CHUNK = 1 << 20
_UNIT_SLUG = re.compile(r"[^a-z0-9-]+")


class ExchangeError(DomainError):
    """A zip the platform refuses; ``details`` lists each problem (the
    loader's errors: file, field, message)."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or []


# Export


class _Dumper(yaml.SafeDumper):
    """Readable YAML: Markdown on several lines as a literal block."""


def _str(dumper, value: str):
    value = str(value)  # choices of a model (enums) as their value
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_multi_representer(str, _str)


def _document(meta: dict, body: str) -> bytes:
    front = yaml.dump(
        meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )
    body = body.strip()
    return f"---\n{front}---\n{body}\n".encode() if body else f"---\n{front}---\n".encode()


def _number(text: str | None):
    """A decimal of the snapshot (text) as a YAML number."""
    if text is None:
        return None
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else float(number)


def _question_meta(question: dict) -> dict:
    """One question in the format quizzes.content.parse_quiz reads."""
    meta = {"key": question["key"], "kind": question["kind"], "points": question["points"]}
    if question["competence"]:
        meta["competence"] = question["competence"]
    meta["prompt"] = question["prompt"]
    if question["explanation"]:
        meta["explanation"] = question["explanation"]
    kind, choices = question["kind"], question["choices"]
    if kind in ("single", "multiple"):
        meta["choices"] = []
        for choice in choices:
            item = {"text": choice["text"], "correct": choice["is_correct"]}
            if choice["feedback"]:
                item["feedback"] = choice["feedback"]
            meta["choices"].append(item)
    elif kind == "true_false":
        # The loader writes "True" then "False" (in the course's language).
        yes, no = (choices + [{}, {}])[:2]
        meta["answer"] = bool(yes.get("is_correct"))
        if yes.get("feedback"):
            meta["feedback_true"] = yes["feedback"]
        if no.get("feedback"):
            meta["feedback_false"] = no["feedback"]
    elif kind == "short_text":
        meta["accepted"] = list(question["accepted_answers"] or [])
    elif kind == "numeric":
        meta["answer"] = _number(question["numeric_answer"])
        meta["tolerance"] = _number(question["tolerance"]) or 0
    return meta


def _quiz_meta(quiz: dict) -> dict:
    meta = {"pass_mark": quiz["pass_mark"]}
    if quiz["attempts_allowed"] is not None:
        meta["attempts_allowed"] = quiz["attempts_allowed"]
    if quiz["questions_per_attempt"] is not None:
        meta["questions_per_attempt"] = quiz["questions_per_attempt"]
    meta.update(
        shuffle_questions=quiz["shuffle_questions"],
        shuffle_choices=quiz["shuffle_choices"],
        feedback=quiz["feedback"],
        questions=[_question_meta(q) for q in quiz["questions"]],
    )
    return meta


def _course_meta(course: dict) -> dict:
    meta = {
        "title": course["title"],
        "slug": course["slug"],
        "level": course["level"],
        "language": course["language"],
        "licence": course["licence"],
        "authors": [name.strip() for name in course["credits"].split(",") if name.strip()],
    }
    if course["organisation"]:
        meta["organisation"] = course["organisation"]
    if course["source_title"] or course["source_url"]:
        meta["source"] = {
            key: value
            for key, value in (("title", course["source_title"]), ("url", course["source_url"]))
            if value
        }
    meta["competences"] = course["competences"]
    keywords = [k.strip() for k in course["keywords"].split(",") if k.strip()]
    if keywords:
        meta["keywords"] = keywords
    meta["summary"] = course["summary"]
    # Never "published": whoever loads these files proposes them again.
    meta["status"] = Course.Status.DRAFT.value
    return meta


def course_files(course: Course) -> dict[str, bytes]:
    """The course's folder as content/ expects it, by path: ``<slug>/course.md``,
    one ``NN-<grain>.md`` per grain in order, and the grains' media files
    under ``<slug>/media/``."""
    snapshot = course_snapshot(course=course)
    meta = _course_meta(snapshot["course"])
    if not meta["authors"]:
        # The format needs names or an organisation: with neither credited,
        # the author accounts stand in.
        names = [user.get_full_name() or user.get_username() for user in course.authors.all()]
        if names or not meta.get("organisation"):
            meta["authors"] = names or [course.title]
        else:
            del meta["authors"]
    top = PurePosixPath(course.slug)
    files = {str(top / "course.md"): _document(meta, snapshot["course"]["description"])}
    stored = {u.slug: u for u in Unit.objects.filter(course=course)}
    # The file number is the grain's position when positions are distinct
    # (the loader reads them back as such), else its rank; zero-padded to one
    # width, since the loader orders the files by name.
    numbers = [unit["position"] for unit in snapshot["units"]]
    if len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(numbers) + 1))
    width = max(2, *(len(str(n)) for n in numbers)) if numbers else 2
    for number, unit in zip(numbers, snapshot["units"], strict=True):
        slug = _UNIT_SLUG.sub("-", unit["slug"].lower()).strip("-") or f"grain-{number}"
        unit_meta = {
            "kind": unit["kind"],
            "title": unit["title"],
            "minutes": unit["minutes"],
            "required": unit["required"],
        }
        body = unit["body"]
        if unit["kind"] == Unit.Kind.VIDEO:
            body = unit["transcript"]
            if unit["video_url"]:
                unit_meta["video_url"] = unit["video_url"]
            if unit["duration_seconds"]:
                unit_meta["duration"] = unit["duration_seconds"]
            for key in ("video_file", "captions"):
                if unit[key]:
                    field = getattr(stored[unit["slug"]], key)
                    name = f"media/{slug}{PurePosixPath(unit[key]).suffix.lower()}"
                    try:
                        with field.open("rb") as handle:
                            files[str(top / name)] = handle.read()
                    except OSError:
                        continue  # lost from the storage: the rest of the course still goes
                    unit_meta[key] = name
        elif unit["kind"] == Unit.Kind.QUIZ and "quiz" in unit:
            unit_meta.update(_quiz_meta(unit["quiz"]))
        files[str(top / f"{number:0{width}d}-{slug}.md")] = _document(unit_meta, body)
    return files


def course_zip(course: Course) -> bytes:
    """The course as a zip: one top folder named after its slug (see ``course_files``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in course_files(course).items():
            archive.writestr(name, data)
    return buffer.getvalue()


# Import: reading a zip safely


def _upload_size(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(position)
    return size


def _outside(info: zipfile.ZipInfo) -> ExchangeError:
    return ExchangeError(
        _("The zip holds a file outside its folder (%(name)s): it was not imported.")
        % {"name": info.filename[:200]}
    )


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    """The member's path, or ExchangeError if it could land anywhere but inside."""
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if (
        not name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or ".." in path.parts
        or "\x00" in name
    ):
        raise _outside(info)
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ExchangeError(
            _("The zip holds a symbolic link (%(name)s): it was not imported.")
            % {"name": info.filename[:200]}
        )
    return path


def _too_large() -> ExchangeError:
    return ExchangeError(
        _("The zip is too large once extracted: at most %(size)s MB.")
        % {"size": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
    )


def extract_course_zip(upload, dest: Path) -> Path:
    """Check the zip ``upload`` (a file object), extract it below ``dest``
    and return the folder holding its course.md. Refused, before anything
    is written, when the upload is over MAX_ZIP_BYTES, its members say they
    add up to over MAX_UNCOMPRESSED_BYTES or number over MAX_MEMBERS, a
    member's path is absolute, climbs with ``..`` or is a link, or there is
    no course.md (or more than one). While extracting, the bytes actually
    written are counted too, so a member lying about its size stops there."""
    if _upload_size(upload) > MAX_ZIP_BYTES:
        raise ExchangeError(
            _("The zip is too large: at most %(size)s MB.")
            % {"size": MAX_ZIP_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ExchangeError(_("This file is not a zip archive.")) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ExchangeError(
                _("The zip holds too many files: at most %(count)s.") % {"count": MAX_MEMBERS}
            )
        if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
            raise _too_large()
        paths = [(info, _member_path(info)) for info in infos]
        courses = [p for _info, p in paths if p.name == "course.md" and len(p.parts) <= 2]
        if not courses:
            raise ExchangeError(
                _("The zip holds no course.md file (at its top or in its one folder).")
            )
        if len(courses) > 1:
            raise ExchangeError(_("The zip holds several courses: import them one at a time."))
        root = dest.resolve()
        written = 0
        try:
            for info, path in paths:
                target = (root / path).resolve()
                if not target.is_relative_to(root):
                    raise _outside(info)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source, target.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > MAX_UNCOMPRESSED_BYTES:
                            raise _too_large()
                        out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            # Damaged, encrypted or of an unknown compression.
            raise ExchangeError(_("This zip archive is damaged or encrypted.")) from exc
        except OSError as exc:
            raise ExchangeError(_("This zip archive cannot be extracted.")) from exc
    return root / courses[0].parent


def content_error_lines(errors: list[ContentError], root: Path) -> list[str]:
    """The loader's errors as lines for the author: the file (inside the
    zip), the field, and what is wrong."""
    lines = []
    for error in errors:
        try:
            where = error.path.resolve().relative_to(root.resolve())
        except ValueError:
            where = PurePosixPath(error.path.name)
        message = error.message
        if error.field == "video_url" and "YouTube" in message:
            message = _(
                "this video link is not accepted: only https links to YouTube, Vimeo "
                "or an allowed PeerTube host are"
            )
        lines.append(f"{where} — {error.field} : {message}")
    return lines
