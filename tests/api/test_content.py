"""The catalogue, courses, grains, enrolments and badges through the API:
the same selectors as the pages give the same answers, in a fixed number
of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from badges import openbadges
from badges.models import Assertion
from badges.services import assertion_claim, assertion_revoke, award_all
from courses.models import Course, Unit
from courses.services import search_index_all
from progress.models import Enrolment
from progress.services import enrolment_ensure, unit_complete
from tests.api.conftest import token_client
from tests.factories import make_course, make_learner, make_question, make_quiz, make_unit

pytestmark = pytest.mark.django_db

SLUGS = {"mdp", "tableur", "reseaux", "brouillon"}


@pytest.fixture
def catalogue():
    make_course(title="Mots de passe", slug="mdp", competences=("4.2",))
    make_course(
        title="Tableur", slug="tableur", level=Course.Level.INTERMEDIATE, competences=("1.3",)
    )
    make_course(title="Réseaux", slug="reseaux", level=Course.Level.ADVANCED, competences=("2.1",))
    make_course(title="Brouillon", slug="brouillon", status=Course.Status.DRAFT)
    search_index_all()


@pytest.mark.parametrize(
    "filters,expected",
    [
        ({}, ["mdp", "tableur", "reseaux"]),  # by level, beginner first; no draft
        ({"level": "intermediate"}, ["tableur"]),
        ({"area": "4"}, ["mdp"]),  # competence 4.2 is in area 4
        ({"q": "tabl"}, ["tableur"]),
        ({"q": "mot", "level": "beginner"}, ["mdp"]),
    ],
)
def test_the_catalogue_filters_as_the_page_does(anon, client, catalogue, filters, expected):
    body = anon.get(reverse("api:course-list"), filters).json()
    assert [c["slug"] for c in body["results"]] == expected
    page = client.get(reverse("courses:catalogue"), filters).content.decode()
    shown = re.findall(r'href="/courses/([\w-]+)/"', page)
    assert [slug for slug in dict.fromkeys(shown) if slug in SLUGS] == expected


def test_the_catalogue_paginates_with_a_maximum_page_size(anon):
    for _ in range(105):
        Course.objects.create(title="C", slug=f"c-{_}", summary="s", level="beginner")
    Course.objects.update(status=Course.Status.PUBLISHED)
    first = anon.get(reverse("api:course-list")).json()
    assert first["count"] == 105 and len(first["results"]) == 20 and first["next"]
    big = anon.get(reverse("api:course-list"), {"page_size": 1000}).json()
    assert len(big["results"]) == 100
    last = anon.get(reverse("api:course-list"), {"page_size": 100, "page": 2}).json()
    assert len(last["results"]) == 5 and last["next"] is None


def test_the_catalogue_shows_a_learners_progress(learner, learner_api):
    course = make_course(slug="mdp")
    first = make_unit(course)
    make_unit(course)
    unit_complete(learner=learner, unit=first)
    result = learner_api.get(reverse("api:course-list")).json()["results"][0]
    assert result["progress"] == {
        "done": 1,
        "total": 2,
        "percent": 50,
        "remaining": 1,
        "started": True,
        "completed": False,
    }


def test_a_course_lists_its_grains_in_order_with_the_learners_marks(learner, learner_api):
    course = make_course(slug="mdp", description="**Pourquoi** ce parcours")
    fiche = make_unit(course, slug="fiche", position=1)
    make_unit(course, slug="video", kind=Unit.Kind.VIDEO, position=2, required=False)
    unit_complete(learner=learner, unit=fiche)
    body = learner_api.get(reverse("api:course-detail", args=["mdp"])).json()
    assert [(u["slug"], u["done"], u["required"]) for u in body["units"]] == [
        ("fiche", True, True),
        ("video", False, False),
    ]
    assert body["resume_unit"]["slug"] == "video"
    assert body["description_html"] == "<p><strong>Pourquoi</strong> ce parcours</p>"
    assert body["progress"]["completed"] is True  # the only required grain is done


def test_a_fiche_gives_its_html_and_opening_it_enrols_the_learner(learner, learner_api):
    course = make_course(slug="mdp")
    make_unit(course, slug="fiche", body="Un **mot de passe** <script>alert(1)</script>")
    body = learner_api.get(reverse("api:unit-detail", args=["mdp", "fiche"])).json()
    assert "<strong>mot de passe</strong>" in body["body_html"]
    assert "<script>" not in body["body_html"]
    assert (body["video"], body["quiz"], body["tracking"]) == (None, None, True)
    enrolment = Enrolment.objects.get(learner=learner, course=course)
    assert enrolment.last_unit.slug == "fiche"


def test_a_video_gives_its_player_from_the_allow_listed_host_and_its_transcript(learner_api):
    course = make_course(slug="mdp")
    make_unit(course, slug="video", kind=Unit.Kind.VIDEO, duration_seconds=90)
    video = learner_api.get(reverse("api:unit-detail", args=["mdp", "video"])).json()["video"]
    assert video["provider"] == "youtube"
    assert video["embed_url"].startswith("https://www.youtube-nocookie.com/embed/")
    assert video["duration_seconds"] == 90
    assert video["transcript_html"] == "<p>What is said.</p>"


def test_an_unknown_grain_or_course_is_a_404(learner_api):
    make_course(slug="mdp")
    assert learner_api.get(reverse("api:unit-detail", args=["mdp", "nope"])).status_code == 404
    assert learner_api.get(reverse("api:unit-detail", args=["nope", "nope"])).status_code == 404


def test_enrolments_show_progress_and_where_to_resume(learner, learner_api):
    course = make_course(slug="mdp")
    first = make_unit(course, slug="un", position=1)
    make_unit(course, slug="deux", position=2)
    unit_complete(learner=learner, unit=first)
    (entry,) = learner_api.get(reverse("api:enrolment-list")).json()["results"]
    assert entry["course"]["slug"] == "mdp"
    assert entry["progress"]["done"] == 1 and entry["completed_at"] is None
    assert entry["resume_unit"]["slug"] == "deux"
    assert entry["resume_unit"]["url"].endswith("/api/v1/courses/mdp/units/deux/")


def test_badges_give_their_public_assertion_url_once_claimed(learner, learner_api):
    course = make_course(slug="mdp")
    unit_complete(learner=learner, unit=make_unit(course))
    award_all()
    (badge,) = learner_api.get(reverse("api:badge-list")).json()["results"]
    assert badge["claimed"] is False and badge["assertion_url"] is None
    assert badge["download_png_url"] is None
    award = Assertion.objects.get(learner=learner)
    assertion_claim(assertion=award, email="learner@example.org")
    (badge,) = learner_api.get(reverse("api:badge-list")).json()["results"]
    assert badge["assertion_url"] == openbadges.assertion_url(award)
    assert badge["download_png_url"].endswith(f"/badges/assertions/{award.uuid}/badge.png")
    assertion_revoke(assertion=award, reason="Erreur")
    (badge,) = learner_api.get(reverse("api:badge-list")).json()["results"]
    assert badge["revoked"] is True and badge["revocation_reason"] == "Erreur"
    assert badge["download_png_url"] is None


def _build(size: int):
    learner = make_learner()
    for _ in range(size):
        course = make_course(competences=("1.1", "4.2"))
        units = [make_unit(course) for _ in range(size)]
        quiz = make_quiz(course)
        make_question(quiz)
        enrolment_ensure(learner=learner, course=course, last_unit=units[0])
        unit_complete(learner=learner, unit=units[0])
    done = make_course()
    unit_complete(learner=learner, unit=make_unit(done))
    award_all()
    return learner, course, quiz


def _counts(size: int) -> dict[str, int]:
    learner, course, quiz = _build(size)
    client = token_client(learner)
    urls = {
        "catalogue": reverse("api:course-list"),
        "competence areas": reverse("api:competence-area-list"),
        "course": reverse("api:course-detail", args=[course.slug]),
        "quiz grain": reverse("api:unit-detail", args=[course.slug, quiz.unit.slug]),
        "enrolments": reverse("api:enrolment-list"),
        "badges": reverse("api:badge-list"),
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)  # the token's last use is written once a minute at most
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    return counts


def test_api_lists_take_the_same_queries_whatever_the_data_size():
    small = _counts(2)
    large = _counts(12)
    assert small == large, {name: (small[name], large[name]) for name in small}
