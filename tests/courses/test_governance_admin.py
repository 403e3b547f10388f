"""The governance around the rule: the admin publishes nothing and edits only
drafts, staff name committee members, the authors are told the decision
once, and the content files publish through the same service."""

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.urls import reverse

from badges.models import BadgeClass
from courses.models import Course, CourseVersion, Proposal, Unit, Vote
from courses.services import proposal_submit, vote_cast
from courses.tasks import send_proposal_decision
from learning_platform.models import User
from tests.courses.test_load_content import course_files, load, write_course
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return make_user(username="admin", is_staff=True, is_superuser=True)


def _course_post(course: Course, **changes) -> dict:
    """What the admin's change form of ``course`` posts, with ``changes``."""
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "description": course.description,
        "level": course.level,
        "competences": [str(c.pk) for c in course.competences.all()] if course.pk else [],
        "language": course.language,
        "licence": course.licence,
        "credits": course.credits,
        "keywords": course.keywords,
        "authors": [str(a.pk) for a in course.authors.all()] if course.pk else [],
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


# The admin


def test_the_admin_form_has_no_status_or_publication_date_to_set(rf, staff):
    course_admin = site._registry[Course]
    request = rf.get("/")
    request.user = staff
    for course in (None, make_course(status=Course.Status.DRAFT), make_course()):
        form = course_admin.get_form(request, course)
        assert "status" not in form.base_fields and "published_at" not in form.base_fields
        assert {"status", "published_at"} <= set(course_admin.get_readonly_fields(request, course))


