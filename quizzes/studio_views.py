"""The studio's quiz editor: an author edits the quiz of a quiz grain in a
draft course they author (``courses.selectors.course_editable_by``).

Anonymous visitors are sent to log in; a grain that does not exist or is
not a quiz is a 404; anyone else, staff included, gets 403. Writes go
through ``quizzes.authoring``, whose rules the content loader applies too.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.markup import render_markdown
from courses.models import Unit
from courses.selectors import course_editable_by

from . import authoring
from .models import Question, Quiz
from .studio_forms import FEEDBACK_HELP, ChoiceFormSet, QuestionForm, QuizSettingsForm

CHOICE_FORM_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)


def _editable_unit(request: HttpRequest, unit_id: int) -> Unit:
    """The quiz grain, if ``request.user`` may edit it: 404 for an unknown
    grain or one that is not a quiz, 403 for anyone but the course's authors
    while it is a draft."""
    unit = get_object_or_404(Unit.objects.select_related("course"), pk=unit_id, kind=Unit.Kind.QUIZ)
    if not course_editable_by(user=request.user, course=unit.course):
        raise PermissionDenied
    return unit


def _quiz_url(unit: Unit, anchor: str = "") -> str:
    return reverse("quizzes:studio_quiz", args=[unit.pk]) + anchor


# The quiz page: settings and the list of questions


def _quiz_page(
    request: HttpRequest, unit: Unit, quiz: Quiz, form=None, status: int = 200
) -> HttpResponse:
    questions = authoring.studio_questions(quiz=quiz)
    form = form or QuizSettingsForm(instance=quiz, question_count=len(questions))
    context = {
        "unit": unit,
        "course": unit.course,
        "quiz": quiz,
        "form": form,
        "questions": questions,
        "kinds": Question.Kind.choices,
        "feedback_help": FEEDBACK_HELP,
    }
    return render(request, "quizzes/studio/quiz.html", context, status=status)


@login_required
@require_GET
def studio_quiz(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The quiz's settings and its questions in order."""
    unit = _editable_unit(request, unit_id)
    return _quiz_page(request, unit, authoring.quiz_of_unit(unit=unit))


@login_required
@require_POST
def studio_quiz_settings(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Save the quiz's settings, or show the page again with what was typed."""
    unit = _editable_unit(request, unit_id)
    quiz = authoring.quiz_of_unit(unit=unit)
    count = quiz.questions.count() if quiz.pk else 0
    form = QuizSettingsForm(request.POST, instance=quiz, question_count=count)
    if form.is_valid():
        try:
            authoring.quiz_settings_update(quiz=quiz, **form.cleaned_data)
        except authoring.QuizEditRefused as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("The quiz settings are saved."))
            return redirect(_quiz_url(unit))
    return _quiz_page(request, unit, authoring.quiz_of_unit(unit=unit), form=form)


