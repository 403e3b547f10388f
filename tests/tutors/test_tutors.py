"""Tutors: joining with consent, the cohort table and its flags at their
thresholds, the learner page, analytics, CSV, digest, and who may see what."""

import csv
import io
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from learning_platform.cohorts import membership_join
from learning_platform.models import Cohort, CohortMembership, Organisation
from progress import tutor_analytics
from progress import tutor_selectors as selectors
from progress.models import CohortCourse, Enrolment
from progress.services import cohort_course_assign, unit_complete
from quizzes.models import Question
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
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
def tutor(db):
    return make_user(username="karim", email="karim@example.org")


@pytest.fixture
def course(db):
    course = make_course(title="Hameçonnage")
    make_unit(course, slug="f1", position=1)
    make_unit(course, slug="f2", position=2)
    quiz = make_quiz(course, pass_mark=70)
    quiz.unit.position = 3
    quiz.unit.save()
    make_question(quiz, prompt="Quel lien est sûr ?")
    make_question(quiz, kind=Question.Kind.TRUE_FALSE)
    return course


@pytest.fixture
def cohort(tutor, course):
    organisation = Organisation.objects.create(name="EPN Saint-Martin", kind="public_space")
    cohort = Cohort.objects.create(name="Mardi", organisation=organisation)
    cohort.tutors.add(tutor)
    cohort_course_assign(cohort=cohort, course=course)
    return cohort


@pytest.fixture
def member(cohort):
    learner = make_learner(username="zoe", display_name="Zoé Éluard")
    membership_join(learner=learner, cohort=cohort)
    return learner


def _quiz(course):
    return course.units.get(kind="quiz").quiz


def _take(learner, quiz, passing):
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(
        learner=learner,
        attempt=attempt,
        answers=right_answers(attempt) if passing else wrong_answers(attempt),
    )


# Joining


def test_learner_joins_by_code_only_after_consenting(client, cohort):
    learner = make_learner(username="nina")
    client.force_login(learner)
    response = client.get(reverse("cohorts:join") + "?code=" + cohort.invite_code.lower())
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Ce que vos tuteurs verront" in page
    assert client.post(response.url, {}).status_code == 200  # no consent ticked
    assert not CohortMembership.objects.filter(learner=learner).exists()
    client.post(response.url, {"consent": "on"})
    assert CohortMembership.objects.get(learner=learner).consented_at is not None


def test_unknown_code_gets_a_clear_message(client, learner, cohort):
    client.force_login(learner)
    page = client.post(reverse("cohorts:join"), {"code": "NOPE"}).content.decode()
    assert "Aucun groupe n’a ce code" in page
    assert not CohortMembership.objects.exists()


def test_invited_learner_is_invisible_until_they_consent(client, tutor, cohort):
    learner = make_learner(username="sam")
    client.force_login(tutor)
    client.post(reverse("tutor:learner_add", args=[cohort.pk]), {"username": "SAM"})
    membership = CohortMembership.objects.get(learner=learner)
    assert membership.consented_at is None
    assert [r.learner for r in selectors.cohort_table(cohort).rows] == []
    url = reverse("tutor:learner", args=[cohort.pk, learner.pk])
    assert client.get(url).status_code == 404
    membership_join(learner=learner, cohort=cohort)
    assert client.get(url).status_code == 200


def test_tutor_invite_of_unknown_or_present_account_changes_nothing(client, tutor, cohort, member):
    client.force_login(tutor)
    for name in ("ghost", "zoe"):
        response = client.post(
            reverse("tutor:learner_add", args=[cohort.pk]), {"username": name}, follow=True
        )
        assert response.status_code == 200
    assert CohortMembership.objects.count() == 1


def test_leaving_removes_the_tutors_access(client, tutor, cohort, member):
    url = reverse("tutor:learner", args=[cohort.pk, member.pk])
    client.force_login(tutor)
    assert client.get(url).status_code == 200
    client.force_login(member)
    assert client.get(reverse("cohorts:leave", args=[cohort.pk])).status_code == 405
    client.post(reverse("cohorts:leave", args=[cohort.pk]))
    client.force_login(tutor)
    assert client.get(url).status_code == 404
    assert "Zoé" not in client.get(reverse("tutor:cohort", args=[cohort.pk])).content.decode()