def test_staff_posting_a_status_to_a_draft_changes_its_text_not_its_status(client, staff):
    draft = make_course(title="Brouillon", status=Course.Status.DRAFT)
    client.force_login(staff)
    response = client.post(
        reverse("admin:courses_course_change", args=[draft.pk]),
        _course_post(
            draft,
            title="Brouillon relu",
            status=Course.Status.PUBLISHED,
            published_at_0="2026-01-01",
            published_at_1="10:00:00",
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.published_at) == (
        "Brouillon relu",
        Course.Status.DRAFT,
        None,
    )
    assert not BadgeClass.objects.filter(course=draft).exists()


def test_a_new_course_made_in_the_admin_is_a_draft(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:courses_course_add"),
        _course_post(
            Course(title="Nouveau", slug="nouveau", summary="Court.", level="beginner"),
            status=Course.Status.PUBLISHED,
        ),
    )
    assert response.status_code == 302
    course = Course.objects.get(slug="nouveau")
    assert (course.status, course.published_at) == (Course.Status.DRAFT, None)


def test_a_published_course_is_read_only_in_the_admin_but_its_authors(client, staff, author):
    author.is_author = True  # the picker offers authors only
    author.save(update_fields=["is_author"])
    course = make_course(title="Publié")
    make_unit(course, title="Fiche publiée")
    client.force_login(staff)
    url = reverse("admin:courses_course_change", args=[course.pk])

    page = client.get(url).content.decode()
    assert "son contenu ne change que par une révision proposée au comité pédagogique" in page
    assert 'name="title"' not in page and 'name="units-0-body"' not in page

    response = client.post(
        url, _course_post(course, title="Changé en douce", authors=[str(author.pk)])
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Publié"
    assert list(course.authors.all()) == [author]


def test_a_grain_or_a_quiz_of_a_published_course_cannot_be_changed_in_the_admin(client, staff):
    course = make_course()
    unit = make_unit(course, title="Fiche publiée")
    quiz = make_quiz(course)
    question = make_question(quiz, prompt="Publiée ?")
    client.force_login(staff)
    for name, obj in (
        ("courses_unit", unit),
        ("quizzes_quiz", quiz),
        ("quizzes_question", question),
    ):
        response = client.post(
            reverse(f"admin:{name}_change", args=[obj.pk]), {"title": "Changé", "prompt": "Changé"}
        )
        assert response.status_code == 403
        response = client.post(reverse(f"admin:{name}_delete", args=[obj.pk]), {"post": "yes"})
        assert response.status_code == 403
    unit.refresh_from_db()
    question.refresh_from_db()
    assert (unit.title, question.prompt) == ("Fiche publiée", "Publiée ?")


def test_a_grain_is_added_in_the_admin_to_a_draft_only(rf, staff):
    draft = make_course(status=Course.Status.DRAFT)
    published = make_course()
    request = rf.get("/")
    request.user = staff
    form = site._registry[Unit].get_form(request)
    assert list(form.base_fields["course"].queryset) == [draft]
    assert published not in form.base_fields["course"].queryset


def test_the_authors_picker_lists_authors_not_every_learner(rf, staff):
    writer = make_user(username="redactrice", is_author=True)
    learner = make_user(username="apprenante")
    request = rf.get("/")
    request.user = staff
    form = site._registry[Course].get_form(request)
    choices = form.base_fields["authors"].queryset
    assert writer in choices and learner not in choices


def test_a_draft_stays_editable_in_the_admin_and_in_review_does_not(client, staff, author):
    draft = make_course(title="Brouillon", status=Course.Status.DRAFT)
    draft.authors.add(author)
    unit = make_unit(draft, title="Fiche")
    client.force_login(staff)
    url = reverse("admin:courses_unit_change", args=[unit.pk])
    assert 'name="title"' in client.get(url).content.decode()
    proposal_submit(author=author, course=draft)
    assert 'name="title"' not in client.get(url).content.decode()


def test_staff_name_committee_members_in_the_admin(client, staff):
    member = make_user(username="marc")
    client.force_login(staff)
    url = reverse("admin:learning_platform_user_change", args=[member.pk])
    page = client.get(url).content.decode()
    assert 'name="is_committee_member"' in page
    assert "Membre du comité pédagogique" in page
    response = client.post(
        url,
        {
            "username": "marc",
            "is_active": "on",
            "is_committee_member": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=member.pk).is_committee_member


def test_proposals_and_votes_are_records_in_the_admin(client, staff, author):
    course = make_course(status=Course.Status.DRAFT)
    course.authors.add(author)
    proposal = proposal_submit(author=author, course=course)
    client.force_login(staff)
    assert client.get(reverse("admin:courses_proposal_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:courses_proposal_change", args=[proposal.pk])).status_code == 200
    )
    assert client.get(reverse("admin:courses_proposal_add")).status_code == 403
    response = client.post(
        reverse("admin:courses_proposal_change", args=[proposal.pk]), {"status": "accepted"}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.is_pending


# Telling the authors


@pytest.fixture
def decided(author):
    """A proposal refused by two members, authors with an address or not."""
    author.email = "autrice@example.org"
    author.save()
    course = make_course(title="Sécuriser ses comptes", status=Course.Status.DRAFT)
    course.authors.add(author, make_user(email=""))
    proposal = proposal_submit(author=author, course=course)
    mail.outbox.clear()
    return proposal


def _two_votes(proposal, choice, comments=("Trop court.", "Pas de quiz.")):
    for comment in comments:
        vote_cast(
            member=make_user(is_committee_member=True),
            proposal=proposal,
            choice=choice,
            comment=comment if choice != Vote.Choice.VALIDATE else "",
        )


def test_the_authors_are_mailed_the_decision_in_french_with_the_comments_once(
    decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _two_votes(decided, Vote.Choice.REQUEST_CHANGES, ("Ajoutez un exemple.", "Un quiz ?"))
    (message,) = mail.outbox
    assert message.to == ["autrice@example.org"]
    assert message.subject == "« Sécuriser ses comptes » : le comité demande des changements"
    assert "Le comité pédagogique demande des changements" in message.body
    assert "Demander des changements : Ajoutez un exemple." in message.body
    assert "Demander des changements : Un quiz ?" in message.body
    # Run again (a retry, a second worker): nobody is mailed twice.
    assert send_proposal_decision.delay(decided.pk).result == "already sent"
    assert len(mail.outbox) == 1


def test_nobody_is_mailed_before_the_decision_or_before_the_commit(
    decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        vote_cast(
            member=make_user(is_committee_member=True),
            proposal=decided,
            choice=Vote.Choice.VALIDATE,
        )
    assert callbacks == [] and mail.outbox == []
    assert send_proposal_decision.delay(decided.pk).result == "pending"
    with django_capture_on_commit_callbacks() as callbacks:
        vote_cast(
            member=make_user(is_committee_member=True),
            proposal=decided,
            choice=Vote.Choice.VALIDATE,
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.subject == "« Sécuriser ses comptes » est publié"
    assert "/courses/" in message.body or decided.course.get_absolute_url() in message.body


def test_a_refusal_is_mailed_with_its_reasons(decided, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _two_votes(decided, Vote.Choice.REFUSE)
    (message,) = mail.outbox
    assert message.subject == "« Sécuriser ses comptes » n’a pas été accepté"
    assert "Refuser : Trop court." in message.body


# The content files: the trusted seed, through the same service


def test_loading_the_files_publishes_through_the_service_and_the_badge_follows(
    tmp_path, django_capture_on_commit_callbacks
):
    write_course(tmp_path, course_files())
    with django_capture_on_commit_callbacks(execute=True):
        load(tmp_path)
    course = Course.objects.get(slug="securiser-ses-comptes")
    assert course.status == Course.Status.PUBLISHED and course.published_at is not None
    version = course.versions.get()
    assert (version.number, version.proposal, list(version.validated_by.all())) == (1, None, [])
    assert BadgeClass.objects.filter(course=course).count() == 1
    published_at = course.published_at

    # Again, unchanged: no new version, nothing moves.
    with django_capture_on_commit_callbacks(execute=True):
        stdout, _ = load(tmp_path)
    assert "1 unchanged" in stdout
    assert course.versions.count() == 1

    # Changed: a new version, the first publication date kept.
    files = course_files()
    files["course.md"] = files["course.md"].replace("Sécuriser ses comptes", "Protéger ses comptes")
    write_course(tmp_path, files)
    with django_capture_on_commit_callbacks(execute=True):
        load(tmp_path)
    course.refresh_from_db()
    assert course.title == "Protéger ses comptes" and course.published_at == published_at
    assert list(course.versions.values_list("number", flat=True)) == [2, 1]
    assert BadgeClass.objects.filter(course=course).count() == 1


def test_files_loaded_as_a_draft_are_not_published(tmp_path):
    files = course_files()
    files["course.md"] = files["course.md"].replace("status: published", "status: draft")
    write_course(tmp_path, files)
    load(tmp_path)
    course = Course.objects.get()
    assert (course.status, course.published_at) == (Course.Status.DRAFT, None)
    assert not CourseVersion.objects.exists() and not Proposal.objects.exists()
