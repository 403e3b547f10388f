"""Sharing the commons (issue #15): a course downloads as a zip of the
Markdown files content/README.md describes, and such a zip imports as a new
draft proposed to the committee, never published. Bad zips (paths climbing
out, links, bombs, not a zip, wrong files) are refused with a clear message
and create nothing."""

import copy
import io
import struct
import zipfile
from io import StringIO
from pathlib import Path

import frontmatter
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from courses import exchange
from courses.exchange import ExchangeError, course_files, course_zip, extract_course_zip
from courses.models import Course, CourseVersion, Proposal, Unit
from courses.snapshots import course_snapshot
from quizzes.exchange import course_import_zip
from quizzes.models import Question
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user

pytestmark = pytest.mark.django_db

CONTENT = Path(settings.BASE_DIR) / "content"
DEMO_SLUGS = sorted(p.parent.name for p in CONTENT.glob("*/course.md"))


@pytest.fixture
def importer(db):
    return make_user(username="importatrice", is_author=True)


def upload(data: bytes, name: str = "course.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


COURSE_MD = """\
---
title: Un parcours partagé
slug: parcours-partage
level: beginner
language: fr
licence: CC-BY-SA-4.0
authors: [Ada Lovelace]
competences: ["4.2"]
summary: Un résumé.
---
La description.
"""

FICHE_MD = """\
---
kind: fiche
title: Une fiche
minutes: 5
---
Le corps de la fiche.
"""


def good_files(top: str = "parcours-partage/") -> dict[str, str]:
    return {f"{top}course.md": COURSE_MD, f"{top}01-une-fiche.md": FICHE_MD}


def counts() -> tuple[int, int, int, int]:
    return (
        Course.objects.count(),
        Unit.objects.count(),
        Proposal.objects.count(),
        Question.objects.count(),
    )


def comparable(snapshot: dict) -> dict:
    """A snapshot without what an import changes on purpose: the slug. The
    files keep the order of questions and choices, not their numbers: those
    are compared as ranks (the demo courses number them 1, 2, 3... anyway)."""
    snapshot = copy.deepcopy(snapshot)
    snapshot["course"].pop("slug")
    for unit in snapshot["units"]:
        for rank, question in enumerate(unit.get("quiz", {}).get("questions", []), start=1):
            question["position"] = rank
            for c_rank, choice in enumerate(question["choices"], start=1):
                choice["position"] = c_rank
    return snapshot


# Round trip


def test_every_demo_course_comes_back_identical_through_a_zip(importer):
    call_command("load_content", str(CONTENT), stdout=StringIO())
    originals = {slug: Course.objects.get(slug=slug) for slug in DEMO_SLUGS}
    assert len(originals) >= 7
    for slug, original in originals.items():
        data = course_zip(original)
        proposal = course_import_zip(author=importer, upload=upload(data))
        imported = proposal.course
        assert imported.pk != original.pk
        assert imported.slug == f"{slug}-2"  # the demo course keeps its slug
        assert comparable(course_snapshot(course=imported)) == comparable(
            course_snapshot(course=original)
        )
        assert proposal.snapshot == course_snapshot(course=imported)
        original.refresh_from_db()
        assert original.status == Course.Status.PUBLISHED  # untouched


def test_an_import_is_a_draft_in_review_by_the_importer_never_published(importer):
    proposal = course_import_zip(author=importer, upload=upload(zip_of(good_files())))
    course = proposal.course
    assert course.slug == "parcours-partage"
    assert course.status == Course.Status.IN_REVIEW
    assert course.published_at is None
    assert not CourseVersion.objects.filter(course=course).exists()
    assert list(course.authors.all()) == [importer]
    assert proposal.author == importer and proposal.is_pending and not proposal.is_revision
    assert course.credits == "Ada Lovelace"


def test_a_taken_slug_gets_the_next_free_suffix(importer):
    make_course(slug="parcours-partage")
    make_course(slug="parcours-partage-2")
    proposal = course_import_zip(author=importer, upload=upload(zip_of(good_files())))
    assert proposal.course.slug == "parcours-partage-3"


def test_course_md_at_the_top_of_the_zip_is_read_too(importer):
    proposal = course_import_zip(author=importer, upload=upload(zip_of(good_files(top=""))))
    assert proposal.course.units.get().title == "Une fiche"


def test_the_export_writes_one_folder_named_after_the_slug_in_the_loader_format(author):
    course = make_course(
        slug="mon-parcours",
        title="Mon parcours",
        credits="Ada, Grace",
        organisation="EPN de Valognes",
        source_title="Un guide",
        source_url="https://example.org/guide",
        keywords="mot de passe, 2FA",
        description="Une **description**.",
    )
    make_unit(course, slug="fiche", title="Fiche", body="Texte", position=1)
    make_unit(course, slug="video", kind=Unit.Kind.VIDEO, position=2, duration_seconds=90)
    quiz = make_quiz(course, attempts_allowed=2)
    # The factories number grains from a counter shared by every test: place
    # the quiz third, whatever ran before.
    Unit.objects.filter(pk=quiz.unit.pk).update(position=3)
    quiz.unit.refresh_from_db()
    make_question(quiz, key="q1")
    make_question(quiz, key="q2", kind=Question.Kind.NUMERIC, numeric_answer="12.5", tolerance=0)
    files = course_files(course)
    assert sorted(files) == [
        "mon-parcours/01-fiche.md",
        "mon-parcours/02-video.md",
        f"mon-parcours/{quiz.unit.position:02d}-{quiz.unit.slug}.md",
        "mon-parcours/course.md",
    ]
    meta = frontmatter.loads(files["mon-parcours/course.md"].decode()).metadata
    assert meta["authors"] == ["Ada", "Grace"]
    assert meta["organisation"] == "EPN de Valognes"
    assert meta["source"] == {"title": "Un guide", "url": "https://example.org/guide"}
    assert meta["keywords"] == ["mot de passe", "2FA"]
    assert meta["status"] == "draft"  # never "published"
    video = frontmatter.loads(files["mon-parcours/02-video.md"].decode())
    assert video["video_url"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert video["duration"] == 90
    assert video.content == "What is said."
    quiz_file = f"mon-parcours/{quiz.unit.position:02d}-{quiz.unit.slug}.md"
    quiz_meta = frontmatter.loads(files[quiz_file].decode())
    assert quiz_meta["attempts_allowed"] == 2
    assert quiz_meta["questions"][1]["answer"] == 12.5
    # Organisation and source come back through the loader.
    importer = make_user(username="imp", is_author=True)
    imported = course_import_zip(author=importer, upload=upload(course_zip(course))).course
    assert (imported.organisation, imported.source_title, imported.source_url) == (
        "EPN de Valognes",
        "Un guide",
        "https://example.org/guide",
    )
    assert comparable(course_snapshot(course=imported)) == comparable(
        course_snapshot(course=course)
    )


def test_media_files_travel_with_the_course(importer):
    course = make_course(slug="avec-video", credits="Ada")
    unit = Unit(course=course, slug="film", kind=Unit.Kind.VIDEO, title="Film", position=1)
    unit.transcript = "Ce qui est dit."
    unit.video_file.save("film.mp4", ContentFile(b"not really a video"), save=False)
    unit.captions.save("film.vtt", ContentFile(b"WEBVTT\n\n"), save=False)
    unit.save()
    files = course_files(course)
    assert files["avec-video/media/film.mp4"] == b"not really a video"
    assert files["avec-video/media/film.vtt"] == b"WEBVTT\n\n"
    meta = frontmatter.loads(files["avec-video/01-film.md"].decode()).metadata
    assert (meta["video_file"], meta["captions"]) == ("media/film.mp4", "media/film.vtt")
    assert "video_url" not in meta
    imported = course_import_zip(author=importer, upload=upload(course_zip(course))).course
    copy = imported.units.get()
    assert copy.video_file.read() == b"not really a video"
    assert copy.captions.read() == b"WEBVTT\n\n"
    assert copy.video_url == ""


# Refused zips: a clear message, nothing created


def refused(importer, data: bytes, *, expect: str) -> ExchangeError:
    before = counts()
    with pytest.raises(ExchangeError) as caught:
        course_import_zip(author=importer, upload=upload(data))
    assert counts() == before
    text = " ".join([caught.value.message, *caught.value.details])
    assert expect in text, text
    return caught.value


def test_a_member_climbing_out_with_dotdot_is_refused(importer):
    files = good_files()
    files["parcours-partage/../evil.md"] = "pwned"
    refused(importer, zip_of(files), expect="hors de son dossier")


def test_a_member_named_dotdot_first_is_refused(importer):
    files = good_files()
    files["../evil.md"] = "pwned"
    refused(importer, zip_of(files), expect="hors de son dossier")


@pytest.mark.parametrize("name", ["/etc/evil.md", "\\evil.md", "C:/evil.md", "C:\\evil.md"])
def test_an_absolute_member_is_refused(importer, name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in good_files().items():
            archive.writestr(member, data)
        archive.writestr(zipfile.ZipInfo(name), "pwned")
    refused(importer, buffer.getvalue(), expect="hors de son dossier")


def test_a_symbolic_link_is_refused(importer):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in good_files().items():
            archive.writestr(member, data)
        link = zipfile.ZipInfo("parcours-partage/02-lien.md")
        link.external_attr = (0o120777 << 16) | 0x20
        archive.writestr(link, "/etc/passwd")
    refused(importer, buffer.getvalue(), expect="lien symbolique")


def test_a_zip_bomb_is_refused_before_extracting(importer, tmp_path):
    """210 MB of zeros compress to a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member, data in good_files().items():
            archive.writestr(member, data)
        with archive.open("parcours-partage/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(210):
                member.write(chunk)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    refused(importer, data, expect="trop volumineux une fois extrait")
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ExchangeError):
        extract_course_zip(io.BytesIO(data), dest)
    assert list(dest.iterdir()) == []  # refused before writing anything


def test_the_declared_sizes_are_checked_before_extracting(importer, monkeypatch, tmp_path):
    monkeypatch.setattr(exchange, "MAX_UNCOMPRESSED_BYTES", 300)
    data = zip_of({**good_files(), "parcours-partage/big.bin": b"x" * 400})
    refused(importer, data, expect="trop volumineux une fois extrait")
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ExchangeError):
        extract_course_zip(io.BytesIO(data), dest)
    assert list(dest.iterdir()) == []


def forge_small_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size rewritten to ``size`` in
    both its local header and the central directory: a zip that lies."""
    data = bytearray(data)
    name = member.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_length]) == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_member_lying_about_its_size_is_stopped_while_extracting(importer, monkeypatch):
    """Its header says 10 bytes; it holds 5,000: the bytes written are counted."""
    monkeypatch.setattr(exchange, "MAX_UNCOMPRESSED_BYTES", 4_000)
    honest = zip_of({**good_files(), "parcours-partage/liar.bin": b"\0" * 5_000})
    forged = forge_small_size(honest, "parcours-partage/liar.bin", 10)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(forged)).infolist()) < 4_000
    error = refused(importer, forged, expect="")
    assert error.message in (
        "Le zip est trop volumineux une fois extrait : 0 Mo au plus.",
        "Cette archive zip est endommagée ou chiffrée.",
    )


