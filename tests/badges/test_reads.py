"""Reads of badges at their edges (badges/selectors.py): which awards are
public, whose awards a learner sees, what is still missing for a badge (the
learner's own completions and attempts, at that quiz, in course order), in a
fixed number of queries. Another learner and another course are always
present. The course (tests/badges/conftest.py): fiche, video, quiz at 70 %."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from badges.models import Assertion
from badges.selectors import (
    assertion_map,
    assertions_for,
    badge_moment,
    badge_steps,
    criteria_narrative,
    earned_award,
    eligibility,
    public_assertions,
    steps_from,
)
from badges.services import assertion_claim, assertion_revoke, badge_class_ensure
from courses.models import Unit
from progress.services import unit_complete
from quizzes.models import Attempt, Quiz
from tests.factories import make_course, make_question, make_quiz, make_unit

pytestmark = pytest.mark.django_db


def _award(learner, course) -> Assertion:
    """An award made directly: these tests are about reading awards."""
    return Assertion.objects.create(
        badge_class=badge_class_ensure(course),
        learner=learner,
        issued_on=timezone.now(),
        salt="salt",
    )


def _scored(learner, quiz, score: str, *, submitted: bool = True) -> Attempt:
    score = Decimal(score)
    return Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        submitted_at=timezone.now() if submitted else None,
        score=score,
        points=score,
        max_points=Decimal(100),
        passed=score >= quiz.pass_mark,
    )


# Whose awards, which are public


def test_public_awards_are_the_claimed_and_the_revoked(learner, other_learner, course):
    other = make_course()
    claimed = _award(learner, course)
    assertion_claim(assertion=claimed, email="awa@example.org")
    revoked_unclaimed = _award(other_learner, course)
    assertion_revoke(assertion=revoked_unclaimed, reason="Fraude")
    _award(learner, other)  # unclaimed, not revoked: private
    assert set(public_assertions()) == {claimed, revoked_unclaimed}


def test_public_awards_come_with_their_course_and_holder_in_one_query(
    learner, other_learner, course, django_assert_num_queries
):
    for person in (learner, other_learner):
        assertion_claim(assertion=_award(person, course), email=f"{person.username}@example.org")
    with django_assert_num_queries(1):
        shown = {(a.badge_class.course.title, a.learner.username) for a in public_assertions()}
    assert shown == {(course.title, learner.username), (course.title, other_learner.username)}


def test_a_learners_awards_are_their_own_with_their_course_in_one_query(
    learner, other_learner, course, django_assert_num_queries
):
    other = make_course(title="Autre")
    mine = {_award(learner, course), _award(learner, other)}
    _award(other_learner, course)
    with django_assert_num_queries(1):
        listed = assertions_for(learner=learner)
        titles = {a.badge_class.course.title for a in listed}
    assert set(listed) == mine and titles == {course.title, "Autre"}
    assert assertions_for(learner=AnonymousUser()) == []


def test_the_award_map_holds_the_learners_awards_in_the_courses_asked(
    learner, other_learner, course, django_assert_num_queries
):
    asked, not_asked = make_course(), make_course()
    mine = _award(learner, course)
    _award(learner, not_asked)
    _award(other_learner, asked)
    with django_assert_num_queries(1):
        found = assertion_map(learner=learner, course_ids=[course.id, asked.id])
        names = {a.badge_class.name for a in found.values()}
    assert found == {course.id: mine}
    assert names == {mine.badge_class.name}
    assert assertion_map(learner=AnonymousUser(), course_ids=[course.id]) == {}
    assert assertion_map(learner=learner, course_ids=[]) == {}


def test_the_earned_award_is_the_learners_own_for_that_course(
    learner, other_learner, course, django_assert_num_queries
):
    other = make_course()
    _award(learner, other)
    _award(other_learner, course)
    mine = _award(learner, course)
    with django_assert_num_queries(1):
        found = earned_award(learner=learner, course_slug=course.slug)
        assert found.badge_class.course.slug == course.slug
    assert found == mine
    with pytest.raises(Assertion.DoesNotExist):
        earned_award(learner=other_learner, course_slug=other.slug)


# What is still missing


def _steps(learner, course):
    return [
        (s.unit.slug, s.pass_mark, s.best, s.done)
        for s in badge_steps(learner=learner, course=course)
    ]


def test_steps_are_the_learners_own_grains_and_best_score_at_that_quiz(
    learner, other_learner, course, quiz
):
    other_quiz = make_quiz(make_course(), pass_mark=10)
    make_question(other_quiz)
    # Another learner did everything, passed the quiz; the learner passed
    # another course's quiz and has an open attempt here.
    for unit in course.units.all():
        unit_complete(learner=other_learner, unit=unit)
    _scored(other_learner, quiz, "100")
    _scored(learner, other_quiz, "100")
    _scored(learner, quiz, "90", submitted=False)
    unit_complete(learner=learner, unit=course.units.get(slug="fiche"))
    assert _steps(learner, course) == [
        ("video", None, None, False),
        ("quiz", 70, None, False),
    ]
    _scored(learner, quiz, "40")
    _scored(learner, quiz, "55.5")
    assert _steps(learner, course)[-1] == ("quiz", 70, Decimal("55.50"), False)


def test_a_best_score_exactly_at_the_pass_mark_is_no_step(learner, course, quiz):
    _scored(learner, quiz, "70")
    assert _steps(learner, course) == [
        ("fiche", None, None, False),
        ("video", None, None, False),
        ("quiz", None, None, False),  # the grain itself still to complete
    ]
    _scored(learner, quiz, "69.99")  # a lower attempt changes nothing
    unit_complete(learner=learner, unit=quiz.unit)
    assert [s for s in _steps(learner, course) if s[0] == "quiz"] == []


def test_steps_follow_the_course_order_not_the_creation_order(learner):
    course = make_course()
    make_unit(course, slug="third", position=3)
    make_unit(course, slug="first", position=1)
    make_unit(course, slug="optional", position=2, required=False)
    make_unit(course, slug="second", position=2)
    assert [s[0] for s in _steps(learner, course)] == ["first", "second", "third"]


def test_a_quiz_grain_without_its_quiz_yet_is_an_ordinary_step(learner):
    course = make_course()
    make_unit(course, kind=Unit.Kind.QUIZ, slug="quiz-to-come")
    assert not Quiz.objects.exists()
    assert _steps(learner, course) == [("quiz-to-come", None, None, False)]


@pytest.mark.parametrize("quizzes", [1, 3])
def test_steps_take_one_query(learner, quizzes, django_assert_num_queries):
    course = make_course()
    make_unit(course, slug="fiche")
    for n in range(quizzes):
        quiz = make_quiz(course, pass_mark=60 + n)
        make_question(quiz)
        _scored(learner, quiz, "10")
    with django_assert_num_queries(1):
        steps = badge_steps(learner=learner, course=course)
        shown = [
            (s.unit.slug, s.unit.title, s.unit.kind, s.unit.minutes, s.pass_mark, s.best)
            for s in steps
        ]
        owners = {s.unit.course_id for s in steps}
        quiz_units = {s.unit.quiz.unit_id for s in steps if s.pass_mark is not None}
    assert len(shown) == quizzes + 1 and owners == {course.id}
    assert [s[4] for s in shown[1:]] == [60 + n for n in range(quizzes)]
    assert len(quiz_units) == quizzes


def test_steps_from_a_page_skip_optional_grains_and_flag_a_quiz_done_before_its_mark_rose():
    course = make_course()
    done_fiche = make_unit(course, slug="done-fiche", position=1)
    make_unit(course, slug="optional", position=2, required=False)
    todo = make_unit(course, slug="todo", position=3)
    risen = make_quiz(course, pass_mark=80)  # grain completed, pass mark since raised
    failed = make_quiz(course, pass_mark=50)  # grain not completed
    units = list(course.units.order_by("position", "id"))
    steps = steps_from(
        units=units,
        done={done_fiche.id, risen.unit_id},
        quizzes_to_pass=[(risen, Decimal("75")), (failed, None)],
    )
    assert [(s.unit, s.pass_mark, s.best, s.done) for s in steps] == [
        (todo, None, None, False),
        (risen.unit, 80, Decimal("75"), True),
        (failed.unit, 50, None, False),
    ]


# The badge moment


def test_the_moment_shows_the_learners_own_award_for_that_course_in_one_query(
    learner, other_learner, course, django_assert_num_queries
):
    _award(other_learner, course)
    _award(learner, make_course())
    assert badge_moment(learner=learner, course=course).award is None
    mine = _award(learner, course)
    mine.badge_class.criteria = "Tout faire."
    mine.badge_class.save()
    # A course crediting its authors by name: its credit line (under the
    # criteria) reads no author account.
    course.credits = "Ada Lovelace"
    course.save()
    with django_assert_num_queries(1):
        moment = badge_moment(learner=learner, course=course)
        assert moment.badge_class.name == mine.badge_class.name
    assert moment.award == mine
    assert moment.criteria.startswith("Tout faire.\n\n") and "Ada Lovelace" in moment.criteria


def test_the_moment_before_the_award_says_what_earning_it_takes_and_what_is_left(
    learner, course, quiz
):
    badge_class_ensure(course)
    unit_complete(learner=learner, unit=course.units.get(slug="fiche"))
    moment = badge_moment(learner=learner, course=course)
    assert moment.award is None
    assert course.title in moment.criteria and "70" in moment.criteria
    assert [(s.unit.slug, s.pass_mark) for s in moment.steps] == [("video", None), ("quiz", 70)]


def test_a_grain_no_longer_a_quiz_grain_is_neither_required_to_pass_nor_a_step(learner, course):
    # The author made the quiz grain a fiche: its quiz stays in the database.
    leftover = make_quiz(course, pass_mark=90)
    make_question(leftover)
    Unit.objects.filter(pk=leftover.unit_id).update(kind=Unit.Kind.FICHE)
    for unit in course.units.all():
        unit_complete(learner=learner, unit=unit)
    _scored(learner, course.units.get(slug="quiz").quiz, "100")
    assert _steps(learner, course) == []
    assert eligibility(learner=learner, course=course).eligible


def test_the_generated_criteria_name_each_required_grain_in_order_with_each_quiz_mark(
    course, django_assert_num_queries
):
    make_unit(course, slug="optional", position=4, required=False, title="En option")
    leftover = make_quiz(course, pass_mark=90)  # then made a fiche: its quiz stays
    Unit.objects.filter(pk=leftover.unit_id).update(
        kind=Unit.Kind.FICHE, title="Ancien quiz", position=5
    )
    make_unit(course, slug="first", position=0, title="D’abord")
    course.language = "en"  # the course's language, not the active one
    with django_assert_num_queries(1):  # the grains with their quizzes
        text = criteria_narrative(course)
    fiche, video = (course.units.get(slug=slug).title for slug in ("fiche", "video"))
    assert text.splitlines() == [
        "Complete every required grain of the course “Sécuriser ses comptes”:",
        "- D’abord",
        f"- {fiche}",
        f"- {video}",
        "- Le quiz: pass the quiz with at least 70 %",
        "- Ancien quiz",
    ]
    course.language = "fr"
    assert criteria_narrative(course).splitlines()[4] == (
        "- Le quiz : réussir le quiz avec au moins 70 %"
    )


def test_eligibility_needs_the_learners_own_completion_of_that_course(
    learner, other_learner, course, quiz
):
    other = make_course()
    make_unit(other)
    unit_complete(learner=learner, unit=other.units.get())  # the learner completed another
    for unit in course.units.all():
        unit_complete(learner=other_learner, unit=unit)  # another learner completed this one
    _scored(learner, quiz, "100")
    state = eligibility(learner=learner, course=course)
    assert (state.eligible, state.course_complete) == (False, False)
