"""Revising a published course from the studio (issue #15): "Propose a
revision" opens a working copy (a draft, invisible to learners) that the
studio's editors change; proposed with a note of what changed, it is a
revision of the published course; two "validate" votes apply it to the
published course in place (same grains, learners keep their progress); a
refusal or a request for changes sends the copy back to its authors and
leaves the published course as it is."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Course, CourseVersion, Proposal, Unit, Vote
from courses.services import vote_cast
from progress.models import UnitCompletion
from progress.selectors import course_progress_for
from progress.services import unit_complete
from quizzes.models import Question
from studio.services import StudioError, revision_start
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user

# Query counts include the session's read: from the database on every
# database, Redis or not (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sessions_in_the_database")]


@pytest.fixture
def published(studio_author):
    """A published course by ``studio_author``, like a demo course: a fiche,
    a video and a quiz of one question, with its first version."""
    course = make_course(title="Sécuriser ses comptes", slug="securiser")
    course.authors.add(studio_author)
    make_unit(course, slug="fiche", title="Le mot de passe", body="Ancien texte.", position=1)
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video", title="La vidéo", position=2)
    quiz = make_quiz(course)
    quiz.unit.slug, quiz.unit.position = "quiz", 3
    quiz.unit.save()
    make_question(quiz, key="longueur", prompt="Ancienne question ?")
    CourseVersion.objects.create(course=course, number=1, validated_at=course.published_at)
    return course


@pytest.fixture
def members(db):
    return [make_user(username=f"comite{n}", is_committee_member=True) for n in (1, 2)]


def _start_url(course):
    return reverse("studio:revision_start", args=[course.pk])


def _propose_url(course):
    return reverse("studio:course_propose", args=[course.pk])


def _fiche_url(course):
    return reverse("studio:unit_edit", args=[course.pk, course.units.get(slug="fiche").pk])


def _fiche(**fields):
    return {"title": "Le mot de passe", "minutes": "5", "required": "on", **fields}


def _vote_all(members, proposal, choice, comment=""):
    for member in members:
        proposal.refresh_from_db()
        if proposal.is_pending:
            vote_cast(member=member, proposal=proposal, choice=choice, comment=comment)
    proposal.refresh_from_db()
    return proposal


def _working_copy(author_client, published):
    response = author_client.post(_start_url(published))
    copy = published.working_copies.get()
    assert response.status_code == 302 and response.url == reverse("studio:course", args=[copy.pk])
    return copy


# Starting a revision


def test_revision_start_copies_the_course_as_a_draft(author_client, published, studio_author):
    copy = _working_copy(author_client, published)
    assert copy.status == Course.Status.DRAFT and copy.revision_of == published
    assert copy.slug == "securiser-revision" and copy.title == published.title
    assert list(copy.authors.all()) == [studio_author]
    assert set(copy.competences.all()) == set(published.competences.all())
    assert list(copy.units.values_list("slug", "position", "kind", "body")) == list(
        published.units.values_list("slug", "position", "kind", "body")
    )
    assert set(copy.units.values_list("pk", flat=True)).isdisjoint(
        published.units.values_list("pk", flat=True)
    )
    question = Question.objects.get(quiz__unit__course=copy)
    assert (question.key, question.prompt, question.choices.count()) == (
        "longueur",
        "Ancienne question ?",
        2,
    )
    published.refresh_from_db()
    assert published.status == Course.Status.PUBLISHED


def test_a_second_revision_start_returns_the_same_working_copy(author_client, published):
    first = _working_copy(author_client, published)
    second = _working_copy(author_client, published)
    assert first == second
    assert Course.objects.filter(revision_of=published).count() == 1


def test_the_revision_slug_is_made_unique(author_client, published):
    make_course(slug="securiser-revision", status=Course.Status.DRAFT)
    assert _working_copy(author_client, published).slug == "securiser-revision-2"


def test_a_draft_is_not_revised(author_client, draft):
    response = author_client.post(_start_url(draft), follow=True)
    assert "Seul un parcours publié" in response.content.decode()
    assert not Course.objects.filter(revision_of__isnull=False).exists()


def test_a_working_copy_is_not_revised_itself(published, studio_author):
    copy = revision_start(user=studio_author, course=published)
    with pytest.raises(StudioError):
        revision_start(user=studio_author, course=copy)


@pytest.mark.parametrize("who", ["learner", "committee", "staff"])
def test_only_authors_reach_revision_start(published, who, learner, staff_not_author):
    user = {
        "learner": learner,
        "committee": make_user(username="comite", is_committee_member=True),
        "staff": staff_not_author,
    }[who]
    client = Client()
    client.force_login(user)
    assert client.post(_start_url(published)).status_code == 403
    assert not published.working_copies.exists()


def test_an_author_of_another_course_gets_a_404(published, other_author):
    client = Client()
    client.force_login(other_author)
    assert client.post(_start_url(published)).status_code == 404
    assert not published.working_copies.exists()


def test_anonymous_is_sent_to_log_in(client, published):
    response = client.post(_start_url(published))
    assert response.status_code == 302 and "/login/" in response.url
    assert not published.working_copies.exists()


def test_revision_start_answers_only_post(author_client, published):
    assert author_client.get(_start_url(published)).status_code == 405
    assert not published.working_copies.exists()


def test_revision_start_of_an_unknown_course_is_a_404(author_client):
    assert author_client.post(reverse("studio:revision_start", args=[999999])).status_code == 404


# What the author sees


def test_the_published_course_page_offers_a_revision_then_opens_it(author_client, published):
    page = author_client.get(reverse("studio:course", args=[published.pk])).content.decode()
    assert "Proposer une révision" in page and _start_url(published) in page
    copy = _working_copy(author_client, published)
    page = author_client.get(reverse("studio:course", args=[published.pk])).content.decode()
    assert reverse("studio:course", args=[copy.pk]) in page
    assert "Proposer une révision" not in page
    copy_page = author_client.get(reverse("studio:course", args=[copy.pk])).content.decode()
    assert "Révision du parcours publié" in copy_page
    assert "Proposer à la validation" in copy_page


def test_the_studio_home_lists_the_copy_under_its_published_course(author_client, published):
    copy = _working_copy(author_client, published)
    home = author_client.get(reverse("studio:home")).content.decode()
    assert "révision en cours" in home
    assert reverse("studio:course", args=[copy.pk]) in home
    assert "Brouillons" not in home  # the copy is not listed as a draft of its own


# Learners never see the working copy


def test_the_working_copy_is_invisible_to_learners(
    author_client, published, learner_client, client
):
    copy = _working_copy(author_client, published)
    for visitor in (client, learner_client):
        assert copy.slug not in visitor.get(reverse("courses:catalogue")).content.decode()
        found = visitor.get(reverse("courses:catalogue"), {"q": "Sécuriser"}).content.decode()
        assert reverse("courses:detail", args=[published.slug]) in found
        assert copy.slug not in found
        assert visitor.get(reverse("courses:detail", args=[copy.slug])).status_code == 404
        api = visitor.get(reverse("api:course-list")).json()
        assert [c["slug"] for c in api["results"]] == [published.slug]
        assert visitor.get(reverse("api:course-detail", args=[copy.slug])).status_code == 404
    assert copy.slug not in client.get("/sitemap.xml").content.decode()


def test_edits_of_the_copy_do_not_reach_learners_before_validation(
    author_client, published, learner_client, members
):
    copy = _working_copy(author_client, published)
    fiche_url = reverse("courses:unit", args=[published.slug, "fiche"])
    assert "Ancien texte." in learner_client.get(fiche_url).content.decode()

    response = author_client.post(_fiche_url(copy), _fiche(body="Nouveau texte."))
    assert response.status_code == 302

    assert "Ancien texte." in learner_client.get(fiche_url).content.decode()
    assert "Nouveau texte." not in learner_client.get(fiche_url).content.decode()
    detail = reverse("courses:detail", args=[published.slug])
    assert "Nouveau dans la version" not in learner_client.get(detail).content.decode()

    author_client.post(_propose_url(copy), {"note": "La fiche est plus claire."})
    assert "Ancien texte." in learner_client.get(fiche_url).content.decode()
    _vote_all(members, Proposal.objects.get(course=published), Vote.Choice.VALIDATE)

    page = learner_client.get(fiche_url).content.decode()
    assert "Nouveau texte." in page and "Ancien texte." not in page
    detail_page = learner_client.get(detail).content.decode()
    assert "Nouveau dans la version 2" in detail_page
    assert "La fiche est plus claire." in detail_page


# Proposing the revision


def test_the_propose_page_of_a_copy_asks_what_changed(author_client, published):
    copy = _working_copy(author_client, published)
    page = author_client.get(_propose_url(copy)).content.decode()
    assert 'name="note"' in page and "Ce qui a changé" in page


@pytest.mark.parametrize("note", ["", "   \n ", "x" * 5001, "Une note\x00cachée"])
def test_proposing_a_copy_without_a_readable_note_changes_nothing(author_client, published, note):
    copy = _working_copy(author_client, published)
    response = author_client.post(_propose_url(copy), {"note": note})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce qui a changé" in page and "field-error" in page
    copy.refresh_from_db()
    assert copy.status == Course.Status.DRAFT
    assert not Proposal.objects.exists()


def test_proposing_a_copy_makes_a_revision_of_the_published_course(
    author_client, published, studio_author
):
    copy = _working_copy(author_client, published)
    response = author_client.post(_propose_url(copy), {"note": "Une question reformulée."})
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.course, proposal.working_copy, proposal.is_revision) == (
        published,
        copy,
        True,
    )
    assert proposal.note == "Une question reformulée."
    assert proposal.author == studio_author
    assert proposal.snapshot["course"]["slug"] == published.slug
    copy.refresh_from_db()
    published.refresh_from_db()
    assert (copy.status, published.status) == (Course.Status.IN_REVIEW, Course.Status.PUBLISHED)
    # Frozen while the committee reads it.
    assert author_client.get(_fiche_url(copy)).status_code == 403
    assert author_client.post(_fiche_url(copy), _fiche(body="Encore.")).status_code == 403
    assert copy.units.get(slug="fiche").body == "Ancien texte."
    # The studio shows it in review under the published course.
    home = author_client.get(reverse("studio:home")).content.decode()
    assert "révision en relecture" in home


def test_a_co_author_of_the_copy_only_cannot_propose_it(published, studio_author):
    """Authorship is checked on the copy and on the published course."""
    from courses.services import NotAnAuthor, proposal_submit

    copy = revision_start(user=studio_author, course=published)
    intruder = make_user(username="intrus", is_author=True)
    copy.authors.add(intruder)
    with pytest.raises(NotAnAuthor):
        proposal_submit(author=intruder, course=copy, note="Changé.")
    assert not Proposal.objects.exists()


# The whole flow


def test_the_whole_revision_flow(author_client, published, members, learner):
    fiche = published.units.get(slug="fiche")
    for unit in published.units.all():
        unit_complete(learner=learner, unit=unit)
    assert course_progress_for(learner=learner, course=published).percent == 100
    unit_pks = dict(published.units.values_list("slug", "pk"))

    copy = _working_copy(author_client, published)
    author_client.post(_fiche_url(copy), _fiche(body="Nouveau texte."))
    Question.objects.filter(quiz__unit__course=copy).update(prompt="Nouvelle question ?")
    response = author_client.post(
        reverse("studio:unit_new", args=[copy.pk, "fiche"]),
        {"title": "Pour aller plus loin", "minutes": "3", "body": "En plus."},
    )
    assert response.status_code == 302
    author_client.post(_propose_url(copy), {"note": "Texte revu, une fiche en plus."})
    proposal = _vote_all(members, Proposal.objects.get(), Vote.Choice.VALIDATE)

    assert proposal.status == Proposal.Status.ACCEPTED
    published.refresh_from_db()
    assert published.status == Course.Status.PUBLISHED
    assert published.units.get(slug="fiche").pk == fiche.pk
    assert published.units.get(slug="fiche").body == "Nouveau texte."
    assert dict(published.units.filter(slug__in=unit_pks).values_list("slug", "pk")) == unit_pks
    assert published.units.filter(slug="pour-aller-plus-loin", required=False).exists()
    assert Question.objects.get(quiz__unit__course=published).prompt == "Nouvelle question ?"
    assert UnitCompletion.objects.filter(learner=learner).count() == 3
    assert course_progress_for(learner=learner, course=published).percent == 100
    assert list(published.versions.values_list("number", flat=True)) == [2, 1]
    assert not Course.objects.filter(pk=copy.pk).exists()
    assert Proposal.objects.get().working_copy is None
    # The author can start the next revision.
    assert _working_copy(author_client, published).units.count() == 4


@pytest.mark.parametrize(
    ("choice", "status"),
    [
        (Vote.Choice.REFUSE, Proposal.Status.REFUSED),
        (Vote.Choice.REQUEST_CHANGES, Proposal.Status.CHANGES_REQUESTED),
    ],
)
def test_a_revision_sent_back_returns_the_copy_to_draft(
    author_client, published, members, choice, status
):
    copy = _working_copy(author_client, published)
    author_client.post(_fiche_url(copy), _fiche(body="Nouveau texte."))
    author_client.post(_propose_url(copy), {"note": "Texte revu."})
    proposal = _vote_all(members, Proposal.objects.get(), choice, comment="Trop court.")

    assert proposal.status == status
    copy.refresh_from_db()
    published.refresh_from_db()
    assert (copy.status, published.status) == (Course.Status.DRAFT, Course.Status.PUBLISHED)
    assert published.units.get(slug="fiche").body == "Ancien texte."
    assert list(published.versions.values_list("number", flat=True)) == [1]
    # The author edits the copy again, sees why, and can propose it again.
    page = author_client.get(reverse("studio:course", args=[copy.pk])).content.decode()
    assert "Trop court." in page
    assert author_client.post(_fiche_url(copy), _fiche(body="Mieux.")).status_code == 302
    home = author_client.get(reverse("studio:home")).content.decode()
    assert "Trop court." in home
    response = author_client.post(_propose_url(copy), {"note": "Texte revu encore."})
    assert response.status_code == 302
    assert Proposal.objects.filter(course=published, status=Proposal.Status.PENDING).count() == 1


# A real demo course, loaded from the content files


def test_a_demo_course_is_revised_in_place(studio_author, members, learner):
    from io import StringIO
    from pathlib import Path

    from django.core.management import call_command

    from courses.services import proposal_submit

    content = Path(__file__).resolve().parents[2] / "content"
    call_command("load_content", str(content), stdout=StringIO())
    demo = Course.objects.get(slug="securiser-ses-mots-de-passe")
    demo.authors.add(studio_author)
    first = demo.units.order_by("position").first()
    unit_complete(learner=learner, unit=first)
    units = dict(demo.units.values_list("slug", "pk"))
    questions = dict(Question.objects.filter(quiz__unit__course=demo).values_list("key", "pk"))
    before = demo.versions.get().number

    copy = revision_start(user=studio_author, course=demo)
    copy.units.filter(slug=first.slug).update(body="Un texte revu.")
    Question.objects.filter(quiz__unit__course=copy).update(prompt="Reformulée ?")
    make_unit(copy, slug="en-plus", required=False, position=99)
    proposal = proposal_submit(author=studio_author, course=copy, note="Texte revu.")
    _vote_all(members, proposal, Vote.Choice.VALIDATE)

    demo.refresh_from_db()
    assert demo.versions.first().number == before + 1
    assert dict(demo.units.filter(slug__in=units).values_list("slug", "pk")) == units
    assert demo.units.get(slug=first.slug).body == "Un texte revu."
    assert (
        dict(Question.objects.filter(quiz__unit__course=demo).values_list("key", "pk")) == questions
    )
    assert set(
        Question.objects.filter(quiz__unit__course=demo).values_list("prompt", flat=True)
    ) == {"Reformulée ?"}
    assert UnitCompletion.objects.filter(learner=learner, unit=first).exists()
    assert not Course.objects.filter(pk=copy.pk).exists()


# The studio home stays in a fixed number of queries with revisions


@pytest.mark.parametrize("size", [1, 6])
def test_the_home_with_revisions_takes_the_same_queries(
    author_client, studio_author, size, django_assert_num_queries
):
    for i in range(size):
        course = make_course(title=f"Parcours {i}", slug=f"parcours-{i}")
        course.authors.add(studio_author)
        make_unit(course)
        revision_start(user=studio_author, course=course)
    # session, user, courses (with totals and version), proposals (none: no votes read)
    with django_assert_num_queries(4):
        page = author_client.get(reverse("studio:home")).content.decode()
    assert page.count("révision en cours") == size
    assert page.count('class="card"') == size


# Discarding a revision in progress


def _discard_url(course):
    return reverse("studio:revision_discard", args=[course.pk])


def test_an_author_discards_a_revision_and_the_published_course_stays(
    author_client, published, learner
):
    unit_complete(learner=learner, unit=published.units.get(slug="fiche"))
    copy = _working_copy(author_client, published)
    page = author_client.get(_discard_url(copy)).content.decode()
    assert "Abandonner cette révision" in page
    assert Course.objects.filter(pk=copy.pk).exists()  # a GET changes nothing

    response = author_client.post(_discard_url(copy))

    assert response.status_code == 302
    assert response.url == reverse("studio:course", args=[published.pk])
    assert not Course.objects.filter(pk=copy.pk).exists()
    published.refresh_from_db()
    assert published.status == Course.Status.PUBLISHED and published.units.count() == 3
    assert UnitCompletion.objects.filter(learner=learner).count() == 1


def test_a_revision_in_review_cannot_be_discarded(author_client, published):
    copy = _working_copy(author_client, published)
    author_client.post(_propose_url(copy), {"note": "Changé."})
    assert author_client.post(_discard_url(copy)).status_code == 403
    assert Course.objects.filter(pk=copy.pk).exists()


def test_only_a_working_copy_is_discarded(author_client, draft, published):
    assert author_client.post(_discard_url(draft)).status_code == 404
    assert author_client.post(_discard_url(published)).status_code == 403
    assert Course.objects.filter(pk__in=[draft.pk, published.pk]).count() == 2


def test_others_cannot_discard_a_revision(published, studio_author, other_author, learner):
    copy = revision_start(user=studio_author, course=published)
    for user, status in ((other_author, 404), (learner, 403)):
        client = Client()
        client.force_login(user)
        assert client.post(_discard_url(copy)).status_code == status
    anonymous = Client().post(_discard_url(copy))
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    assert Course.objects.filter(pk=copy.pk).exists()