# Access


def _tutor_urls(cohort, learner, quiz, assignment):
    return [
        ("get", reverse("tutor:cohort", args=[cohort.pk])),
        ("get", reverse("tutor:export", args=[cohort.pk])),
        ("get", reverse("tutor:learner", args=[cohort.pk, learner.pk])),
        ("get", reverse("tutor:cohort_quiz", args=[cohort.pk, quiz.pk])),
        ("post", reverse("tutor:learner_add", args=[cohort.pk])),
        ("post", reverse("tutor:learner_remove", args=[cohort.pk, learner.pk])),
        ("post", reverse("tutor:course_assign", args=[cohort.pk])),
        ("post", reverse("tutor:course_unassign", args=[cohort.pk, assignment.pk])),
    ]


def test_tutor_views_refuse_other_tutors_learners_and_anonymous(client, cohort, member, course):
    other_org = Organisation.objects.create(name="Autre", kind="training")
    other_cohort = Cohort.objects.create(name="Autre groupe", organisation=other_org)
    other_tutor = make_user(username="other-tutor")
    other_cohort.tutors.add(other_tutor)
    staff = make_user(username="staff", is_staff=True)
    assignment = CohortCourse.objects.get(cohort=cohort)
    urls = _tutor_urls(cohort, member, _quiz(course), assignment)
    for user in (other_tutor, member, staff):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url, {"username": "zoe"}).status_code == 404, (
                user,
                url,
            )
    client.logout()
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert CohortMembership.objects.count() == 1 and CohortCourse.objects.count() == 1


def test_organisation_manager_sees_all_its_cohorts(client, cohort, member):
    manager = make_user(username="boss")
    cohort.organisation.managers.add(manager)
    client.force_login(manager)
    assert client.get(reverse("tutor:cohort", args=[cohort.pk])).status_code == 200
    assert "Mardi" in client.get(reverse("tutor:dashboard")).content.decode()


def test_tutor_get_only_views_refuse_post_and_post_views_refuse_get(client, tutor, cohort, member):
    client.force_login(tutor)
    assert client.post(reverse("tutor:cohort", args=[cohort.pk])).status_code == 405
    assert client.get(reverse("tutor:learner_add", args=[cohort.pk])).status_code == 405
    assert list(cohort.memberships.values_list("learner", flat=True)) == [member.pk]


def test_a_learner_sees_nothing_of_other_learners(client, cohort, member):
    other = make_learner(username="paul")
    membership_join(learner=other, cohort=cohort)
    client.force_login(other)
    assert "Zoé" not in client.get(reverse("cohorts:mine")).content.decode()
    assert "Zoé" not in client.get(reverse("tutor:dashboard")).content.decode()


# The table and its flags


def test_tutor_sees_progress_after_each_grain(client, tutor, cohort, member, course):
    client.force_login(tutor)
    url = reverse("tutor:cohort", args=[cohort.pk])
    assert "pas commencé" in client.get(url).content.decode()
    f1 = course.units.get(slug="f1")
    unit_complete(learner=member, unit=f1)
    assert "33&nbsp;%" in client.get(url).content.decode()
    unit_complete(learner=member, unit=course.units.get(slug="f2"))
    assert "66&nbsp;%" in client.get(url).content.decode()
    _take(member, _quiz(course), passing=True)
    body = client.get(url).content.decode()
    assert "100&nbsp;%" in body and "quiz 100 %" in body


def _row(cohort, learner):
    return next(r for r in selectors.cohort_table(cohort).rows if r.learner == learner)


