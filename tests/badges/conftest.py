import pytest

from courses.models import Unit
from quizzes.models import Question
from tests.factories import make_course, make_learner, make_question, make_quiz, make_unit


@pytest.fixture
def course(db):
    course = make_course(
        title="Sécuriser ses comptes", slug="securiser", competences=("4.2", "4.1")
    )
    make_unit(course, slug="fiche", position=1)
    make_unit(course, kind=Unit.Kind.VIDEO, slug="video", position=2)
    quiz = make_quiz(course, pass_mark=70, attempts_allowed=5)
    Unit.objects.filter(pk=quiz.unit_id).update(slug="quiz", position=3, title="Le quiz")
    make_question(quiz)
    make_question(quiz, kind=Question.Kind.TRUE_FALSE)
    make_question(quiz, kind=Question.Kind.NUMERIC, numeric_answer=12)
    return course


@pytest.fixture
def quiz(course):
    return course.units.get(slug="quiz").quiz


@pytest.fixture
def camille(db):
    return make_learner(username="camille", email="Camille.Martin@Example.org ")
