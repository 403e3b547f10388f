"""The commons is found and read without an account; "Next" records the
grain; search engines get a sitemap, robots.txt and canonical addresses."""

import pytest
from django.urls import reverse

from courses.models import Course, Unit
from progress.models import UnitCompletion
from tests.factories import make_course, make_quiz, make_unit

pytestmark = pytest.mark.django_db
SITE = "https://grains.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["grains.example.org", "testserver"]


@pytest.fixture
def course():
    course = make_course(title="Mots de passe", slug="mdp", credits="Marc Trainer")
    make_unit(course, slug="fiche-1", position=1)
    make_unit(course, slug="video-1", position=2, kind=Unit.Kind.VIDEO)
    make_unit(course, slug="fiche-2", position=3, required=False)
    make_quiz(course)
    return course


def test_next_on_a_fiche_records_it_and_moves_to_the_next_grain(learner_client, learner, course):
    fiche, video = course.units.get(slug="fiche-1"), course.units.get(slug="video-1")
    page = learner_client.get(fiche.get_absolute_url()).content.decode()
    assert 'name="advance"' in page
    response = learner_client.post(reverse("progress:complete", args=[fiche.id]), {"advance": "1"})
    assert response.status_code == 302 and response.url == video.get_absolute_url()
    assert UnitCompletion.objects.filter(learner=learner, unit=fiche).count() == 1


def test_next_on_a_grain_already_done_is_a_plain_link(learner_client, learner, course):
    fiche = course.units.get(slug="fiche-1")
    learner_client.post(reverse("progress:complete", args=[fiche.id]))
    page = learner_client.get(fiche.get_absolute_url()).content.decode()
    assert 'name="advance"' not in page and 'rel="next"' in page


def test_mark_as_done_without_advance_stays_on_the_grain(learner_client, course):
    fiche = course.units.get(slug="fiche-1")
    response = learner_client.post(reverse("progress:complete", args=[fiche.id]))
    assert response.url == fiche.get_absolute_url()


def test_a_visitor_reads_a_fiche_with_its_licence_and_authors(client, course):
    page = client.get(course.units.get(slug="fiche-1").get_absolute_url()).content.decode()
    assert ", par Marc Trainer, sous licence <a" in page and 'rel="license' in page
    assert 'name="advance"' not in page and 'rel="next"' in page
    assert '<link rel="canonical" href="https://grains.example.org/courses/mdp/fiche-1/">' in page


def test_course_page_has_a_description_and_a_canonical_address(client, course):
    page = client.get(course.get_absolute_url()).content.decode()
    assert '<meta name="description" content="A short course.">' in page
    assert '<link rel="canonical" href="https://grains.example.org/courses/mdp/">' in page


def test_sitemap_lists_published_courses_and_their_fiches_and_videos_only(client, course):
    draft = make_course(slug="brouillon", status=Course.Status.DRAFT)
    make_unit(draft, slug="secret")
    xml = client.get(reverse("sitemap")).content.decode()
    assert "/courses/mdp/</loc>" in xml and "/courses/mdp/fiche-1/</loc>" in xml
    assert "/courses/mdp/video-1/</loc>" in xml
    assert "/quiz/</loc>" not in xml and "brouillon" not in xml
    assert client.post(reverse("sitemap")).status_code == 405


def test_robots_txt_points_at_the_sitemap_and_keeps_private_pages_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://grains.example.org/sitemap.xml" in text
    assert "Disallow: /accounts/" in text and "Disallow: /tutor/" in text
    assert client.post("/robots.txt").status_code == 405