def test_inactive_flag_at_its_threshold(cohort, member, course, settings):
    unit_complete(learner=member, unit=course.units.get(slug="f1"))
    now = timezone.now()
    enrolment = Enrolment.objects.get(learner=member)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_activity_at=now - timedelta(days=14) + timedelta(minutes=5)
    )
    assert selectors.FLAG_INACTIVE not in _row(cohort, member).flags
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now - timedelta(days=14))
    assert selectors.FLAG_INACTIVE in _row(cohort, member).flags
    settings.TUTOR_FLAGS = {**settings.TUTOR_FLAGS, "inactive_days": 30}
    assert selectors.FLAG_INACTIVE not in _row(cohort, member).flags


def test_inactive_counts_from_joining_when_never_active(cohort, member):
    membership = CohortMembership.objects.get(learner=member)
    membership.consented_at = timezone.now() - timedelta(days=13)
    membership.save()
    assert selectors.FLAG_INACTIVE not in _row(cohort, member).flags
    membership.consented_at = timezone.now() - timedelta(days=14, seconds=1)
    membership.save()
    assert selectors.FLAG_INACTIVE in _row(cohort, member).flags


def test_failing_flag_at_two_failures_without_a_pass(cohort, member, course):
    quiz = _quiz(course)
    quiz.attempts_allowed = None
    quiz.save()
    _take(member, quiz, passing=False)
    assert selectors.FLAG_FAILING not in _row(cohort, member).flags
    _take(member, quiz, passing=False)
    row = _row(cohort, member)
    assert selectors.FLAG_FAILING in row.flags and row.failing_quizzes == [quiz.unit.title]
    _take(member, quiz, passing=True)
    assert selectors.FLAG_FAILING not in _row(cohort, member).flags


def test_not_started_flag(cohort, member, course):
    assert selectors.FLAG_NOT_STARTED in _row(cohort, member).flags
    unit_complete(learner=member, unit=course.units.get(slug="f1"))
    assert selectors.FLAG_NOT_STARTED not in _row(cohort, member).flags


def test_late_flag_against_the_due_date(cohort, member, course):
    assignment = CohortCourse.objects.get(cohort=cohort)
    today = timezone.localdate()
    assignment.due_date = today
    assignment.save()
    assert selectors.FLAG_LATE not in _row(cohort, member).flags
    assignment.due_date = today - timedelta(days=1)
    assignment.save()
    assert selectors.FLAG_LATE in _row(cohort, member).flags
    for unit in course.units.exclude(kind="quiz"):
        unit_complete(learner=member, unit=unit)
    _take(member, _quiz(course), passing=True)
    assert selectors.FLAG_LATE not in _row(cohort, member).flags


