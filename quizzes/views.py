"""HTML views of quizzes: start an attempt, submit it, see its result.

Each view is for the logged-in learner who owns the attempt, in a
published course; anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from courses.models import Course
from progress.selectors import NOT_STARTED, course_progress_map

from . import selectors, services
from .models import Attempt, Quiz


def _get_quiz(unit_id: int) -> Quiz:
    return get_object_or_404(
        Quiz.objects.select_related("unit__course"),
        unit_id=unit_id,
        unit__course__status=Course.Status.PUBLISHED,
    )


def _get_attempt_for_learner(request: HttpRequest, attempt_id: int) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("quiz__unit__course"),
        pk=attempt_id,
        learner=request.user,
        quiz__unit__course__status=Course.Status.PUBLISHED,
    )


@login_required
@require_POST
def attempt_start(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Open an attempt (or return to the open one) and go to the quiz."""
    quiz = _get_quiz(unit_id)
    try:
        services.attempt_start(learner=request.user, quiz=quiz)
    except services.QuizError as error:
        messages.error(request, error.message)
    return redirect(quiz.unit.get_absolute_url() + "#quiz")


def _result_context(request: HttpRequest, attempt: Attempt) -> dict:
    quiz = attempt.quiz
    status = selectors.quiz_status_for(learner=request.user, quiz=quiz)
    reveal = selectors.reveal_answers(quiz=quiz, status=status)
    course = quiz.unit.course
    progress = course_progress_map(learner=request.user, course_ids=[course.id]).get(
        course.id, NOT_STARTED
    )
    return {
        "attempt": attempt,
        "quiz": quiz,
        "unit": quiz.unit,
        "course": course,
        "status": status,
        "reveal": reveal,
        "progress": progress,
        "results": selectors.attempt_result(
            attempt=attempt, reveal=reveal, show_feedback=quiz.feedback != Quiz.Feedback.NEVER
        ),
    }


@login_required
@require_POST
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Score the attempt. With htmx the result replaces the form in place."""
    attempt = _get_attempt_for_learner(request, attempt_id)
    answers = {key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q-")}
    try:
        services.attempt_submit(learner=request.user, attempt=attempt, answers=answers)
    except services.AttemptInvalid as error:
        context = {
            "quiz": attempt.quiz,
            "unit": attempt.quiz.unit,
            "attempt": attempt,
            "form_questions": selectors.attempt_form_questions(attempt=attempt),
            "errors": error.errors,
            "form_error": error.message,
            "given": {int(k): v for k, v in answers.items() if k.isdigit()},
        }
        template = (
            "quizzes/partials/_attempt_form.html" if request.htmx else "quizzes/attempt_form.html"
        )
        return render(request, template, context, status=422)
    except services.AttemptAlreadySubmitted as error:
        if request.htmx:
            return render(
                request,
                "quizzes/partials/_already_submitted.html",
                {"attempt": attempt, "message": error.message},
                status=409,
            )
        messages.info(request, error.message)
        return redirect("quizzes:attempt", attempt_id=attempt.pk)
    attempt.refresh_from_db()
    if request.htmx:
        return render(
            request, "quizzes/partials/_attempt_result.html", _result_context(request, attempt)
        )
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The result of a submitted attempt; an open one sends back to the quiz."""
    attempt = _get_attempt_for_learner(request, attempt_id)
    if not attempt.is_submitted:
        return redirect(attempt.quiz.unit.get_absolute_url() + "#quiz")
    return render(request, "quizzes/attempt_result.html", _result_context(request, attempt))
