"""An accepted revision is applied to the published course in place
(courses.snapshots.snapshot_apply, quizzes.revisions.quiz_apply): grains
matched by slug keep their rows, so learners keep their completions,
answers, passed attempts and badges across versions (issue #15)."""

import pytest

from badges.models import Assertion
from badges.services import award_if_eligible
from courses.models import Course, CourseVersion, Proposal, Unit, Vote
from courses.services import ProposalOutdated, course_publish, proposal_submit, vote_cast
from courses.snapshots import course_snapshot, snapshot_apply
from progress.models import UnitCompletion
from progress.selectors import course_progress_for
from progress.services import unit_complete
from quizzes.models import Attempt, AttemptAnswer, Choice, Question
from quizzes.services import attempt_start, attempt_submit
from studio.services import revision_start
from tests.factories import (
    make_course,
    make_question,
    make_quiz,
    make_unit,
    make_user,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(db):
    return make_user(username="ines", is_author=True)


@pytest.fixture
def members(db):
    return [make_user(username=f"membre{n}", is_committee_member=True) for n in (1, 2)]


@pytest.fixture
def live(writer):
    """A published course: a required fiche and a required quiz (one question)."""
    course = make_course(title="Sécuriser ses comptes", slug="securiser")
    course.authors.add(writer)
    make_unit(course, slug="fiche", title="Le mot de passe", body="Ancien texte.", position=1)
    quiz = make_quiz(course)
    quiz.unit.slug, quiz.unit.position = "quiz", 2
    quiz.unit.save()
    make_question(
        quiz,
        key="longueur",
        prompt="Ancienne question ?",
        choices=[("Douze", True, ""), ("Quatre", False, "")],
    )
    return course


def _validate(members, proposal):
    for member in members:
        vote_cast(member=member, proposal=proposal, choice=Vote.Choice.VALIDATE)
    proposal.refresh_from_db()
    return proposal


def _complete(learner, course):
    """Every grain done: the fiche read and the quiz passed."""
    for unit in course.units.filter(kind=Unit.Kind.FICHE):
        unit_complete(learner=learner, unit=unit)
    quiz = course.units.get(kind=Unit.Kind.QUIZ).quiz
    attempt = attempt_start(learner=learner, quiz=quiz)
    return attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))


def _revise(writer, live, members, *, edit, note="Texte clarifié."):
    copy = revision_start(user=writer, course=live)
    edit(copy)
    proposal = proposal_submit(author=writer, course=copy, note=note)
    return copy, _validate(members, proposal)


def test_a_validated_revision_updates_the_published_course_in_place(writer, live, members):
    units_before = dict(live.units.values_list("slug", "pk"))
    question_before = Question.objects.get(quiz__unit__course=live)
    choice_pks = set(question_before.choices.values_list("pk", flat=True))

    def edit(copy):
        fiche = copy.units.get(slug="fiche")
        fiche.body = "Nouveau texte."
        fiche.save()
        Question.objects.filter(quiz__unit__course=copy).update(prompt="Nouvelle question ?")
        make_unit(copy, slug="bonus", title="Pour aller plus loin", required=False, position=3)

    copy, proposal = _revise(writer, live, members, edit=edit)

    assert proposal.status == Proposal.Status.ACCEPTED
    live.refresh_from_db()
    assert live.status == Course.Status.PUBLISHED
    assert live.units.get(slug="fiche").body == "Nouveau texte."
    assert dict(live.units.filter(slug__in=units_before).values_list("slug", "pk")) == units_before
    assert live.units.get(slug="bonus").required is False
    question = Question.objects.get(quiz__unit__course=live)
    assert (question.pk, question.prompt) == (question_before.pk, "Nouvelle question ?")
    assert set(question.choices.values_list("pk", flat=True)) == choice_pks
    assert list(live.versions.values_list("number", "note")) == [(1, "Texte clarifié.")]
    assert not Course.objects.filter(pk=copy.pk).exists()
    assert course_snapshot(course=live) == proposal.snapshot


def test_the_version_number_follows_the_last(writer, live, members):
    CourseVersion.objects.create(course=live, number=1, validated_at=live.published_at)
    _copy, proposal = _revise(writer, live, members, edit=lambda copy: None)
    assert proposal.version.number == 2


