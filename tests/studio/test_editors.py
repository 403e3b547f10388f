"""The fiche and video editors: saving, the Markdown preview (with htmx and
with the plain "Preview" button), sanitised by courses.markup.render_markdown
so that no script an author types reaches the page; the video link checked
against the allow-list and the captions file against its validators."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Unit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SCRIPT = (
    'Bonjour <script>alert("x")</script> <img src=x onerror="alert(1)"> [a](javascript:alert(1))'
)


def _fiche_url(course):
    return reverse("studio:unit_edit", args=[course.pk, course.units.get(slug="fiche").pk])


def _video_url(course):
    return reverse("studio:unit_edit", args=[course.pk, course.units.get(slug="video").pk])


def _fiche(**fields):
    return {"title": "Un mot de passe long", "minutes": "5", "required": "on", **fields}


def _video(**fields):
    data = {
        "title": "La vidéo",
        "minutes": "3",
        "required": "on",
        "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "duration_seconds": "180",
        "transcript": "Ce qui est dit.",
    }
    data.update(fields)
    return data


def _assert_sanitised(html: str):
    assert not re.search(r"<(script|img)\b", html, re.IGNORECASE)
    assert not re.search(r"<[^>]+\bon\w+=", html)  # no event handler attribute on a tag
    assert "javascript:" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run


def test_saving_a_fiche_renders_its_html(author_client, draft):
    response = author_client.post(_fiche_url(draft), _fiche(body="## Titre\n\nDu **gras**."))
    assert response.status_code == 302
    fiche = draft.units.get(slug="fiche")
    assert fiche.body == "## Titre\n\nDu **gras**."
    assert "<h2>Titre</h2>" in fiche.body_html and "<strong>gras</strong>" in fiche.body_html
    assert fiche.slug == "fiche" and fiche.position == 1  # kept


def test_the_preview_button_shows_the_text_as_published_and_saves_nothing(author_client, draft):
    response = author_client.post(_fiche_url(draft), _fiche(body="Du **gras**.", preview="body"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>gras</strong>" in page
    assert "Du **gras**." in page  # the form keeps what was typed
    assert draft.units.get(slug="fiche").body == "Some **text**."


def test_the_preview_button_never_lets_a_script_through(author_client, draft):
    page = author_client.post(_fiche_url(draft), _fiche(body=SCRIPT, preview="body"))
    preview = page.content.decode().split('id="preview-body"')[1].split("</section>")[0]
    _assert_sanitised(preview)


def test_the_htmx_preview_returns_the_fragment_sanitised(author_client):
    response = author_client.post(
        reverse("studio:preview") + "?field=body", {"body": SCRIPT}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    _assert_sanitised(html)
    assert "Bonjour" in html


def test_the_htmx_preview_of_a_transcript_starts_its_headings_at_h3(author_client):
    response = author_client.post(
        reverse("studio:preview") + "?field=transcript", {"transcript": "# Partie"}, **HTMX
    )
    assert "<h3>Partie</h3>" in response.content.decode()


def test_the_htmx_preview_bounds_its_text(author_client):
    response = author_client.post(
        reverse("studio:preview") + "?field=body", {"body": "a" * 50_001}, **HTMX
    )
    assert "trop long pour être prévisualisé" in response.content.decode()


def test_the_editor_wires_the_live_preview_and_the_plain_button(author_client, draft):
    page = author_client.get(_fiche_url(draft)).content.decode()
    assert 'hx-post="/studio/preview/?field=body"' in page
    assert 'hx-trigger="keyup changed delay:400ms"' in page
    assert 'name="preview"' in page and "Prévisualiser" in page
    assert "Enregistrer le brouillon" in page


def test_a_script_saved_in_a_fiche_is_stored_escaped(author_client, draft):
    author_client.post(_fiche_url(draft), _fiche(body=SCRIPT))
    _assert_sanitised(draft.units.get(slug="fiche").body_html)


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\u202e"])
def test_control_characters_in_a_fiche_are_refused(author_client, draft, control):
    response = author_client.post(_fiche_url(draft), _fiche(body=f"Texte{control}ici"))
    assert "caractères de contrôle invisibles" in response.content.decode()
    assert draft.units.get(slug="fiche").body == "Some **text**."


def test_a_fiche_of_more_than_50_000_characters_is_refused(author_client, draft):
    response = author_client.post(_fiche_url(draft), _fiche(body="a" * 50_001))
    assert "au plus 50000 caractères" in response.content.decode().replace("\u202f", "")
    assert draft.units.get(slug="fiche").body == "Some **text**."


def test_saving_a_video(author_client, draft):
    response = author_client.post(
        _video_url(draft), _video(video_url="https://vimeo.com/123456789", transcript="# Dit")
    )
    assert response.status_code == 302
    video = draft.units.get(slug="video")
    assert video.video_url == "https://vimeo.com/123456789"
    assert video.duration_seconds == 180
    assert "<h3>Dit</h3>" in video.transcript_html


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example/x.mp4",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_video_link_outside_the_allow_list_is_refused(author_client, draft, url):
    response = author_client.post(_video_url(draft), _video(video_url=url))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lien de la vidéo" in page
    assert draft.units.get(slug="video").video_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_a_new_video_needs_a_link(author_client, draft):
    before = draft.units.count()
    response = author_client.post(
        reverse("studio:unit_new", args=[draft.pk, "video"]), _video(video_url="")
    )
    assert "Donnez le lien de la vidéo." in response.content.decode()
    assert draft.units.count() == before


def test_captions_must_be_a_vtt_file(author_client, draft):
    bad = SimpleUploadedFile("sous-titres.srt", b"1\n00:00:01,000 --> 00:00:02,000\nBonjour\n")
    response = author_client.post(_video_url(draft), _video(captions=bad))
    assert response.status_code == 200
    assert "vtt" in response.content.decode()
    assert not draft.units.get(slug="video").captions


def test_captions_in_vtt_are_kept(author_client, draft):
    good = SimpleUploadedFile(
        "sous-titres.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour\n", "text/vtt"
    )
    response = author_client.post(_video_url(draft), _video(captions=good))
    assert response.status_code == 302
    assert draft.units.get(slug="video").captions.name.endswith(".vtt")


def test_a_video_duration_too_large_is_refused(author_client, draft):
    for duration in [str(2**63), "9" * 30, "-1"]:
        response = author_client.post(_video_url(draft), _video(duration_seconds=duration))
        assert response.status_code == 200, duration
    assert draft.units.get(slug="video").duration_seconds is None


def test_the_transcript_has_its_preview_button(author_client, draft):
    response = author_client.post(
        _video_url(draft), _video(transcript="Du *texte*.", preview="transcript")
    )
    assert "<em>texte</em>" in response.content.decode()
    assert draft.units.get(slug="video").transcript == "What is said."


def test_a_grain_of_another_kind_gets_its_own_editor(author_client, draft):
    quiz_unit = draft.units.get(kind=Unit.Kind.QUIZ)
    page = author_client.get(reverse("studio:unit_edit", args=[draft.pk, quiz_unit.pk]))
    assert 'name="video_url"' not in page.content.decode()
    assert "Introduction" in page.content.decode()


def test_the_course_description_has_its_preview_and_keeps_what_was_typed(author_client, draft):
    response = author_client.post(
        reverse("studio:course_edit", args=[draft.pk]),
        {
            "title": "Changé",
            "summary": "S",
            "level": "beginner",
            "licence": "CC-BY-SA-4.0",
            "language": "fr",
            "description": "Du **gras** <script>x</script>",
            "preview": "description",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<strong>gras</strong>" in page
    assert 'value="Changé"' in page
    _assert_sanitised(page.split('id="preview-description"')[1].split("</section>")[0])
    draft.refresh_from_db()
    assert draft.title == "Sécuriser ses comptes"
