"""A learner downloads everything the platform holds about them, and deletes
their account: no personal data left, anonymised answers kept, badges 410."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from badges.models import Assertion
from courses.models import ErrorReport
from courses.services import error_report_create, proposal_submit, vote_cast
from learning_platform.cohorts import membership_join
from learning_platform.data_rights import ANONYMOUS_USERNAME, delete_account
from learning_platform.models import CohortMembership
from progress.models import Enrolment, UnitCompletion
from progress.services import unit_complete
from quizzes.models import Attempt, AttemptAnswer
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    make_cohort,
    make_course,
    make_learner,
    make_question,
    make_quiz,
    make_unit,
    make_user,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(django_capture_on_commit_callbacks, other_learner):
    """A learner with enrolments, completions, attempts (one open), a badge,
    and a group."""
    learner = make_learner(username="ines", email="ines@example.org", display_name="Inès")
    course = make_course(title="Tableur")
    fiche = make_unit(course)
    quiz = make_quiz(course, attempts_allowed=None)
    make_question(quiz, prompt="Combien ?")
    with django_capture_on_commit_callbacks(execute=True):
        unit_complete(learner=learner, unit=fiche)
        for answers in (wrong_answers, right_answers):
            attempt = attempt_start(learner=learner, quiz=quiz)
            attempt_submit(learner=learner, attempt=attempt, answers=answers(attempt))
    attempt_start(learner=learner, quiz=quiz)  # left open
    membership_join(learner=learner, cohort=make_cohort(name="Jeudi"))
    unit_complete(learner=other_learner, unit=fiche)
    return learner, course, quiz


def test_export_holds_every_record_of_the_learner(client, history):
    learner, course, quiz = history
    client.force_login(learner)
    response = client.get(reverse("my_data_export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["username"] == "ines" and data["profile"]["email"] == "ines@example.org"
    assert len(data["enrolments"]) == Enrolment.objects.filter(learner=learner).count() == 1
    assert len(data["completions"]) == UnitCompletion.objects.filter(learner=learner).count()
    assert len(data["attempts"]) == Attempt.objects.filter(learner=learner).count() == 3
    answers = sum(len(a["answers"]) for a in data["attempts"])
    assert answers == AttemptAnswer.objects.filter(attempt__learner=learner).count() == 2
    assert {a["question"] for a in data["attempts"][0]["answers"]} <= {"Combien ?"}
    award = Assertion.objects.get(learner=learner)
    assert [b["assertion_url"].endswith(str(award.uuid)) for b in data["badges"]] == [True]
    assert data["badges"][0]["course_attribution"].startswith("« Tableur »")
    assert (
        len(data["cohort_memberships"]) == CohortMembership.objects.filter(learner=learner).count()
    )
    assert "other" not in response.content.decode()


def test_export_and_deletion_need_login(client):
    for name in ("my_data", "my_data_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post(reverse("my_data_export"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_deletion_needs_the_password_and_the_tick(client, history):
    learner, *_ = history
    client.force_login(learner)
    for data in ({"password": "wrong", "confirm": "on"}, {"password": "a-long-test-password"}):
        assert client.post(reverse("my_data"), data).status_code == 200
    assert get_user_model().objects.filter(pk=learner.pk).exists()


def test_deletion_leaves_no_personal_data(client, history, settings):
    settings.SITE_URL = "https://badges.example.org"
    learner, course, quiz = history
    pk = learner.pk
    award = Assertion.objects.get(learner=learner)
    submitted = list(
        Attempt.objects.filter(learner=learner, submitted_at__isnull=False).values_list(
            "id", flat=True
        )
    )
    client.force_login(learner)
    response = client.post(
        reverse("my_data"), {"password": "a-long-test-password", "confirm": "on"}
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=pk).exists()
    assert not get_user_model().objects.filter(username="ines").exists()
    for model in (Enrolment, UnitCompletion, Attempt, CohortMembership):
        assert not model.objects.filter(**{"learner_id": pk}).exists(), model
    # Anonymised answers kept for statistics, under an account that cannot log in.
    kept = Attempt.objects.filter(id__in=submitted)
    assert kept.count() == 2 and {a.learner.username for a in kept} == {ANONYMOUS_USERNAME}
    assert not kept.first().learner.has_usable_password() and not kept.first().learner.is_active
    assert (
        Attempt.objects.filter(learner__username=ANONYMOUS_USERNAME, submitted_at=None).count() == 0
    )
    # The badge: revoked with a reason, nothing left that points to her.
    award.refresh_from_db()
    assert award.learner is None and award.recipient_identity == "" and award.evidence == ""
    gone = client.get(award.get_absolute_url(), HTTP_ACCEPT="application/ld+json")
    assert gone.status_code == 410
    assert gone.json()["revocationReason"] == "Le ou la titulaire a supprimé son compte."
    # Nothing with her name or e-mail remains in the database.
    from django.db import connection

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert "ines@example.org" not in text and "Inès" not in text, table


def test_export_holds_the_proposals_votes_and_error_reports_of_the_user(client):
    """The courses app's part (courses.receivers): what the user proposed to
    the committee, how they voted, the errors they reported; nobody else's."""
    author = make_user(username="autrice", is_author=True, is_committee_member=True)
    members = [make_user(username=f"m{n}", is_committee_member=True) for n in (1, 2)]
    theirs = make_course(title="Le parcours d’un autre", status="draft")
    theirs.authors.add(members[0])
    make_unit(theirs)
    mine = make_course(title="Mon parcours", status="draft")
    mine.authors.add(author)
    make_unit(mine, title="La fiche")
    proposal = proposal_submit(author=author, course=mine)
    vote_cast(member=members[0], proposal=proposal, choice="request_changes", comment="Plus court.")
    vote_cast(member=members[1], proposal=proposal, choice="request_changes", comment="Oui.")
    other_proposal = proposal_submit(author=members[0], course=theirs)
    vote_cast(member=author, proposal=other_proposal, choice="refuse", comment="Hors sujet.")
    published = make_course(title="Publié", credits="Ada Lovelace")
    unit = make_unit(published, title="Le grain")
    error_report_create(reporter=author, unit=unit, text="Une faute ici.")
    error_report_create(reporter=members[1], unit=unit, text="Pas à moi.")

    client.force_login(author)
    data = json.loads(client.get(reverse("my_data_export")).content)
    (proposed,) = data["course_proposals"]
    assert proposed["course"] == "Mon parcours" and proposed["status"] == "changes_requested"
    assert proposed["proposed_at"] and proposed["decided_at"] and proposed["note"] == ""
    (vote,) = data["committee_votes"]
    assert (vote["course"], vote["choice"], vote["comment"]) == (
        "Le parcours d’un autre",
        "refuse",
        "Hors sujet.",
    )
    assert vote["cast_at"]
    (report,) = data["error_reports"]
    assert (report["course"], report["grain"], report["text"], report["status"]) == (
        "Publié",
        "Le grain",
        "Une faute ici.",
        "open",
    )
    assert "Ada Lovelace" in report["attribution"] and report["answer"] == ""
    assert "Pas à moi." not in json.dumps(data, ensure_ascii=False)
    assert "Plus court." not in json.dumps(data, ensure_ascii=False)  # another member's vote

    # Deleting the account keeps the report for the authors, without its reporter.
    delete_account(author)
    assert ErrorReport.objects.get(text="Une faute ici.").reporter is None