def test_a_learner_who_completed_keeps_100_percent_after_an_edit_and_an_optional_grain(
    writer, live, members, learner, other_learner
):
    _complete(learner, live)
    assert course_progress_for(learner=learner, course=live).percent == 100

    def edit(copy):
        copy.units.filter(slug="fiche").update(body="Texte revu.")
        make_unit(copy, slug="bonus", required=False, position=3)

    _revise(writer, live, members, edit=edit)

    progress = course_progress_for(learner=learner, course=live)
    assert (progress.percent, progress.completed) == (100, True)
    assert UnitCompletion.objects.filter(learner=learner).count() == 2
    assert course_progress_for(learner=other_learner, course=live).started is False


def test_a_quiz_passed_stays_passed_after_its_question_is_reworded(writer, live, members, learner):
    attempt = _complete(learner, live)
    assert attempt.passed is True

    def edit(copy):
        Question.objects.filter(quiz__unit__course=copy).update(prompt="Reformulée ?")
        Choice.objects.filter(question__quiz__unit__course=copy, is_correct=True).update(
            text="Douze caractères au moins"
        )

    _revise(writer, live, members, edit=edit)

    attempt.refresh_from_db()
    assert attempt.passed is True
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 1
    assert Choice.objects.filter(
        question__quiz__unit__course=live, text="Douze caractères au moins"
    ).exists()


def test_a_badge_earned_stays_after_a_revision_adds_a_required_grain(
    writer, live, members, learner
):
    _complete(learner, live)
    award_if_eligible(learner=learner, course=live)
    assertion = Assertion.objects.get(learner=learner)

    _revise(
        writer,
        live,
        members,
        edit=lambda copy: make_unit(copy, slug="nouveau", required=True, position=3),
    )

    assertion.refresh_from_db()
    assert assertion.revoked_at is None
    progress = course_progress_for(learner=learner, course=live)
    # The new required grain is to do: the progress drops, the course stays completed.
    assert (progress.done, progress.total, progress.completed) == (2, 3, True)


def test_a_grain_removed_by_the_revision_is_deleted_and_a_question_added_is_created(
    writer, live, members
):
    def edit(copy):
        copy.units.filter(slug="fiche").delete()
        make_question(
            copy.units.get(slug="quiz").quiz,
            key="nouvelle",
            kind=Question.Kind.TRUE_FALSE,
            choices=[("Vrai", True, ""), ("Faux", False, "")],
        )

    _revise(writer, live, members, edit=edit)

    assert list(live.units.values_list("slug", flat=True)) == ["quiz"]
    assert sorted(
        Question.objects.filter(quiz__unit__course=live).values_list("key", flat=True)
    ) == ["longueur", "nouvelle"]


def test_a_question_and_choices_removed_by_the_revision_are_deleted(writer, live, members):
    quiz = live.units.get(slug="quiz").quiz
    make_question(
        quiz, key="seconde", choices=[("A", True, ""), ("B", False, ""), ("C", False, "")]
    )

    def edit(copy):
        copy_quiz = copy.units.get(slug="quiz").quiz
        copy_quiz.questions.filter(key="longueur").delete()
        copy_quiz.questions.get(key="seconde").choices.filter(text="C").delete()
        copy_quiz.pass_mark = 50
        copy_quiz.save()

    _revise(writer, live, members, edit=edit)

    quiz.refresh_from_db()
    assert quiz.pass_mark == 50
    assert list(quiz.questions.values_list("key", flat=True)) == ["seconde"]
    assert list(
        Choice.objects.filter(question__quiz=quiz)
        .order_by("position")
        .values_list("text", flat=True)
    ) == ["A", "B"]


def test_a_grain_can_change_kind_under_the_same_slug(writer, live, members):
    def edit(copy):
        copy.units.filter(slug="quiz").delete()
        make_unit(copy, slug="quiz", title="Une fiche désormais", position=2)

    _revise(writer, live, members, edit=edit)

    unit = live.units.get(slug="quiz")
    assert unit.kind == Unit.Kind.FICHE
    assert not hasattr(Unit.objects.get(pk=unit.pk), "quiz")


def test_snapshot_apply_of_the_course_own_snapshot_changes_nothing(live):
    before = course_snapshot(course=live)
    pks = sorted(live.units.values_list("pk", flat=True))
    snapshot_apply(course=live, snapshot=before)
    assert course_snapshot(course=live) == before
    assert sorted(live.units.values_list("pk", flat=True)) == pks


