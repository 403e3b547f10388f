from progress.services import unit_complete
from quizzes.services import attempt_start, attempt_submit
from tests.factories import right_answers, wrong_answers


def finish_fiche_and_video(learner, course):
    for slug in ("fiche", "video"):
        unit_complete(learner=learner, unit=course.units.get(slug=slug))


def take_quiz(learner, quiz, *, passing: bool):
    attempt = attempt_start(learner=learner, quiz=quiz)
    answers = right_answers(attempt) if passing else wrong_answers(attempt)
    attempt_submit(learner=learner, attempt=attempt, answers=answers)
    attempt.refresh_from_db()
    return attempt