@login_required
@require_POST
def studio_question_move(request: HttpRequest, unit_id: int, question_id: int) -> HttpResponse:
    """Move a question one place up or down."""
    unit = _editable_unit(request, unit_id)
    question = get_object_or_404(Question, pk=question_id, quiz__unit=unit)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Choose to move the question up or down."))
    else:
        authoring.question_move(question=question, up=direction == "up")
    return redirect(_quiz_url(unit, f"#question-{question.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def studio_question_delete(request: HttpRequest, unit_id: int, question_id: int) -> HttpResponse:
    """Ask, then delete a question (POST)."""
    unit = _editable_unit(request, unit_id)
    question = get_object_or_404(
        Question.objects.select_related("quiz"), pk=question_id, quiz__unit=unit
    )
    if request.method == "POST":
        try:
            authoring.question_delete(question=question)
        except authoring.QuizEditRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The question is deleted."))
        return redirect(_quiz_url(unit, "#questions"))
    context = {"unit": unit, "course": unit.course, "question": question}
    return render(request, "quizzes/studio/question_delete.html", context)


# One question: its form, its choices, its preview


@dataclass
class PreviewChoice:
    text: str
    is_correct: bool
    feedback_html: str


@dataclass
class QuestionPreview:
    """A question as the learner will see it, and what they see after."""

    kind: str
    prompt_html: str
    explanation_html: str
    choices: list[PreviewChoice] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    numeric_answer: Decimal | None = None
    tolerance: Decimal = Decimal(0)


def _plain(number: Decimal | None) -> str:
    """12.5000 as "12.5", for the form (the field reads "," or ".")."""
    return "" if number is None else f"{number.normalize():f}"


def _initial(question: Question) -> tuple[dict, list[dict]]:
    """The forms' initial values from a saved question."""
    choices = list(question.choices.order_by("position", "id"))
    initial = {
        "prompt": question.prompt,
        "explanation": question.explanation,
        "points": question.points,
        "competence": question.competence_id,
        "accepted": "\n".join(question.accepted_answers),
        "numeric_answer": _plain(question.numeric_answer),
        "tolerance": _plain(question.tolerance) or "0",
    }
    if question.kind == Question.Kind.TRUE_FALSE and len(choices) == 2:
        initial["true_false_answer"] = "true" if choices[0].is_correct else "false"
        initial["feedback_true"], initial["feedback_false"] = (c.feedback for c in choices)
    rows = [{"text": c.text, "is_correct": c.is_correct, "feedback": c.feedback} for c in choices]
    return initial, rows


def _choices(kind: str, data: dict, formset, language: str) -> list[authoring.ChoiceData]:
    if kind == Question.Kind.TRUE_FALSE:
        return authoring.true_false_choices(
            answer=data["true_false_answer"],
            language=language,
            feedback_true=data.get("feedback_true", ""),
            feedback_false=data.get("feedback_false", ""),
        )
    if formset is None:
        return []
    return [
        authoring.ChoiceData(c["text"], c["is_correct"], c.get("feedback", ""))
        for c in formset.choices()
    ]


def _question_form(
    request: HttpRequest, unit: Unit, kind: str, question: Question | None
) -> HttpResponse:
    """The form of a new question (``question`` None) or of a saved one:
    shown (GET), previewed or saved (POST)."""
    with_choices = kind in CHOICE_FORM_KINDS
    preview = None
    if request.method == "POST":
        form = QuestionForm(request.POST, kind=kind)
        formset = ChoiceFormSet(request.POST, kind=kind, prefix="choices") if with_choices else None
        valid = form.is_valid() & (formset is None or formset.is_valid())
        if valid:
            data = form.cleaned_data
            choices = _choices(kind, data, formset, unit.course.language)
            if "preview" in request.POST:
                preview = QuestionPreview(
                    kind=kind,
                    prompt_html=render_markdown(data["prompt"]),
                    explanation_html=render_markdown(data["explanation"]),
                    choices=[
                        PreviewChoice(c.text, c.is_correct, render_markdown(c.feedback))
                        for c in choices
                    ],
                    accepted=data.get("accepted", []),
                    numeric_answer=data.get("numeric_answer"),
                    tolerance=data.get("tolerance", Decimal(0)),
                )
            else:
                try:
                    saved = authoring.question_save(
                        quiz=question.quiz if question else authoring.quiz_of_unit(unit=unit),
                        question=question,
                        kind=kind,
                        prompt=data["prompt"],
                        explanation=data["explanation"],
                        points=data["points"],
                        competence=data["competence"],
                        choices=choices,
                        accepted=data.get("accepted", []),
                        numeric_answer=data.get("numeric_answer"),
                        tolerance=data.get("tolerance", Decimal(0)),
                    )
                except authoring.QuizEditRefused as error:
                    for name, message in error.errors.items():
                        form.add_error(name if name in form.fields else None, message)
                else:
                    messages.success(
                        request,
                        _("The question is saved.") if question else _("The question is added."),
                    )
                    return redirect(_quiz_url(unit, f"#question-{saved.pk}"))
    else:
        initial, rows = _initial(question) if question else ({}, [])
        form = QuestionForm(initial=initial, kind=kind)
        formset = ChoiceFormSet(initial=rows, kind=kind, prefix="choices") if with_choices else None
    context = {
        "unit": unit,
        "course": unit.course,
        "question": question,
        "kind": kind,
        "kind_label": Question.Kind(kind).label,
        "form": form,
        "formset": formset,
        "preview": preview,
    }
    return render(request, "quizzes/studio/question_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def studio_question_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A new question of the kind chosen (``?kind=``), added at the end."""
    unit = _editable_unit(request, unit_id)
    kind = request.GET.get("kind", "")
    if kind not in Question.Kind.values:
        messages.error(request, _("Choose the kind of question to add."))
        return redirect(_quiz_url(unit, "#add-question"))
    return _question_form(request, unit, kind, None)


@login_required
@require_http_methods(["GET", "POST"])
def studio_question_edit(request: HttpRequest, unit_id: int, question_id: int) -> HttpResponse:
    """Change a question of the quiz (its kind stays)."""
    unit = _editable_unit(request, unit_id)
    question = get_object_or_404(
        Question.objects.select_related("quiz"), pk=question_id, quiz__unit=unit
    )
    return _question_form(request, unit, question.kind, question)