def test_metadata_and_competences_follow_the_revision(writer, live, members):
    def edit(copy):
        copy.title = "Sécuriser ses comptes en ligne"
        copy.save()
        copy.competences.set([])

    _revise(writer, live, members, edit=edit)
    live.refresh_from_db()
    assert (live.title, live.slug) == ("Sécuriser ses comptes en ligne", "securiser")
    assert not live.competences.exists()


def test_publication_refuses_a_snapshot_that_does_not_apply_whole(writer, live, members):
    """A snapshot naming a competence the framework lacks cannot be applied
    as the committee saw it: nothing changes."""
    copy = revision_start(user=writer, course=live)
    copy.units.filter(slug="fiche").update(body="Nouveau.")
    proposal = proposal_submit(author=writer, course=copy, note="Un changement.")
    Proposal.objects.filter(pk=proposal.pk).update(
        snapshot={
            **proposal.snapshot,
            "course": {**proposal.snapshot["course"], "competences": ["9.9"]},
        },
        status=Proposal.Status.ACCEPTED,
        decided_at=live.published_at,
    )
    proposal.refresh_from_db()
    with pytest.raises(ProposalOutdated):
        course_publish(course=live, proposal=proposal)
    assert live.units.get(slug="fiche").body == "Ancien texte."
    assert Course.objects.filter(pk=copy.pk).exists()
    assert not live.versions.exists()


def test_a_refused_attempt_stays_refused_after_the_revision(writer, live, members, learner):
    quiz = live.units.get(slug="quiz").quiz
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(learner=learner, attempt=attempt, answers=wrong_answers(attempt))
    _revise(writer, live, members, edit=lambda copy: None)
    assert Attempt.objects.get(pk=attempt.pk).passed is False


# What the course page says is new


def _news_course(live, *, number, days, note="Une fiche ajoutée."):
    from datetime import timedelta

    from django.utils import timezone

    from courses.selectors import course_for_page

    CourseVersion.objects.create(
        course=live, number=number, note=note, validated_at=timezone.now() - timedelta(days=days)
    )
    return course_for_page(slug=live.slug, user=make_user(username=f"u{number}-{days}"))


@pytest.mark.parametrize(("days", "shown"), [(0, True), (29, True), (31, False)])
def test_the_note_of_a_recent_revision_is_news_for_thirty_days(live, days, shown):
    from courses.selectors import version_news

    news = version_news(course=_news_course(live, number=2, days=days))
    assert (news is not None) == shown
    if shown:
        assert (news.number, news.note) == (2, "Une fiche ajoutée.")


def test_the_first_version_is_not_news(live):
    from courses.selectors import version_news

    assert version_news(course=_news_course(live, number=1, days=0)) is None


def test_a_revision_without_a_note_is_not_news(live):
    from courses.selectors import version_news

    assert version_news(course=_news_course(live, number=2, days=0, note="")) is None


def test_the_news_is_the_same_for_everyone_on_the_cached_page(live, client, learner_client):
    """The line holds no learner's data: anonymous visitors and learners see
    it alike, from the shared cache."""
    from django.urls import reverse

    _news_course(live, number=2, days=1, note="Quiz revu.")
    for visitor in (learner_client, client, learner_client):
        page = visitor.get(reverse("courses:detail", args=[live.slug])).content.decode()
        assert "Nouveau dans la version 2" in page and "Quiz revu." in page


# A revision that lifts the last required grain a learner had left


def test_a_learner_left_one_grain_completes_when_the_revision_makes_it_optional(
    writer, live, members, learner, other_learner, django_capture_on_commit_callbacks
):
    unit_complete(learner=learner, unit=live.units.get(slug="fiche"))  # the quiz is left
    progress = course_progress_for(learner=learner, course=live)
    assert (progress.done, progress.total, progress.completed) == (1, 2, False)

    with django_capture_on_commit_callbacks(execute=True):
        _revise(
            writer,
            live,
            members,
            edit=lambda copy: copy.units.filter(slug="quiz").update(required=False),
        )

    progress = course_progress_for(learner=learner, course=live)
    assert progress.completed is True
    assert Assertion.objects.filter(learner=learner, badge_class__course=live).count() == 1
    # A learner who has not done the fiche is not completed by the revision.
    assert course_progress_for(learner=other_learner, course=live).completed is False
