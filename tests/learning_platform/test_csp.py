"""Content Security Policy (issue #6): on every page, no inline script, nothing
from another site but the video players the app builds."""

from urllib.parse import urlsplit

import html5lib
import pytest
from django.conf import settings
from django.urls import reverse

from badges.services import badge_class_ensure
from courses.models import Unit
from quizzes.services import attempt_start
from tests.factories import make_course, make_question, make_quiz, make_unit

pytestmark = pytest.mark.django_db

VIDEO_FRAME_ORIGINS = {"https://www.youtube-nocookie.com", "https://player.vimeo.com"}


@pytest.fixture
def course():
    course = make_course(title="Mots de passe", slug="mots-de-passe")
    make_unit(course, slug="fiche", position=1)
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video", position=2)
    quiz = make_quiz(course)
    Unit.objects.filter(pk=quiz.unit_id).update(slug="quiz", position=3)
    make_question(quiz)
    return course


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _unit(course, slug):
    return reverse("courses:unit", args=[course.slug, slug])


PAGES = {
    "catalogue": lambda course: reverse("courses:catalogue"),
    "course": lambda course: reverse("courses:detail", args=[course.slug]),
    "unit-fiche": lambda course: _unit(course, "fiche"),
    "unit-video-player": lambda course: _unit(course, "video") + "?play=1",
    "quiz": lambda course: _unit(course, "quiz"),
    "dashboard": lambda course: reverse("progress:dashboard"),
    "my-badges": lambda course: reverse("badges:mine"),
    "profile": lambda course: reverse("profile"),
    "login": lambda course: reverse("login"),
    "signup": lambda course: reverse("signup"),
    "password-reset": lambda course: reverse("password_reset"),
    "admin-login": lambda course: reverse("admin:login"),
    "not-found": lambda course: "/no-such-page/",
}
ANONYMOUS_PAGES = {"login", "signup", "password-reset", "admin-login"}


def _get(client, learner, course, name):
    if name not in ANONYMOUS_PAGES:
        client.force_login(learner)
    if name == "quiz":
        attempt_start(learner=learner, quiz=course.units.get(slug="quiz").quiz)
    return client.get(PAGES[name](course))


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_a_policy_without_inline_script(client, learner, course, name):
    response = _get(client, learner, course, name)

    assert response.status_code == (404 if name == "not-found" else 200)
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header


def test_pages_carry_the_other_security_headers(client):
    response = client.get(reverse("courses:catalogue"))

    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_only_video_players_may_come_from_another_site(client):
    directives = policy(client.get(reverse("courses:catalogue")))

    for name, values in directives.items():
        others = [v for v in values if v not in ("'self'", "'none'", "data:")]
        if name == "frame-src":
            assert set(others) == VIDEO_FRAME_ORIGINS | {
                f"https://{host}" for host in settings.PEERTUBE_HOSTS
            }
        else:
            assert others == [], name
    assert directives["img-src"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    "video_url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
        f"https://{settings.PEERTUBE_HOSTS[0]}/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
    ],
    ids=["youtube", "vimeo", "peertube"],
)
def test_the_player_the_app_builds_is_allowed_to_load(client, learner, video_url):
    course = make_course()
    unit = make_unit(course, kind=Unit.Kind.VIDEO, slug="video", video_url=video_url)
    client.force_login(learner)

    response = client.get(unit.get_absolute_url() + "?play=1")

    frames = [
        el
        for el in _parse(response.content.decode()).iter()
        if isinstance(el.tag, str) and el.tag == "iframe"
    ]
    assert len(frames) == 1
    src = urlsplit(frames[0].get("src"))
    assert f"{src.scheme}://{src.hostname}" in policy(response)["frame-src"]


def test_htmx_fragment_has_the_policy_too(client, learner, course):
    client.force_login(learner)

    response = client.get(_unit(course, "video") + "?play=1", HTTP_HX_REQUEST="true")

    assert "<html" not in response.content.decode()
    assert policy(response)["script-src"] == ["'self'"]


def test_badge_image_keeps_its_own_stricter_policy(client, course):
    badge = badge_class_ensure(course)

    response = client.get(reverse("badges:class_image", args=[badge.uuid]))

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )


def _parse(page: str):
    return html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)


@pytest.mark.parametrize("name", sorted(set(PAGES) - {"not-found"}))
def test_pages_hold_nothing_the_policy_would_block(client, learner, course, name):
    """What the policy would block would silently break the page: no inline
    script, style element or attribute, event handler, or third-party asset."""
    page = _get(client, learner, course, name).content.decode()

    for element in _parse(page).iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "script":
            assert element.get("src", "").startswith("/static/"), page
            assert not (element.text or "").strip()
        assert element.tag != "style"
        assert "style" not in element.attrib, element.tag
        assert not [a for a in element.attrib if a.startswith("on")], element.tag
        # A canonical link names the page's own public address; it loads nothing.
        loads = element.tag != "link" or element.get("rel") != "canonical"
        if element.tag in ("link", "img", "audio", "video", "source", "track") and loads:
            for attribute in ("href", "src"):
                value = element.get(attribute, "")
                assert not urlsplit(value).netloc, f"<{element.tag} {attribute}={value}>"
