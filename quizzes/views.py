"""HTML views of quizzes: start an attempt, submit it, see its result.

Each view is for the logged-in learner who owns the attempt, in a
published course; anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from learning_platform.inputs import parse_id

from . import selectors, services
from .models import Attempt
from .pages import attempt_or_404, attempt_result_page, quiz_or_404


@login_required
@require_POST
def attempt_start(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Open an attempt (or return to the open one) and go to the quiz."""
    quiz = quiz_or_404(unit_id=unit_id)
    try:
        services.attempt_start(learner=request.user, quiz=quiz)
    except services.QuizError as error:
        messages.error(request, error.message)
    return redirect(quiz.unit.get_absolute_url() + "#quiz")


def _result_context(request: HttpRequest, attempt: Attempt) -> dict:
    page = attempt_result_page(learner=request.user, attempt=attempt)
    return {
        "attempt": page.attempt,
        "quiz": page.quiz,
        "unit": page.unit,
        "course": page.course,
        "status": page.outcome.status,
        "reveal": page.outcome.reveal,
        "progress": page.progress,
        "results": page.outcome.results,
        "wrong_results": [row for row in page.outcome.results if not row.is_correct],
        "right_results": [row for row in page.outcome.results if row.is_correct],
        "next_unit": page.next_unit,
        "badge_moment": page.badge_moment,
        "badge_steps": page.badge_steps,
    }


@login_required
@require_POST
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Score the attempt. With htmx the result replaces the form in place."""
    attempt = attempt_or_404(learner=request.user, attempt_id=attempt_id)
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
            "given": {n: v for k, v in answers.items() if (n := parse_id(k))},
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
    # No refresh_from_db(): the service set the score on this very object, and
    # a refresh would drop the quiz, grain and course read with it (three
    # queries) and the questions it scored with (two).
    if request.htmx:
        return render(
            request, "quizzes/partials/_attempt_result.html", _result_context(request, attempt)
        )
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@login_required
@require_GET
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The result of a submitted attempt; an open one sends back to the quiz."""
    attempt = attempt_or_404(learner=request.user, attempt_id=attempt_id)
    if not attempt.is_submitted:
        return redirect(attempt.quiz.unit.get_absolute_url() + "#quiz")
    return render(request, "quizzes/attempt_result.html", _result_context(request, attempt))
