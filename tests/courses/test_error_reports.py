"""Error reports: a logged-in learner reports an error in a grain or a quiz
question; the course's authors are e-mailed; they, the committee and staff
read and answer the reports; the reporter follows theirs on "My reports".
Each view for each persona, and bad input: a clear message, nothing made."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from courses.models import Course, ErrorReport, Unit
from courses.services import ErrorReportError, error_report_answer, error_report_create
from courses.tasks import send_error_report
from quizzes.services import attempt_start, attempt_submit
from tests.constraints import assert_unique_violated
from tests.factories import (
    make_course,
    make_learner,
    make_question,
    make_quiz,
    make_unit,
    make_user,
    right_answers,
)

# Query counts include the session's read: from the database on every
# database, Redis or not (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sessions_in_the_database")]

HTMX = {"HTTP_HX_REQUEST": "true"}
CREATE = reverse("reports:create")
MINE = reverse("reports:mine")
REVIEW_LIST = reverse("reports:review_list")


@pytest.fixture
def course_author(db):
    return make_user(username="ines", email="ines@example.org", is_author=True)


@pytest.fixture
def other_author(db):
    """The author of another course."""
    user = make_user(username="other-author", email="oa@example.org", is_author=True)
    make_course(title="Autre parcours").authors.add(user)
    return user


@pytest.fixture
def member(db):
    return make_user(username="comite", is_committee_member=True)


@pytest.fixture
def course(course_author):
    course = make_course(title="Mots de passe")
    course.authors.add(course_author)
    make_unit(course, slug="fiche", title="La fiche")
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video", title="La vidéo")
    quiz = make_quiz(course)
    make_question(quiz, prompt="Combien de caractères ?")
    return course


@pytest.fixture
def fiche(course):
    return course.units.get(slug="fiche")


@pytest.fixture
def question(course):
    return course.units.get(kind=Unit.Kind.QUIZ).quiz.questions.get()


@pytest.fixture
def report(learner, fiche, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return error_report_create(reporter=learner, unit=fiche, text="Le lien est cassé.")


def _review_url(report):
    return reverse("reports:review", args=[report.pk])


# Filing a report


def test_a_learner_reports_an_error_in_a_fiche_and_the_authors_are_mailed(
    client, learner, fiche, course_author, django_capture_on_commit_callbacks
):
    client.force_login(learner)
    page = client.get(f"{CREATE}?unit={fiche.pk}").content.decode()
    assert 'name="text"' in page and "La fiche" in page and 'for="id_text"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, {"unit": fiche.pk, "text": "  Une faute ici.  "})
    assert response.status_code == 302 and response.url == fiche.get_absolute_url()
    report = ErrorReport.objects.get()
    assert (report.course, report.unit, report.question_id) == (fiche.course, fiche, None)
    assert (report.reporter, report.text, report.status) == (learner, "Une faute ici.", "open")
    (email,) = mail.outbox
    assert email.to == ["ines@example.org"] and "Mots de passe" in email.subject
    assert "Une faute ici." in email.body and _review_url(report) in email.body
    assert learner.username not in email.body
    assert "transmis" in client.get(fiche.get_absolute_url()).content.decode()


def test_the_authors_are_mailed_once_even_if_the_task_runs_again(report):
    assert len(mail.outbox) == 1
    assert send_error_report(report.pk) == "already sent"
    assert len(mail.outbox) == 1


def test_a_course_whose_authors_have_no_address_mails_nobody(learner, fiche, course_author):
    course_author.email = ""
    course_author.save()
    report = error_report_create(reporter=learner, unit=fiche, text="Erreur.")
    assert send_error_report(report.pk) == "no address" and mail.outbox == []


def test_a_report_on_a_quiz_question_keeps_the_question(client, learner, question):
    unit = question.quiz.unit
    client.force_login(learner)
    url = f"{CREATE}?unit={unit.pk}&question={question.pk}"
    assert "une question du quiz" in client.get(url).content.decode()
    response = client.post(
        CREATE, {"unit": unit.pk, "question": question.pk, "text": "La réponse est fausse."}
    )
    assert response.status_code == 302
    assert ErrorReport.objects.get().question_id == question.pk


def test_htmx_opens_the_form_in_place_and_answers_with_a_fragment(client, learner, fiche):
    client.force_login(learner)
    form = client.get(f"{CREATE}?unit={fiche.pk}", **HTMX).content.decode()
    assert "<html" not in form and 'id="report-form"' in form and 'hx-post="' in form
    sent = client.post(CREATE, {"unit": fiche.pk, "text": "Erreur."}, **HTMX)
    assert sent.status_code == 200 and "<html" not in sent.content.decode()
    assert "transmis" in sent.content.decode()
    wrong = client.post(CREATE, {"unit": fiche.pk, "text": ""}, **HTMX)
    assert wrong.status_code == 422 and "<html" not in wrong.content.decode()


def test_the_same_report_twice_on_the_same_place_is_refused_with_a_clear_message(
    client, learner, fiche, report
):
    client.force_login(learner)
    response = client.post(CREATE, {"unit": fiche.pk, "text": "le lien   est CASSÉ."})
    assert response.status_code == 422
    assert "Vous avez déjà signalé cette erreur ici" in response.content.decode()
    assert ErrorReport.objects.count() == 1
    # Another text, or another grain, or another learner: a new report.
    error_report_create(reporter=learner, unit=fiche, text="Et une faute.")
    video = fiche.course.units.get(slug="video")
    error_report_create(reporter=learner, unit=video, text="Le lien est cassé.")
    error_report_create(reporter=make_learner(), unit=fiche, text="Le lien est cassé.")
    assert ErrorReport.objects.count() == 4


def test_the_database_refuses_the_same_report_twice(learner, fiche, question, report):
    twin = ErrorReport(
        course=fiche.course,
        unit=fiche,
        reporter=learner,
        text=report.text,
        text_digest=report.text_digest,
    )
    with pytest.raises(ValidationError):
        twin.full_clean()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        twin.save()
    assert_unique_violated(
        excinfo,
        name="courses_errorreport_once_per_unit",
        columns=[
            "courses_errorreport.reporter_id",
            "courses_errorreport.unit_id",
            "courses_errorreport.text_digest",
        ],
    )
    unit = question.quiz.unit
    fields = {"course": unit.course, "unit": unit, "reporter": learner, "text_digest": "x"}
    ErrorReport.objects.create(question_id=question.pk, text="a", **fields)
    ErrorReport.objects.create(
        question_id=None, text="a", **fields
    )  # the grain itself: another place
    with pytest.raises(IntegrityError), transaction.atomic():
        ErrorReport.objects.create(question_id=question.pk, text="a", **fields)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Dites ce qui ne va pas."),
        ("   \n ", "Dites ce qui ne va pas."),
        ("x" * 100_000, "2000 caractères"),
        ("x" * 2_001, "2000 caractères"),
        ("Une erreur\x00ici", "caractères de contrôle"),
        ("Une\x1berreur", "caractères de contrôle"),
    ],
)
def test_bad_text_is_refused_with_a_clear_message_and_nothing_is_made(
    client, learner, fiche, text, message
):
    client.force_login(learner)
    response = client.post(CREATE, {"unit": fiche.pk, "text": text})
    assert response.status_code == 422
    assert message in response.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert not ErrorReport.objects.exists() and mail.outbox == []


def test_a_text_at_the_limit_is_taken(learner, fiche):
    error_report_create(reporter=learner, unit=fiche, text="x" * 2_000)
    assert ErrorReport.objects.get().text == "x" * 2_000


@pytest.mark.parametrize("unit_value", ["", "999999", "abc", "٣", "9" * 5000, "-1"])
def test_an_unknown_grain_is_refused(client, learner, fiche, unit_value):
    client.force_login(learner)
    response = client.post(CREATE, {"unit": unit_value, "text": "Erreur."})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Ce grain n’existe pas" in page or "Indiquez dans quel grain" in page
    assert client.get(f"{CREATE}?unit={unit_value}").status_code == 404
    assert not ErrorReport.objects.exists()


def test_a_grain_of_a_draft_is_refused(client, learner):
    draft = make_course(status=Course.Status.DRAFT)
    unit = make_unit(draft)
    client.force_login(learner)
    response = client.post(CREATE, {"unit": unit.pk, "text": "Erreur."})
    assert response.status_code == 422 and "Ce grain n’existe pas" in response.content.decode()
    assert client.get(f"{CREATE}?unit={unit.pk}").status_code == 404
    with pytest.raises(ErrorReportError):
        error_report_create(reporter=learner, unit=unit, text="Erreur.")
    assert not ErrorReport.objects.exists()


def test_an_unknown_question_or_one_of_another_course_is_refused(client, learner, question):
    other_course = make_course()
    other_question = make_question(make_quiz(other_course))
    unit = question.quiz.unit
    client.force_login(learner)
    for bad in ("999999", "x", str(other_question.pk)):
        response = client.post(CREATE, {"unit": unit.pk, "question": bad, "text": "Erreur."})
        assert response.status_code == 422, bad
        page = response.content.decode()
        assert "Cette question n’existe pas" in page or "ne fait pas partie de ce grain" in page
        assert client.get(f"{CREATE}?unit={unit.pk}&question={bad}").status_code == 404
    # A question on a fiche: not part of it either.
    fiche = unit.course.units.get(slug="fiche")
    response = client.post(CREATE, {"unit": fiche.pk, "question": question.pk, "text": "E."})
    assert response.status_code == 422
    assert not ErrorReport.objects.exists()


def test_reporting_needs_an_account_and_get_or_post(client, learner, fiche):
    for response in (
        client.get(f"{CREATE}?unit={fiche.pk}"),
        client.post(CREATE, {"unit": fiche.pk, "text": "Erreur."}),
    ):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(learner)
    assert client.put(CREATE).status_code == 405
    assert client.delete(CREATE).status_code == 405
    assert not ErrorReport.objects.exists()


# Where the link is


def test_each_grain_offers_the_link_to_learners_only(client, learner, course):
    client.force_login(learner)
    for unit in course.units.all():
        page = client.get(unit.get_absolute_url()).content.decode()
        assert f'href="{CREATE}?unit={unit.pk}"' in page, unit.kind
    client.logout()
    fiche = course.units.get(slug="fiche")
    assert CREATE not in client.get(fiche.get_absolute_url()).content.decode()


def test_each_question_of_a_quiz_result_has_its_link(client, learner, question):
    quiz = question.quiz
    client.force_login(learner)
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))
    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert f"{CREATE}?unit={quiz.unit.pk}&amp;question={question.pk}" in page
    assert "Signaler une erreur dans cette question" in page


# My reports


def test_the_reporter_sees_their_reports_with_status_and_answer(
    client, learner, other_learner, report, course_author
):
    error_report_create(reporter=other_learner, unit=report.unit, text="Secret d’un autre.")
    error_report_answer(
        reviewer=course_author, report=report, status="fixed", answer="Corrigé, merci !"
    )
    client.force_login(learner)
    page = client.get(MINE).content.decode()
    assert "Le lien est cassé." in page and "Corrigé, merci !" in page and "Corrigé" in page
    assert "Secret d’un autre." not in page
    client.force_login(other_learner)
    page = client.get(MINE).content.decode()
    assert "Secret d’un autre." in page and "Le lien est cassé." not in page


def test_my_reports_needs_an_account_and_get(client, learner):
    response = client.get(MINE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(learner)
    assert "aucune erreur" in client.get(MINE).content.decode()
    assert client.post(MINE).status_code == 405


def test_the_profile_links_to_my_reports(client, learner, course_author):
    client.force_login(learner)
    page = client.get(reverse("profile")).content.decode()
    assert MINE in page and f'href="{REVIEW_LIST}"' not in page
    client.force_login(course_author)
    assert f'href="{REVIEW_LIST}"' in client.get(reverse("profile")).content.decode()


# The reports of a course: its authors, the committee, staff


def test_who_reads_the_reports_of_a_course(
    client, learner, other_learner, report, course_author, other_author, member, staff
):
    response = client.get(REVIEW_LIST)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for outsider in (learner, other_learner):
        client.force_login(outsider)
        assert client.get(REVIEW_LIST).status_code == 404
    client.force_login(other_author)
    page = client.get(REVIEW_LIST).content.decode()
    assert "Le lien est cassé." not in page and "Aucun signalement" in page
    for reader in (course_author, member, staff):
        client.force_login(reader)
        page = client.get(REVIEW_LIST).content.decode()
        assert "Le lien est cassé." in page and _review_url(report) in page
    assert client.post(REVIEW_LIST).status_code == 405


def test_an_author_without_the_author_role_reads_nothing(client, report, course_author):
    course_author.is_author = False
    course_author.save()
    client.force_login(course_author)
    assert client.get(REVIEW_LIST).status_code == 404
    assert client.get(_review_url(report)).status_code == 404


def test_the_list_filters_by_status_and_course(client, learner, report, course_author, member):
    other_course = make_course(title="Autre")
    error_report_create(reporter=learner, unit=make_unit(other_course), text="Ailleurs.")
    error_report_answer(reviewer=member, report=report, status="fixed", answer="")
    client.force_login(member)
    page = client.get(REVIEW_LIST).content.decode()  # open ones by default
    assert "Ailleurs." in page and "Le lien est cassé." not in page
    page = client.get(f"{REVIEW_LIST}?status=fixed").content.decode()
    assert "Le lien est cassé." in page and "Ailleurs." not in page
    page = client.get(f"{REVIEW_LIST}?status=all&course={report.course_id}").content.decode()
    assert "Le lien est cassé." in page and "Ailleurs." not in page
    for bad in ("?status=zz", "?course=abc", "?course=" + "9" * 5000, "?page=x"):
        assert client.get(REVIEW_LIST + bad).status_code == 200, bad


def test_who_answers_a_report(
    client, learner, other_learner, report, course_author, other_author, member, staff
):
    url = _review_url(report)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for outsider in (learner, other_learner, other_author):  # the reporter too
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"status": "fixed", "answer": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.status == "open" and report.answered_at is None
    for reviewer, status in ((course_author, "acknowledged"), (member, "fixed"), (staff, "open")):
        client.force_login(reviewer)
        page = client.get(url).content.decode()
        assert "Le lien est cassé." in page and 'name="status"' in page
        response = client.post(url, {"status": status, "answer": f"Vu par {reviewer}."})
        assert response.status_code == 302 and response.url == REVIEW_LIST
        report.refresh_from_db()
        assert (report.status, report.answer) == (status, f"Vu par {reviewer}.")
        assert report.answered_at is not None
    assert client.put(url).status_code == 405


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"status": "closed", "answer": ""}, "Choisissez l’un des états proposés."),
        ({"answer": "x"}, "Ce champ est obligatoire."),
        ({"status": "dismissed", "answer": "  "}, "Dites pourquoi ce n’est pas une erreur."),
        ({"status": "fixed", "answer": "x" * 100_000}, "2000 caractères"),
        ({"status": "fixed", "answer": "Oui\x07"}, "caractères de contrôle"),
    ],
)
def test_a_bad_answer_is_refused_with_a_clear_message_and_changes_nothing(
    client, report, course_author, form, message
):
    client.force_login(course_author)
    response = client.post(_review_url(report), form)
    assert response.status_code == 422
    assert message in response.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    report.refresh_from_db()
    assert (report.status, report.answer, report.answered_at) == ("open", "", None)


def test_an_unknown_report_is_a_404(client, member):
    client.force_login(member)
    assert client.get(reverse("reports:review", args=[999999])).status_code == 404


def test_the_answer_service_refuses_a_reviewer_of_another_course(report, other_author, learner):
    for outsider in (other_author, learner):
        with pytest.raises(ErrorReportError):
            error_report_answer(reviewer=outsider, report=report, status="fixed", answer="")
    report.refresh_from_db()
    assert report.status == "open"


# Pages fetch in a fixed number of queries


def _reports(size: int, learner, member):
    for _ in range(size):
        course = make_course()
        course.authors.add(member)
        unit = make_unit(course)
        error_report_create(reporter=learner, unit=unit, text="Erreur.")


@pytest.mark.parametrize("name", ["reports:mine", "reports:review_list"])
def test_report_lists_take_the_same_queries_whatever_their_size(
    client, learner, member, name, django_assert_num_queries
):
    viewer = learner if name == "reports:mine" else member
    client.force_login(viewer)
    _reports(2, learner, member)
    with django_assert_num_queries(4):  # session, user, count, page
        assert client.get(reverse(name)).status_code == 200
    _reports(20, learner, member)
    with django_assert_num_queries(4):
        assert client.get(reverse(name)).status_code == 200