def test_a_small_zip_declaring_a_huge_member_is_refused_from_its_headers(importer, tmp_path):
    """A few hundred bytes whose headers announce 300 MB: refused by the sum
    of ZipInfo.file_size, before a byte is extracted."""
    forged = forge_small_size(zip_of(good_files()), "parcours-partage/01-une-fiche.md", 300 << 20)
    assert len(forged) < 2_000
    refused(importer, forged, expect="trop volumineux une fois extrait")
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ExchangeError):
        extract_course_zip(io.BytesIO(forged), dest)
    assert list(dest.iterdir()) == []


def test_too_many_members_are_refused(importer, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_MEMBERS", 3)
    files = {**good_files(), "parcours-partage/a.txt": "a", "parcours-partage/b.txt": "b"}
    refused(importer, zip_of(files), expect="trop de fichiers")


def test_an_upload_over_the_compressed_limit_is_refused(importer, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_ZIP_BYTES", 100)
    refused(importer, zip_of(good_files()), expect="trop volumineux")


def test_a_file_that_is_not_a_zip_is_refused(importer):
    refused(importer, b"%PDF-1.4 not a zip at all", expect="n’est pas une archive zip")


def test_an_empty_file_is_refused(importer):
    refused(importer, b"", expect="n’est pas une archive zip")


def test_a_zip_without_course_md_is_refused(importer):
    refused(importer, zip_of({"dossier/01-une-fiche.md": FICHE_MD}), expect="course.md")


def test_two_courses_in_one_zip_are_refused(importer):
    files = {**good_files("a/"), **good_files("b/")}
    refused(importer, zip_of(files), expect="plusieurs parcours")


def test_invalid_front_matter_is_reported_with_its_file_and_field(importer):
    files = good_files()
    files["parcours-partage/course.md"] = COURSE_MD.replace("level: beginner", "level: expert")
    error = refused(importer, zip_of(files), expect="n’a pas été importé")
    assert any(line.startswith("parcours-partage/course.md — level") for line in error.details), (
        error.details
    )


def test_unreadable_yaml_is_reported(importer):
    files = good_files()
    files["parcours-partage/01-une-fiche.md"] = "---\nkind: [fiche\n---\nTexte"
    error = refused(importer, zip_of(files), expect="n’a pas été importé")
    assert any("01-une-fiche.md — front matter" in line for line in error.details)


def test_a_video_url_off_the_allow_list_is_refused_clearly(importer):
    files = good_files()
    files["parcours-partage/02-video.md"] = (
        "---\nkind: video\ntitle: Vidéo\nminutes: 3\nvideo_url: http://evil.example/v.mp4\n"
        "---\nLa transcription.\n"
    )
    error = refused(importer, zip_of(files), expect="ce lien vidéo n’est pas accepté")
    assert any("02-video.md — video_url" in line for line in error.details)


def test_a_media_path_climbing_out_of_the_course_is_refused(importer):
    files = good_files()
    files["parcours-partage/02-video.md"] = (
        "---\nkind: video\ntitle: Vidéo\nminutes: 3\nvideo_file: ../../etc/passwd.mp4\n"
        "---\nLa transcription.\n"
    )
    error = refused(importer, zip_of(files), expect="n’a pas été importé")
    assert any("02-video.md — video_file" in line for line in error.details)


def test_a_course_without_credits_exports_its_author_accounts_as_authors(author):
    course = make_course(slug="sans-credits", credits="")
    make_unit(course, slug="fiche", position=1)
    author.first_name, author.last_name = "Ada", "Lovelace"
    author.save()
    course.authors.add(author)
    meta = frontmatter.loads(course_files(course)["sans-credits/course.md"].decode()).metadata
    assert meta["authors"] == ["Ada Lovelace"]


def test_a_published_status_in_the_files_still_imports_a_draft(importer):
    files = good_files()
    files["parcours-partage/course.md"] = COURSE_MD.replace(
        "summary:", "status: published\nsummary:"
    )
    course = course_import_zip(author=importer, upload=upload(zip_of(files))).course
    assert course.status == Course.Status.IN_REVIEW
    assert not CourseVersion.objects.exists()


def test_a_user_who_is_not_an_author_cannot_import(learner):
    before = counts()
    with pytest.raises(ExchangeError):
        course_import_zip(author=learner, upload=upload(zip_of(good_files())))
    assert counts() == before


# The pages: who may call them


def test_anyone_downloads_a_published_course(client):
    course = make_course(slug="publie", credits="Ada")
    make_unit(course, slug="fiche", position=1)
    response = client.get(reverse("exchange:download", args=["publie"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="publie.zip"'
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "publie/course.md" in names and "publie/01-fiche.md" in names


def test_someone_elses_draft_is_not_found(client, learner, author):
    course = make_course(slug="brouillon", status=Course.Status.DRAFT)
    course.authors.add(author)
    url = reverse("exchange:download", args=["brouillon"])
    assert client.get(url).status_code == 404
    client.force_login(learner)
    assert client.get(url).status_code == 404
    other_author = make_user(username="autre", is_author=True)
    client.force_login(other_author)
    assert client.get(url).status_code == 404


def test_a_draft_downloads_for_its_author_and_staff(client, author, staff):
    course = make_course(slug="brouillon", status=Course.Status.DRAFT, credits="Ada")
    make_unit(course, slug="fiche")
    course.authors.add(author)
    url = reverse("exchange:download", args=["brouillon"])
    for user in (author, staff):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_an_unknown_course_is_not_found(client):
    assert client.get("/commons/nothing-here.zip").status_code == 404


def test_download_refuses_post(client):
    make_course(slug="publie")
    assert client.post(reverse("exchange:download", args=["publie"])).status_code == 405


def test_the_course_page_links_to_its_zip(client):
    course = make_course(slug="publie")
    make_unit(course, slug="fiche")
    response = client.get(course.get_absolute_url())
    assert reverse("exchange:download", args=["publie"]).encode() in response.content
    assert "Télécharger ce parcours (zip, format Markdown)" in response.content.decode()


def test_import_page_sends_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("exchange:import"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("exchange:import"), {"file": upload(zip_of(good_files()))})
    assert response.status_code == 302
    assert not Course.objects.exists()


def test_import_page_is_forbidden_to_a_learner_and_a_committee_member(client, learner):
    member = make_user(username="comite", is_committee_member=True)
    for user in (learner, member):
        client.force_login(user)
        assert client.get(reverse("exchange:import")).status_code == 403
        response = client.post(reverse("exchange:import"), {"file": upload(zip_of(good_files()))})
        assert response.status_code == 403
    assert not Course.objects.exists()


def test_an_author_sees_the_import_form(client, importer):
    client.force_login(importer)
    response = client.get(reverse("exchange:import"))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert 'type="file"' in response.content.decode()


def test_an_author_imports_and_lands_on_the_draft(client, importer):
    client.force_login(importer)
    response = client.post(reverse("exchange:import"), {"file": upload(zip_of(good_files()))})
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    assert course.proposals.get().author == importer


def test_a_bad_zip_shows_the_errors_on_the_form_and_creates_nothing(client, importer):
    client.force_login(importer)
    files = good_files()
    files["parcours-partage/course.md"] = COURSE_MD.replace("level: beginner", "level: expert")
    response = client.post(reverse("exchange:import"), {"file": upload(zip_of(files))})
    assert response.status_code == 200
    text = response.content.decode()
    assert "n’a pas été importé" in text
    assert "parcours-partage/course.md — level" in text
    assert counts() == (0, 0, 0, 0)


def test_a_post_without_a_file_names_the_field(client, importer):
    client.force_login(importer)
    response = client.post(reverse("exchange:import"), {})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not Course.objects.exists()


def test_import_refuses_other_methods(client, importer):
    client.force_login(importer)
    assert client.put(reverse("exchange:import")).status_code == 405
    assert client.delete(reverse("exchange:import")).status_code == 405


def test_yaml_aliases_are_refused_so_a_billion_laughs_cannot_expand(importer):
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        laughs += f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]\n"
    files = good_files()
    files["parcours-partage/course.md"] = COURSE_MD.replace(
        'competences: ["4.2"]', laughs + "competences: *i"
    )
    error = refused(importer, zip_of(files), expect="n’a pas été importé")
    assert any(
        "course.md — front matter" in line and "aliases" in line for line in error.details
    ), error.details


def test_a_deeply_nested_front_matter_is_refused(importer):
    files = good_files()
    files["parcours-partage/01-une-fiche.md"] = (
        "---\nkind: fiche\ntitle: " + "[" * 20_000 + "]" * 20_000 + "\n---\nTexte"
    )
    refused(importer, zip_of(files), expect="n’a pas été importé")


def test_a_media_file_lost_from_the_storage_does_not_break_the_download(client):
    course = make_course(slug="perdu", credits="Ada")
    unit = Unit(course=course, slug="film", kind=Unit.Kind.VIDEO, title="Film", position=1)
    unit.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    unit.transcript = "Ce qui est dit."
    unit.captions.save("film.vtt", ContentFile(b"WEBVTT\n\n"), save=False)
    unit.save()
    unit.captions.storage.delete(unit.captions.name)
    response = client.get(reverse("exchange:download", args=["perdu"]))
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == ["perdu/01-film.md", "perdu/course.md"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("course.md", COURSE_MD.replace("title: Un parcours partagé", 'title: "Un\\0parcours"')),
        ("01-une-fiche.md", FICHE_MD.replace("Le corps", "Le\x00corps")),
    ],
)
def test_a_nul_character_is_refused_before_the_database_sees_it(importer, name, text):
    files = good_files()
    files[f"parcours-partage/{name}"] = text
    error = refused(importer, zip_of(files), expect="n’a pas été importé")
    assert any(f"{name} — file" in line for line in error.details), error.details


def test_staff_who_is_not_an_author_cannot_import(client, staff):
    client.force_login(staff)
    assert client.get(reverse("exchange:import")).status_code == 403


def _course_of(size: int) -> Course:
    course = make_course(slug=f"taille-{size}", credits="Ada")
    for n in range(size):
        make_unit(course, slug=f"fiche-{n}", position=n + 1)
        make_unit(course, slug=f"video-{n}", kind=Unit.Kind.VIDEO, position=100 + n)
        quiz = make_quiz(course)
        for _ in range(size):
            make_question(quiz)
    return course


@pytest.mark.parametrize("size", [1, 4])
def test_the_download_takes_the_same_number_of_queries_whatever_the_size(
    client, django_assert_num_queries, size
):
    course = _course_of(size)
    url = reverse("exchange:download", args=[course.slug])
    client.get(url)  # sessions, caches: warm
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("source:\n  title: Un guide\n  url: javascript:alert(1)\n", "source.url"),
        ("source: https://example.org\n", "source"),
        ('organisation: "EPN\\nde Valognes"\n', "organisation"),
        ("organisation: " + "x" * 201 + "\n", "organisation"),
    ],
)
def test_a_wrong_organisation_or_source_is_reported(importer, extra, field):
    files = good_files()
    files["parcours-partage/course.md"] = COURSE_MD.replace("summary:", extra + "summary:")
    error = refused(importer, zip_of(files), expect="n’a pas été importé")
    assert any(f"course.md — {field} :" in line for line in error.details), error.details