def test_filter_by_flag_and_sort_with_and_without_htmx(client, tutor, cohort, member, course):
    other = make_learner(username="abel", display_name="Abel")
    membership_join(learner=other, cohort=cohort)
    unit_complete(learner=other, unit=course.units.get(slug="f1"))
    client.force_login(tutor)
    url = reverse("tutor:cohort", args=[cohort.pk])
    body = client.get(url + "?flag=not_started").content.decode()
    assert "Zoé Éluard" in body and ">Abel<" not in body
    body = client.get(url + "?sort=-name").content.decode()
    assert body.index("Zoé Éluard") < body.index(">Abel<")
    body = client.get(url + "?sort=-course-0", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in body and body.index(">Abel<") < body.index("Zoé Éluard")
    for bad in ("?sort=course-99", "?sort=%00", "?flag=nope", "?page=zz", "?page=-4"):
        assert client.get(url + bad).status_code == 200


# Learner page and analytics


def test_learner_page_shows_timeline_attempt_answers_and_wrong_questions(
    client, tutor, cohort, member, course
):
    unit_complete(learner=member, unit=course.units.get(slug="f1"))
    _take(member, _quiz(course), passing=False)
    client.force_login(tutor)
    body = client.get(reverse("tutor:learner", args=[cohort.pk, member.pk])).content.decode()
    assert "Quel lien est sûr ?" in body  # a question got wrong
    assert "Wrong" in body  # the answer given to it (the wrong choice's text)
    assert "0 %" in body and "non réussi" in body


def test_question_analytics_share_right_and_most_chosen_wrong_choice(tutor, cohort, course):
    quiz = _quiz(course)
    for name in ("a", "b", "c"):
        learner = make_learner(username=name)
        membership_join(learner=learner, cohort=cohort)
        _take(learner, quiz, passing=name == "a")
    outsider = make_learner(username="outsider")
    _take(outsider, quiz, passing=True)
    stats = tutor_analytics.question_stats(
        quiz=quiz, learner_ids=selectors.consented_learner_ids(cohort)
    )
    single = next(s for s in stats if s.question.prompt == "Quel lien est sûr ?")
    assert (single.answered, single.correct, single.percent_correct) == (3, 1, 33)
    assert (single.top_wrong_choice, single.top_wrong_count) == ("Wrong", 2)
    everyone = tutor_analytics.question_stats(quiz=quiz)
    assert next(s for s in everyone if s.question == single.question).answered == 4


def test_course_analytics_for_authors_and_staff_only(client, course, learner, tutor, staff):
    url = reverse("tutor:course_stats", args=[course.slug])
    for outsider in (learner, tutor):  # a tutor of some cohort is no author
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    course.authors.add(learner)
    client.force_login(learner)
    assert client.get(url).status_code == 200
    client.force_login(staff)  # staff, without being an author
    assert client.get(url).status_code == 200
    assert client.get(reverse("tutor:course_stats", args=["no-such-course"])).status_code == 404


# CSV


def _read_csv(response, delimiter):
    raw = b"".join(response.streaming_content)  # streamed: see tutor_views.cohort_export
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    text = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_csv_opens_right_in_a_french_spreadsheet(client, tutor, cohort, member, course):
    CohortCourse.objects.filter(cohort=cohort).update(due_date="2026-12-01")
    unit_complete(learner=member, unit=course.units.get(slug="f1"))
    quiz = _quiz(course)
    make_question(quiz, kind=Question.Kind.NUMERIC, numeric_answer=3)
    attempt = attempt_start(learner=member, quiz=quiz)
    answers = right_answers(attempt)
    answers[next(iter(answers))] = wrong_answers(attempt)[next(iter(answers))]
    attempt_submit(learner=member, attempt=attempt, answers=answers)
    client.force_login(tutor)
    response = client.get(reverse("tutor:export", args=[cohort.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _read_csv(response, ";")
    header, line = rows[0], rows[1]
    assert len(rows) == 2 and len(header) == len(line) == 9
    assert header[5] == "Hameçonnage : % terminé"
    assert line[1] == "Zoé Éluard"
    percent, score, badge, due = line[5:9]
    assert int(percent) == 33 and "%" not in percent
    assert float(score.replace(",", ".")) == pytest.approx(66.67) and "," in score
    assert int(badge) == 0 and due == "2026-12-01"
    assert timezone.datetime.fromisoformat(line[2]) and timezone.datetime.fromisoformat(line[3])

    comma = _read_csv(client.get(reverse("tutor:export", args=[cohort.pk]) + "?sep=comma"), ",")
    assert float(comma[1][6]) == pytest.approx(66.67)


# Digest


def test_weekly_digest_is_sent_once_per_week(tutor, cohort, member, course):
    quiz = _quiz(course)
    quiz.attempts_allowed = None
    quiz.save()
    _take(member, quiz, passing=False)
    _take(member, quiz, passing=False)
    out = StringIO()
    call_command("send_tutor_digests", stdout=out)
    assert out.getvalue().endswith(": 1 sent.\n")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["karim@example.org"]
    assert "Zoé Éluard" in mail.outbox[0].body and "Mardi" in mail.outbox[0].body
    out = StringIO()
    call_command("send_tutor_digests", stdout=out)
    assert out.getvalue().endswith(": 1 already sent.\n")
    assert len(mail.outbox) == 1


def test_best_score_is_the_weakest_quiz_of_a_course(cohort, member, course):
    first = _quiz(course)
    second = make_quiz(course)
    make_question(second)
    _take(member, first, passing=True)
    _take(member, second, passing=False)
    assert _row(cohort, member).cells[0].best_score == Decimal("0")
